#!/usr/bin/env python3
"""SMS-DELIVER TPDU hex lines (SMSC field first) -> fakesmsc message
arguments "SENDER RECEIVER udh-data UDH DATA" (URL-encoded), so that our
TPDUs reach Kannel's bearerbox as mobile-originated messages.  The TPDU is
read here from 3GPP TS 23.040 9.2.2.1 directly, sharing nothing with
uiccboot.

usage: tpdu2fakesmsc.py RECEIVER < tpdus"""
import sys
import urllib.parse


def parse(b):
    o = 1 + b[0]  # SMSC address field
    first = b[o]
    assert first & 3 == 0, "not an SMS-DELIVER"
    o += 1
    n, toa = b[o], b[o + 1]
    digits = "".join("%x%x" % (x & 15, x >> 4) for x in b[o + 2:o + 2 + (n + 1) // 2])[:n]
    sender = ("+" if (toa >> 4) & 7 == 1 else "") + digits
    o += 2 + (n + 1) // 2
    dcs = b[o + 1]
    assert dcs & 0x0C == 0x04 or dcs & 0xF4 == 0xF4, "not 8-bit data"
    o += 2 + 7
    udl = b[o]
    ud = b[o + 1:o + 1 + udl]
    assert len(ud) == udl == len(b) - o - 1
    udh = ud[:ud[0] + 1] if first & 0x40 else b""
    return sender, udh, ud[len(udh):]


q = lambda x: urllib.parse.quote_from_bytes(x, safe="")
for line in sys.stdin:
    line = line.strip()
    if line:
        s, udh, data = parse(bytes.fromhex(line))
        print("%s %s udh-data %s %s" % (s.lstrip("+"), sys.argv[1], q(udh), q(data)))
