#!/usr/bin/env python3
"""Independent reference for uiccboot-factory-v1: RFC 5869 HKDF written
out with hmac/hashlib (no OpenSSL KDF), as docs/usage.md specifies it.
Usage: hkdf_ref.py MASTER_HEX SERVER_ID DEVICE_ID..."""
import base64, hashlib, hmac, sys

SALT = b"uiccboot factory bootstrap v1"

def hkdf(ikm, info, length):
    prk = hmac.new(SALT, ikm, hashlib.sha256).digest()
    okm, t, i = b"", b"", 1
    while len(okm) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        okm += t
        i += 1
    return okm[:length]

def lp(s):
    b = s.encode()
    return len(b).to_bytes(2, "big") + b

def creds(master, device, server):
    k = lambda label, n: hkdf(master, lp(label) + lp(device) + lp(server), n)
    b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
    return ("u1-" + k("client-name", 10).hex(), b64(k("client-secret", 24)),
            b64(k("server-secret", 24)))

master, server = bytes.fromhex(sys.argv[1]), sys.argv[2]
for d in sys.argv[3:]:
    print(",".join((d, server) + creds(master, d, server)))
