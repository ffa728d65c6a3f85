# The C decoder of EF LwM2M_Bootstrap (src/lwm2m/, through test_lwm2m --dump)
# against the independent Python reference (lwm2m_ref.py), written from the
# specification text: the demo file, and random files in every encoding
# form (nested Instances, Multiple Resources, 8/16-bit IDs, every length
# type, explicit versions, FF padding) with mutations of half of them.  On
# each, both must accept with the same Objects or both refuse.
. "$(dirname "$0")/lib.sh"
DUMP=$UB_BUILD/tests/test_lwm2m
[ -x "$DUMP" ] || DUMP=build/tests/test_lwm2m # make valgrind wraps only the programs
REF=tests/integration/lwm2m_ref.py
cmp_dirs() { # files...: one verdict per file, "same" or what differs
	python3 - <($DUMP --dump "$@") <(python3 $REF decode "$@") "$@" <<'PY'
import json, sys
c = [json.loads(l) for l in open(sys.argv[1])]
p = [json.loads(l) for l in open(sys.argv[2])]
files = sys.argv[3:]
assert len(c) == len(p) == len(files), (len(c), len(p), len(files))
bad = [(f, a, b) for f, a, b in zip(files, c, p)
       if ("error" in a) != ("error" in b) or ("error" not in a and a != b)]
acc = sum("error" not in a for a in c)
for f, a, b in bad[:5]:
    print(f, "\n  C:  ", json.dumps(a)[:300], "\n  ref:", json.dumps(b)[:300])
print("accepted %d of %d, %d disagree" % (acc, len(files), len(bad)))
sys.exit(1 if bad else 0)
PY
}
check "demo file: the C decoder and the reference agree" cmp_dirs tests/profiles/boot/lwm2m-bootstrap.bin
check "fuzz corpus: the C decoder and the reference agree" cmp_dirs tests/fuzz/corpus/lwm2m/*
seed=${UB_LWM2M_SEED:-$(date +%s)}
python3 $REF random "$seed" 600 "$TMP/r"
check "600 random files (seed $seed, odd ones mutated): the same verdicts and Objects" cmp_dirs "$TMP"/r/*.bin
out=$(cmp_dirs "$TMP"/r/*.bin | tail -1)
n=$(echo "$out" | awk '{print $2}')
check "most random files are valid ones ($out)" test "${n:-0}" -ge 300

VIA=$UB_BUILD/tests/test_lwm2m_tree
[ -x "$VIA" ] || VIA=build/tests/test_lwm2m_tree
via_cmp() { # files...: through the tree, the reference's Objects (sorted) back
	python3 - <($VIA --via-tree "$@") <(python3 $REF decode "$@" | python3 $REF normal) "$@" <<'PY'
import json, sys
c = [json.loads(l) for l in open(sys.argv[1])]
p = [json.loads(l) for l in open(sys.argv[2])]
files = sys.argv[3:]
assert len(c) == len(p) == len(files), (len(c), len(p), len(files))
bad, ok = [], 0
for f, a, b in zip(files, c, p):
    if "error" not in a:
        ok += 1
        if a != b:
            bad.append((f, a, b))
    elif a["stage"] == "decode" and "error" not in b:
        bad.append((f, a, b))  # the reference accepts what the C decoder refused
    elif a["stage"] not in ("decode", "check"):
        bad.append((f, a, b))  # refused after the meaning check: the tree's fault
for f, a, b in bad[:5]:
    print(f, "\n  tree:", json.dumps(a)[:300], "\n  ref: ", json.dumps(b)[:300])
print("through the tree %d of %d, %d disagree" % (ok, len(files), len(bad)))
sys.exit(1 if bad else 0)
PY
}
check "demo file through the device tree: the card's Objects back" via_cmp tests/profiles/boot/lwm2m-bootstrap.bin
check "fuzz corpus through the device tree" via_cmp tests/fuzz/corpus/lwm2m/*
check "600 random files (seed $seed) through the device tree: what is accepted comes back byte for byte" \
	via_cmp "$TMP"/r/*.bin
out=$(via_cmp "$TMP"/r/*.bin | tail -1)
n=$(echo "$out" | awk '{print $4}')
check "most random files make it through the tree ($out)" test "${n:-0}" -ge 200
done_testing
