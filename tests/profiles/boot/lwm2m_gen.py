#!/usr/bin/env python3
"""Make an EF LwM2M_Bootstrap file (OMA LwM2M Core Appendix G) from a readable
JSON description:

  {"objects": [{"id": 0, "version": null | "1.2",
                "instances": [{"id": 0, "resources": {
                    "0": {"string": "coaps://..."}, "1": {"boolean": false},
                    "2": {"integer": 0}, "3": {"opaque-text": "identity"},
                    "5": {"opaque-hex": "00112233"}, "16": {"unsigned": [49320]}}}]}]}

A list as the value makes a Multiple Resource (Resource Instances 0, 1, ...).
Values are written as Core Appendix C says: integers in the shortest of
1/2/4/8 bytes, big endian; booleans one byte.  TLV: Core 1.1 7.4.3.

  lwm2m_gen.py DESCRIPTION.json OUTPUT.bin
"""
import json
import sys


def record(kind, ident, value):
    n = len(value)
    lt = 0 if n <= 7 else 1 if n < 0x100 else 2 if n < 0x10000 else 3
    head = bytes([kind << 6 | (0x20 if ident > 0xFF else 0) | lt << 3 | (n if lt == 0 else 0)])
    head += ident.to_bytes(2 if ident > 0xFF else 1, "big")
    return head + (n.to_bytes(lt, "big") if lt else b"") + value


def scalar(spec):
    (kind, v), = spec.items()
    if kind == "string":
        return v.encode("utf-8")
    if kind == "opaque-text":
        return v.encode("ascii")
    if kind == "opaque-hex":
        return bytes.fromhex(v)
    if kind == "boolean":
        return b"\x01" if v else b"\x00"
    if kind in ("integer", "unsigned"):
        for n in (1, 2, 4, 8):
            try:
                return v.to_bytes(n, "big", signed=kind == "integer")
            except OverflowError:
                pass
    raise SystemExit("unknown value %r" % spec)


def resources(res):
    out = b""
    for rid, spec in sorted(res.items(), key=lambda kv: int(kv[0])):
        (kind, v), = spec.items()
        if isinstance(v, list):
            inner = b"".join(record(1, i, scalar({kind: x})) for i, x in enumerate(v))
            out += record(2, int(rid), inner)
        else:
            out += record(3, int(rid), scalar(spec))
    return out


def main():
    desc = json.load(open(sys.argv[1]))
    body = b""
    for o in desc["objects"]:
        tlv = b"".join(record(0, i["id"], resources(i["resources"])) for i in o["instances"])
        ver = b"\x00" if o.get("version") is None else bytes(
            int(x) for x in o["version"].split("."))
        body += o["id"].to_bytes(2, "big") + ver + len(tlv).to_bytes(2, "big") + tlv
    data = len(desc["objects"]).to_bytes(2, "big") + len(body).to_bytes(2, "big") + body
    assert len(data) <= 32768, "G.3.3: at most 32 KB"
    open(sys.argv[2], "wb").write(data)


if __name__ == "__main__":
    main()
