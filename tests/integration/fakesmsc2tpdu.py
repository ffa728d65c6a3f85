#!/usr/bin/env python3
"""Kannel fakesmsc output -> SMS-DELIVER TPDUs, one hex line each, as a modem
prints them in PDU mode (+CMGL/+CMT: the SMSC field first).

fakesmsc prints each mobile-terminated message it gets from bearerbox as
    ... Got message N: <SENDER RECEIVER TYPE ...>
in the format of Kannel's gw/smsc/smsc_fake.c sms_to_client():
    text  TEXT              plain text (the GSM 7-bit default alphabet)
    data  URLENC            8-bit data
    ucs-2 URLENC            UCS2
    udh   URLENC [data] URLENC   a UDH (with its UDHL octet) and 8-bit data
Lines without the log prefix are read too.  The TPDU is built here, from
3GPP TS 23.040 9.2.2.1 directly, sharing nothing with uiccboot.

usage: fakesmsc2tpdu.py [--no-smsc] [--time EPOCH] < fakesmsc.out"""
import re
import sys
import time
import urllib.parse

GSM7 = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")


def semi_octets(digits):
    if len(digits) % 2:
        digits += "F"
    return bytes(int(digits[i + 1] + digits[i], 16) for i in range(0, len(digits), 2))


def pack7(septets):
    v = 0
    for i, s in enumerate(septets):
        v |= s << (7 * i)
    return v.to_bytes((len(septets) * 7 + 7) // 8, "little")


def address(a):
    """TP-OA (TS 23.040 9.1.2.5)."""
    if re.fullmatch(r"\+?[0-9]{1,20}", a):
        toa = 0x91 if a.startswith("+") else 0x81
        d = a.lstrip("+")
        return bytes([len(d), toa]) + semi_octets(d)
    s = [GSM7.index(c) for c in a[:11]]
    return bytes([(len(s) * 7 + 3) // 4, 0xD0]) + pack7(s)


def scts(t):
    g = time.gmtime(t)
    f = [g.tm_year % 100, g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec, 0]
    return bytes(((v % 10) << 4) | (v // 10) for v in f)


def tpdu(sender, kind, udh, data, t, smsc):
    first = 0x04 | (0x40 if udh else 0)  # SMS-DELIVER, no more messages
    if kind == "text":
        dcs = 0x00
        sept = [GSM7.index(c) if c in GSM7 else GSM7.index("?") for c in data.decode("latin-1")]
        ud, udl = pack7(sept), len(sept)
    else:
        dcs = 0x08 if kind == "ucs-2" else 0x04
        ud, udl = udh + data, len(udh) + len(data)
    body = bytes([first]) + address(sender) + bytes([0x00, dcs]) + scts(t) + bytes([udl]) + ud
    return (b"\x00" if smsc else b"") + body


def main():
    smsc, t = True, int(time.time())
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--no-smsc":
            smsc = False
        elif a == "--time":
            t = int(args.pop(0))
        else:
            sys.exit(__doc__)
    # Kannel's octstr_url_encode writes a space as '+' (and '+' as %2B)
    unq = lambda x: urllib.parse.unquote_to_bytes(x.replace("+", " "))
    for line in sys.stdin:
        m = re.search(r"Got message \d+: <(.*)>\s*$", line)
        msg = m.group(1) if m else line.strip()
        f = msg.split(" ")
        if len(f) < 3 or f[2] not in ("text", "data", "udh", "ucs-2", "ucs2"):
            continue
        sender, kind = f[0], f[2]
        udh = b""
        if kind == "udh":
            udh = unq(f[3])
            rest = f[5] if len(f) > 5 and f[4] == "data" else f[4]  # 1.4.5 says "data"
            data = unq(rest)
            if len(udh) + len(data) > 140:
                sys.exit("message of %d octets: not one SMS" % (len(udh) + len(data)))
        elif kind == "text":
            data = " ".join(f[3:]).encode("latin-1")
        else:
            data = unq(f[3])
            kind = "ucs-2" if kind.startswith("ucs") else kind
        print(tpdu(sender, kind, udh, data, t, smsc).hex().upper())


main()
