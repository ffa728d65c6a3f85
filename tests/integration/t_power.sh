# Issue 9: power-on with several readers: bootstrap --all-readers (a thread
# and a transaction per card), then cards taken out.
# lab: alone (bootstrap --all-readers sees every reader of the pcscd)
. "$(dirname "$0")/lib.sh"
T=$TMP/dmtree.db
ub() { $UB --tree "$T" --policy /dev/null "$@"; }
# [smartcard] remove_absent = yes: what cards no longer inserted wrote goes
printf '[smartcard]\nremove_absent = yes\n' >"$TMP/absent.conf"
uba() { $UB --tree "$T" --policy "$TMP/absent.conf" "$@"; }
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
	"0 $(python3 -c "import json; print(json.dumps(sorted([('$R0', 'applied', ['./DMAcc/OperatorDM', './DMAcc/operator-cp'], '8949440000001234567'), ('$R1', 'applied', ['./DMAcc/OperatorB'], '8949440000007654321')])))")"
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
check "card B taken out, the default policy: nothing removed (a card change takes nothing away)" eq \
	"$rc $(echo "$out" | jget "[[r['status'] for r in d['readers']], d['removed']]") $(ub tree list ./DMAcc | tr '\n' ' ')" \
	'0 [["unchanged"], []] OperatorB OperatorDM operator-cp '
out=$(uba --json bootstrap --all-readers); rc=$?
check "remove_absent = yes: card B's account and ConnMO removed, A's kept" eq \
	"$rc $(echo "$out" | jget "[[r['status'] for r in d['readers']], d['removed']]") $(ub tree list ./DMAcc | tr '\n' ' ')" \
	'0 [["unchanged"], ["./ConnMO/InternetB", "./DMAcc/OperatorB"]] OperatorDM operator-cp '
$LAB simstop 0
out=$(ub --json bootstrap --all-readers 2>"$TMP/err"); rc=$?
check "no card at all, the default policy: 69, nothing removed" eq \
	"$rc $(echo "$out" | jget "d['removed']") $(ub tree list ./DMAcc | tr '\n' ' ')" \
	'69 [] OperatorDM operator-cp '
check "... and --json says it in one object: error, message, where" eq \
	"$(echo "$out" | jget "[d['error'], bool(d['message']), 'where' in d, len(d['readers'])]")" '["no-card", true, true, 0]'
out=$(uba --json bootstrap --all-readers 2>"$TMP/err"); rc=$?
check "remove_absent = yes, no card at all: 69, A's data removed too (its LwM2M Instances with it), and said" eq \
	"$rc $(echo "$out" | jget "d['removed']") $(grep -c 'data of earlier cards removed' "$TMP/err")" \
	'69 ["./ConnMO/CP_APN", "./ConnMO/Internet", "./DMAcc/OperatorDM", "./DMAcc/operator-cp", "./LwM2M/0/0", "./LwM2M/0/1", "./LwM2M/1/0"] 1'
out=$(ub --json --wait 1 bootstrap --all-readers 2>/dev/null); rc=$?
check "--wait with no card coming: 69 after the wait" eq "$rc $(echo "$out" | jget "d['readers']")" "69 []"
( sleep 0.5; $LAB sim 1 "$TMP/b.conf" ) &
out=$(ub --json --wait 10 bootstrap --all-readers); rc=$?
wait
check "--wait: a card inserted later is bootstrapped" eq "$rc $(echo "$out" | jget "[r['status'] for r in d['readers']]")" '0 ["applied"]'
# --- APDU economy: PKCS#15 by its AID first, EF_DIR only when that fails ---
LOG=$LABDIR/sim0.log
card_apdus() { awk '/^# (reset|power on)/ { n = 0 } /^> / { n++ } END { print n }' "$LOG"; }
# the demo card's DM and CP bootstraps (without its LwM2M file): both are
# read, the CP file after the DM one (SELECT with its FCP + READ BINARY)
sed '/^lwm2m_/d; s|= boot/|= '"$PWD"'/tests/profiles/boot/|' tests/profiles/demo.conf >"$TMP/dmonly.conf"
$LAB sim 0 "$TMP/dmonly.conf"
printf '[smartcard]\nlogical_channel = no\n' >"$TMP/basic.conf"
rm -f "$TMP/e.db"*
n=$($UB --tree "$TMP/e.db" --policy "$TMP/basic.conf" -r "$R0" --reset --json bootstrap | jget "d['apdus']")
check "demo card's DM and CP bootstraps, T=1, after --reset, basic channel: 13 APDUs (card saw $(card_apdus))" eq "$n $(card_apdus)" "13 13"
check "... and reads no EF_DIR record (.. B2 .. F4)" eq "$(awk '/^# (reset|power on)/ { n = 0 } /^> 0. B2 [0-9A-F][0-9A-F] F4/ { n++ } END { print n + 0 }' "$LOG")" 0
rm -f "$TMP/e.db"*
n=$($UB --tree "$TMP/e.db" --policy /dev/null -r "$R0" --reset --json bootstrap | jget "d['apdus']")
check "... on a logical channel (the default): 2 more, MANAGE CHANNEL open and close" eq "$n $(card_apdus)" "15 15"
# a card with the DM object alone costs what it did when only the first
# object was read: its size from the FCP is the read to a short answer
# (T=1), the FCP's GET RESPONSE the 6Cxx round (T=0)
for P in T1:11 T0:14; do
	sed "/^cp_bootstrap/d; s/^protocol = .*/protocol = ${P%:*}/" "$TMP/dmonly.conf" >"$TMP/dm1.conf"
	$LAB sim 0 "$TMP/dm1.conf"
	rm -f "$TMP/e.db"*
	n=$($UB --tree "$TMP/e.db" --policy "$TMP/basic.conf" -r "$R0" --reset --json bootstrap | jget "d['apdus']")
	check "a card with only a DM object, ${P%:*}, after --reset, basic channel: ${P#*:} APDUs" eq "$n $(card_apdus)" "${P#*:} ${P#*:}"
done
# a card that selects only by a whole AID, with a PKCS#15 AID longer than
# the well-known one: the probe fails (6A82), EF_DIR names the application
sed 's/^\[card\]/[card]\npartial_aid = no/; s/^\[pkcs15\]/[pkcs15]\naid = A000000063504B43532D3135FF01/' \
	tests/profiles/demo.conf >"$TMP/whole.conf"
sed -i "s|= boot/|= $PWD/tests/profiles/boot/|" "$TMP/whole.conf"
$LAB sim 0 "$TMP/whole.conf"
rm -f "$TMP/e.db"*
out=$($UB --tree "$TMP/e.db" --policy /dev/null -r "$R0" --reset --json bootstrap); rc=$?
check "whole-AID card: bootstrap applied through EF_DIR" eq "$rc $(echo "$out" | jget "[d['status'], d['accounts']]")" \
	'0 ["applied", ["./DMAcc/OperatorDM", "./DMAcc/operator-cp"]]'
check "... the probe refused (6A82), then EF_DIR read and the full AID selected" eq \
	"$(grep -c '^< 6A 82' "$LOG") $(grep -c '^> 0. B2 01 F4' "$LOG") $(grep -c '^> 0. A4 04 0C 0E A0 00 00 00 63 50 4B 43 53 2D 31 35 FF 01' "$LOG")" "1 1 1"
out=$($UB -r "$R0" --json info); rc=$?
check "... info lists the PKCS#15 application once, with its full AID" eq \
	"$rc $(echo "$out" | jget "[a['aid'] for a in d['apps'] if a['kind'] == 'pkcs15']")" '0 ["a000000063504b43532d3135ff01"]'
done_testing
