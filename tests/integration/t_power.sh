# Issue 9: power-on with several readers: bootstrap --all-readers (a thread
# and a transaction per card), then cards taken out.
. "$(dirname "$0")/lib.sh"
T=$TMP/dmtree.db
ub() { $UB --tree "$T" --policy /dev/null "$@"; }
# a second card: another ICCID, another operator, another ConnMO name
sed 's/operator-dm/operator-b/; s/OperatorDM/OperatorB/g; s|ConnMO/Internet|ConnMO/InternetB|g' \
	tests/profiles/boot/dm-bootstrap.xml >"$TMP/b.xml"
xml2wbxml -o "$TMP/b.wbxml" "$TMP/b.xml" >/dev/null 2>&1
sed "s/^iccid = .*/iccid = 8949440000007654321/; s|^dm_bootstrap = .*|dm_bootstrap = $TMP/b.wbxml|; /^cp_bootstrap/d; /^lwm2m_/d" \
	tests/profiles/demo.conf >"$TMP/b.conf"
$LAB sim 0 tests/profiles/demo.conf
$LAB sim 1 "$TMP/b.conf"

out=$(ub --json bootstrap --all-readers); rc=$?
check "two readers: both cards applied, each in its own transaction" eq \
	"$rc $(echo "$out" | jget "sorted((r['reader'], r['status'], r['accounts'], r['iccid']) for r in d['readers'])")" \
	"0 $(python3 -c "import json; print(json.dumps(sorted([('$R0', 'applied', ['./DMAcc/OperatorDM'], '8949440000001234567'), ('$R1', 'applied', ['./DMAcc/OperatorB'], '8949440000007654321')])))")"
check "each card's nodes carry its ICCID" eq \
	"$(ub --json tree get ./DMAcc/OperatorDM | jget "d['source']") $(ub --json tree get ./DMAcc/OperatorB | jget "d['source']")" \
	"iccid:8949440000001234567 iccid:8949440000007654321"
check "the APDUs of each reader are counted apart" eq \
	"$(echo "$out" | jget "[r['apdus'] > 10 for r in d['readers']]")" "[true, true]"
out=$(ub --json bootstrap --all-readers); rc=$?
check "again: both unchanged, nothing removed" eq "$rc $(echo "$out" | jget "[sorted(r['status'] for r in d['readers']), d['removed']]")" \
	'0 [["unchanged", "unchanged"], []]'
$LAB simstop 1
out=$(ub --json bootstrap --all-readers); rc=$?
check "card B taken out: its account and ConnMO removed, A's kept" eq \
	"$rc $(echo "$out" | jget "[[r['status'] for r in d['readers']], d['removed']]") $(ub tree list ./DMAcc | tr '\n' ' ')" \
	'0 [["unchanged"], ["./ConnMO/InternetB", "./DMAcc/OperatorB"]] OperatorDM '
$LAB simstop 0
out=$(ub --json bootstrap --all-readers 2>"$TMP/err"); rc=$?
check "no card at all: 69, A's data removed too (its LwM2M Instances with it), and said" eq \
	"$rc $(echo "$out" | jget "d['removed']") $(grep -c 'data of earlier cards removed' "$TMP/err")" \
	'69 ["./ConnMO/Internet", "./DMAcc/OperatorDM", "./LwM2M/0/0", "./LwM2M/0/1", "./LwM2M/1/0"] 1'
out=$(ub --json --wait 1 bootstrap --all-readers 2>/dev/null); rc=$?
check "--wait with no card coming: 69 after the wait" eq "$rc $(echo "$out" | jget "d['readers']")" "69 []"
( sleep 0.5; $LAB sim 1 "$TMP/b.conf" ) &
out=$(ub --json --wait 10 bootstrap --all-readers); rc=$?
wait
check "--wait: a card inserted later is bootstrapped" eq "$rc $(echo "$out" | jget "[r['status'] for r in d['readers']]")" '0 ["applied"]'
done_testing
