#!/usr/bin/env python3
"""Reference decoder and encoder of EF LwM2M_Bootstrap (OMA LwM2M Core
Appendix G) and LwM2M TLV (Core 1.1 7.4.3), written from the specification
text alone, to check the C decoder of src/lwm2m/ against.  It shares nothing with
the C code: not its structure, not its tables.

The rules it applies, the same as docs/lwm2m.md states for uiccboot:
  file    HWORD count, HWORD size (bytes after these 4), then count Objects:
          HWORD id, version 00 or MAJOR(01-FF) MINOR, HWORD length, TLV.
          At most 32768 bytes; after the size: only FF bytes (or none with
          --padding none); Object IDs do not repeat; at most 64 Objects.
  TLV     top level: Object Instances (00) only, ID != 65535; inside one:
          Resources (11) and Multiple Resources (10); inside those:
          Resource Instances (01), at least one; sibling IDs distinct; at
          most 4096 records in the file; bits 2-0 ignored when a length
          field is present.

Canonical JSON (what `decode` prints, one line per file):
  {"objects": [{"id": 0, "version": null | "M.m",
                "instances": [{"id": 1, "resources": [
                    {"id": 0, "value": "<hex>"} |
                    {"id": 6, "instances": [{"id": 0, "value": "<hex>"}]}]}]}]}
or {"error": "<reason>"}.

Usage:
  lwm2m_ref.py decode [--padding ff|none] FILE...
  lwm2m_ref.py random SEED COUNT DIR   valid files with every encoding form,
                                       and mutations of them, as DIR/NNNN.bin
  lwm2m_ref.py senml FILE...           SenML JSON (LwM2M Core 1.1 7.4.4, RFC 8428)
                                       back to the canonical JSON: one line each
  lwm2m_ref.py normal                  canonical JSON lines on stdin, sorted by
                                       ID at every level, Objects without
                                       Instances dropped (what a tree can hold)
"""
import json
import os
import random
import sys

FILE_MAX = 32768
OBJECTS_MAX = 64
RECORDS_MAX = 4096
OBJ_INST, RES_INST, MULTI, RES = 0, 1, 2, 3


class Refused(Exception):
    pass


class Reader:
    def __init__(self, data, budget):
        self.data = data
        self.budget = budget

    def records(self, start, end):
        """Yield (type, id, value_start, value_end) of the TLVs in [start, end)."""
        pos = start
        while pos < end:
            t = self.data[pos]
            kind = t >> 6
            id_len = 2 if t & 0x20 else 1
            len_len = (t >> 3) & 3
            if end - (pos + 1) < id_len + len_len:
                raise Refused("TLV header past parent at %d" % pos)
            p = pos + 1
            ident = int.from_bytes(self.data[p:p + id_len], "big")
            p += id_len
            if len_len:
                length = int.from_bytes(self.data[p:p + len_len], "big")
                p += len_len
            else:
                length = t & 7
            if p + length > end:
                raise Refused("TLV value past parent at %d" % pos)
            self.budget -= 1
            if self.budget < 0:
                raise Refused("too many records")
            yield kind, ident, p, p + length
            pos = p + length

    def hexval(self, a, b):
        return self.data[a:b].hex()

    def instances(self, start, end):
        out, ids = [], set()
        for kind, ident, a, b in self.records(start, end):
            if kind != OBJ_INST:
                raise Refused("non-instance at top level")
            if ident == 0xFFFF:
                raise Refused("instance id 65535")
            if ident in ids:
                raise Refused("instance %d twice" % ident)
            ids.add(ident)
            out.append({"id": ident, "resources": self.resources(a, b)})
        return out

    def resources(self, start, end):
        out, ids = [], set()
        for kind, ident, a, b in self.records(start, end):
            if ident in ids:
                raise Refused("resource %d twice" % ident)
            ids.add(ident)
            if kind == RES:
                out.append({"id": ident, "value": self.hexval(a, b)})
            elif kind == MULTI:
                out.append({"id": ident, "instances": self.res_instances(a, b)})
            else:
                raise Refused("kind %d inside an instance" % kind)
        return out

    def res_instances(self, start, end):
        out, ids = [], set()
        for kind, ident, a, b in self.records(start, end):
            if kind != RES_INST:
                raise Refused("kind %d inside a multiple resource" % kind)
            if ident in ids:
                raise Refused("resource instance %d twice" % ident)
            ids.add(ident)
            out.append({"id": ident, "value": self.hexval(a, b)})
        if not out:
            raise Refused("empty multiple resource")
        return out


def decode(data, padding="ff"):
    if not data or all(x == 0xFF for x in data):
        raise Refused("no bootstrap data")
    if len(data) > FILE_MAX or len(data) < 4:
        raise Refused("file size")
    count = int.from_bytes(data[0:2], "big")
    size = int.from_bytes(data[2:4], "big")
    if 4 + size > len(data):
        raise Refused("size past the file")
    if count > OBJECTS_MAX:
        raise Refused("too many objects")
    rest = data[4 + size:]
    if rest and (padding == "none" or any(x != 0xFF for x in rest)):
        raise Refused("bytes after the payload")
    rd = Reader(data, RECORDS_MAX)
    objects, seen, pos, end = [], set(), 4, 4 + size
    while pos < end:
        if len(objects) == count:
            raise Refused("more objects than counted")
        if end - pos < 3:
            raise Refused("object header")
        oid = int.from_bytes(data[pos:pos + 2], "big")
        if oid in seen:
            raise Refused("object %d twice" % oid)
        seen.add(oid)
        pos += 2
        if data[pos] == 0:
            version = None
            pos += 1
        else:
            if end - pos < 2:
                raise Refused("version")
            version = "%d.%d" % (data[pos], data[pos + 1])
            pos += 2
        if end - pos < 2:
            raise Refused("object length")
        length = int.from_bytes(data[pos:pos + 2], "big")
        pos += 2
        if pos + length > end:
            raise Refused("object past payload")
        objects.append({"id": oid, "version": version,
                        "instances": rd.instances(pos, pos + length)})
        pos += length
    if len(objects) != count:
        raise Refused("count")
    return {"objects": objects}


# --- encoder (for random valid files) ---

def tlv(kind, ident, value, rng=None):
    """One TLV record; with rng, any legal form (16-bit ids for small ids,
    longer length fields than needed, junk in bits 2-0 when ignored)."""
    n = len(value)
    wide = ident > 0xFF or (rng is not None and rng.random() < 0.3)
    need = 0 if n <= 7 else 1 if n <= 0xFF else 2 if n <= 0xFFFF else 3
    len_len = need if rng is None else rng.choice([x for x in range(need, 4)] + [need] * 3)
    low = n if len_len == 0 else (rng.randrange(8) if rng else 0)
    head = bytes([kind << 6 | (0x20 if wide else 0) | len_len << 3 | low])
    head += ident.to_bytes(2 if wide else 1, "big")
    if len_len:
        head += n.to_bytes(len_len, "big")
    return head + value


def encode(canon, rng=None, pad=0):
    out = b""
    for o in canon["objects"]:
        body = b""
        for inst in o["instances"]:
            inner = b""
            for r in inst["resources"]:
                if "value" in r:
                    inner += tlv(RES, r["id"], bytes.fromhex(r["value"]), rng)
                else:
                    ri = b"".join(tlv(RES_INST, x["id"], bytes.fromhex(x["value"]), rng)
                                  for x in r["instances"])
                    inner += tlv(MULTI, r["id"], ri, rng)
            body += tlv(OBJ_INST, inst["id"], inner, rng)
        if o["version"] is None:
            ver = b"\x00"
        else:
            major, minor = (int(x) for x in o["version"].split("."))
            ver = bytes([major, minor])
        out += o["id"].to_bytes(2, "big") + ver + len(body).to_bytes(2, "big") + body
    return len(canon["objects"]).to_bytes(2, "big") + len(out).to_bytes(2, "big") + out + \
        b"\xff" * pad


def random_canon(rng):
    def ids(k, top=0xFFFE):
        pool = [0, 1, 2, 255, 256, 4660, top] + [rng.randrange(top + 1) for _ in range(k)]
        return rng.sample(sorted(set(pool)), k)

    def val():
        n = rng.choice([0, 1, 2, 4, 7, 8, 9, 200, 255, 256, 300])
        return os.urandom(n).hex() if n > 64 else bytes(rng.randrange(256) for _ in range(n)).hex()

    objects = []
    for oid in ids(rng.randrange(1, 4), 0xFFFF):
        insts = []
        for iid in ids(rng.randrange(0, 4)):
            res = []
            for rid in ids(rng.randrange(0, 6), 0xFFFF):
                if rng.random() < 0.3:
                    res.append({"id": rid, "instances": [{"id": x, "value": val()}
                                                         for x in ids(rng.randrange(1, 4), 0xFFFF)]})
                else:
                    res.append({"id": rid, "value": val()})
            insts.append({"id": iid, "resources": res})
        ver = None if rng.random() < 0.5 else "%d.%d" % (rng.randrange(1, 256), rng.randrange(256))
        objects.append({"id": oid, "version": ver, "instances": insts})
    return {"objects": objects}


def mutate(data, rng):
    b = bytearray(data)
    what = rng.randrange(5)
    if what == 0 and b:
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif what == 1 and b:
        del b[rng.randrange(len(b)):]
    elif what == 2:
        b.insert(rng.randrange(len(b) + 1), rng.randrange(256))
    elif what == 3 and len(b) > 4:
        b[rng.randrange(4, len(b))] = rng.choice([0x00, 0x08, 0x18, 0x28, 0x41, 0x88, 0xC8, 0xFF])
    else:
        b += bytes([rng.choice([0x00, 0xFF])]) * rng.randrange(1, 4)
    return bytes(b)


# --- SenML JSON back to bytes (LwM2M Core 1.1 7.4.4 and Appendix C) ---
#
# SenML numbers carry no width: the TLV form of a number is the shortest of
# Appendix C's sizes, which needs the resource's data type.  The numeric
# resources of the Security (0), Server (1) and OSCORE (21) Objects, from
# the OMNA registry's 0.xml, 1.xml and 21.xml; anything else with "v" is
# refused here.
NUMERIC = {
    0: {"Integer": [2, 6, 10, 11, 12, 28, 29],
        "Unsigned": [13, 15, 16, 18, 19, 20, 21, 22, 23, 24]},
    1: {"Integer": [0, 2, 3, 5, 26], "Unsigned": [1, 11, 13, 14, 17, 18, 19, 20, 27],
        "Time": [12]},
    21: {"Integer": [3, 4]},
}


def number_bytes(oid, rid, v):
    kinds = NUMERIC.get(oid, {})
    if rid in kinds.get("Unsigned", []):
        for n in (1, 2, 4, 8):
            if 0 <= v < 1 << (8 * n):
                return v.to_bytes(n, "big")
    elif rid in kinds.get("Integer", []) + kinds.get("Time", []):
        for n in (1, 2, 4, 8):
            if -(1 << (8 * n - 1)) <= v < 1 << (8 * n - 1):
                return v.to_bytes(n, "big", signed=True)
    raise Refused("number for /%d/x/%d, which is not a numeric resource here" % (oid, rid))


def senml_to_canon(records):
    import base64
    objects, bn = {}, None
    for rec in records:
        bn = rec.get("bn", bn)
        if bn is None or not bn.startswith("/") or not bn.endswith("/"):
            raise Refused("no base name")
        oid, iid = (int(x) for x in bn.strip("/").split("/"))
        name = rec["n"].split("/")
        rid = int(name[0])
        if "vs" in rec:
            val = rec["vs"].encode("utf-8")
        elif "vb" in rec:
            val = b"\x01" if rec["vb"] else b"\x00"
        elif "vd" in rec:
            d = rec["vd"]
            val = base64.urlsafe_b64decode(d + "=" * (-len(d) % 4))
        elif "vlo" in rec:
            o, i = (int(x) for x in rec["vlo"].split(":"))
            val = o.to_bytes(2, "big") + i.to_bytes(2, "big")
        elif "v" in rec and isinstance(rec["v"], int):
            val = number_bytes(oid, rid, rec["v"])
        else:
            raise Refused("record without a value this reference reads: %r" % rec)
        res = objects.setdefault(oid, {}).setdefault(iid, {})
        if len(name) == 2:
            res.setdefault(rid, {})[int(name[1])] = val.hex()
        else:
            res[rid] = val.hex()
    out = []
    for oid in sorted(objects):
        insts = []
        for iid in sorted(objects[oid]):
            rs = []
            for rid in sorted(objects[oid][iid]):
                v = objects[oid][iid][rid]
                if isinstance(v, dict):
                    rs.append({"id": rid, "instances": [{"id": k, "value": v[k]} for k in sorted(v)]})
                else:
                    rs.append({"id": rid, "value": v})
            insts.append({"id": iid, "resources": rs})
        out.append({"id": oid, "instances": insts})
    return {"objects": out}


def normal(canon, versions=True):
    """Sorted by ID everywhere, Objects without Instances left out."""
    if "objects" not in canon:
        return canon
    out = []
    for o in sorted(canon["objects"], key=lambda o: o["id"]):
        if not o["instances"]:
            continue
        insts = []
        for i in sorted(o["instances"], key=lambda i: i["id"]):
            rs = []
            for r in sorted(i["resources"], key=lambda r: r["id"]):
                if "instances" in r:
                    r = {"id": r["id"], "instances": sorted(r["instances"], key=lambda x: x["id"])}
                rs.append(r)
            insts.append({"id": i["id"], "resources": rs})
        n = {"id": o["id"], "instances": insts}
        if versions:
            n["version"] = o.get("version")
        out.append(n)
    return {"objects": out}


def main(argv):
    if len(argv) >= 2 and argv[1] == "decode":
        padding, files = "ff", argv[2:]
        if files[:1] == ["--padding"]:
            padding, files = files[1], files[2:]
        for f in files:
            with open(f, "rb") as fp:
                data = fp.read()
            try:
                print(json.dumps(decode(data, padding), sort_keys=True))
            except Refused as e:
                print(json.dumps({"error": str(e)}))
        return 0
    if len(argv) == 5 and argv[1] == "random":
        rng = random.Random(int(argv[2]))
        os.makedirs(argv[4], exist_ok=True)
        for i in range(int(argv[3])):
            data = encode(random_canon(rng), rng, pad=rng.choice([0, 0, 3]))
            if len(data) > FILE_MAX:
                data = encode({"objects": []})
            if i % 2:
                data = mutate(data, rng)
            with open(os.path.join(argv[4], "%04d.bin" % i), "wb") as fp:
                fp.write(data)
        return 0
    if len(argv) >= 2 and argv[1] == "senml":
        for f in argv[2:]:
            with open(f) as fp:
                text = fp.read()
            try:
                print(json.dumps(senml_to_canon(json.loads(text)), sort_keys=True))
            except (Refused, ValueError, KeyError) as e:
                print(json.dumps({"error": str(e)}))
        return 0
    if len(argv) == 2 and argv[1] == "normal":
        for line in sys.stdin:
            print(json.dumps(normal(json.loads(line)), sort_keys=True))
        return 0
    sys.stderr.write(__doc__)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
