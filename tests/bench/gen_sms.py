#!/usr/bin/env python3
"""SMS-DELIVER TPDUs for the bench: N first parts (of 2) of N different
concatenated WAP pushes (distinct sender and 16-bit reference), 8-bit data
to port 2948, each with 120 octets of user data after the UDH, one hex
line each with an empty SMSC field.  None completes: every one stays in
the fragment store.  (3GPP TS 23.040 9.2.2.1, 9.2.3.24.)

usage: gen_sms.py N [FIRST]    FIRST: the first message number (default 0)"""
import sys


def semi_octets(digits):
    if len(digits) % 2:
        digits += "F"
    return bytes(int(digits[i + 1] + digits[i], 16) for i in range(0, len(digits), 2))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    data = bytes(range(120))
    scts = bytes.fromhex("52105121000000")
    out = sys.stdout
    for i in range(first, first + n):
        sender = "49151%08d" % (i // 65536)
        ref = i % 65536
        udh = bytes([0x0C, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x08, 0x04, ref >> 8, ref & 0xFF, 2, 1])
        ud = udh + data
        oa = bytes([len(sender), 0x91]) + semi_octets(sender)
        t = bytes([0x00, 0x44]) + oa + bytes([0x00, 0x04]) + scts + bytes([len(ud)]) + ud
        out.write(t.hex().upper() + "\n")


main()
