#!/usr/bin/env python3
"""A WSP push PDU (hex on the command line) -> SMS-DELIVER TPDUs, one hex
line each, as a modem prints them in PDU mode (an empty SMSC field first).
Built from 3GPP TS 23.040 9.2.2.1 and 9.2.3.24 (UDH: 16-bit application
ports, IE 05; concatenation with an 8-bit reference, IE 00), sharing
nothing with uiccboot, for the receive tests' hand-made pushes.

usage: wsp2tpdu.py HEX [--port N] [--from DIGITS] [--ref N] [--dcs HEX]"""
import sys


def semi_octets(digits):
    if len(digits) % 2:
        digits += "F"
    return bytes(int(digits[i + 1] + digits[i], 16) for i in range(0, len(digits), 2))


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    pdu = bytes.fromhex(args.pop(0))
    port, sender, ref, dcs = 2948, "4915112345678", 1, 0x04
    while args:
        a = args.pop(0)
        if a == "--port":
            port = int(args.pop(0))
        elif a == "--from":
            sender = args.pop(0)
        elif a == "--ref":
            ref = int(args.pop(0))
        elif a == "--dcs":
            dcs = int(args.pop(0), 16)
        else:
            sys.exit(__doc__)
    ports = bytes([0x05, 0x04, port >> 8, port & 0xFF, 0x23, 0xF0])  # source 9200
    room = 140 - 1 - len(ports)
    chunks = [pdu]
    if len(pdu) > room:
        room -= 5
        chunks = [pdu[i:i + room] for i in range(0, len(pdu), room)]
    oa = bytes([len(sender), 0x91]) + semi_octets(sender)
    scts = bytes.fromhex("52105121000000")
    for i, c in enumerate(chunks):
        ies = ports
        if len(chunks) > 1:
            ies += bytes([0x00, 0x03, ref, len(chunks), i + 1])
        ud = bytes([len(ies)]) + ies + c
        t = bytes([0x00, 0x44]) + oa + bytes([0x00, dcs]) + scts + bytes([len(ud)]) + ud
        print(t.hex().upper())


main()
