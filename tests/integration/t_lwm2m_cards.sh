# Card A's LwM2M data against other cards and DM pushes, and a card swap
# under --all-readers (pcscd + vpcd + uicc-sim, two readers).
# lab: alone (bootstrap --all-readers sees every reader of the pcscd)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lwm2m_cards.sh"
policy ""
# --- isolation: card A's LwM2M data against other cards and DM pushes ---
rm -f "$T"*
B=000200390000000026080523c80016636f6170733a2f2f622e6578616d706c653a35363834c10100c10203c20a00ca00010000090705c20000cac10755
C=0001002a0000000025080722c80016636f6170733a2f2f632e6578616d706c653a35363834c10100c10203c10a65
card b 8949440000007654321 $B B
card c 8949440000005555555 $C C
$LAB sim 0 tests/profiles/demo.conf
$LAB sim 1 "$TMP/b.conf"
out=$($UB --tree "$T" --policy /dev/null --json bootstrap --all-readers); rc=$?
check "two cards, two LwM2M bootstraps of two servers: both applied" eq \
	"$rc $(echo "$out" | jget "sorted((r['objects'][1]['status'], tuple(r['objects'][1]['instances'])) for r in d['readers'])")" \
	'0 [["applied", ["./LwM2M/0/0", "./LwM2M/0/1", "./LwM2M/1/0"]], ["applied", ["./LwM2M/0/5", "./LwM2M/1/5"]]]'
$UB --tree "$T" tree export --secrets ./LwM2M/0/0 >"$TMP/a.before"
$UB --tree "$T" tree export --secrets ./LwM2M/1/0 >>"$TMP/a.before"
$LAB sim 1 "$TMP/c.conf"
printf '[smartcard]\nremove_stale = no\n' >"$TMP/nostale.conf" # C alone: A's data stays
out=$($UB --tree "$T" --policy "$TMP/nostale.conf" --json -r "$R1" bootstrap 2>"$TMP/err"); rc=$?
check "card C configures A's server (SSID 101) too: refused (77), naming A's Instance" sh -c \
	"[ $rc = 77 ] && grep -q 'lwm2m:101 has an Instance of Object 0 already (./LwM2M/0/0, written by iccid:$ICCID/lwm2m)' $TMP/err"
$MK "$TMP/p1.wbxml" ./DMAcc/evil/ServerID=evil.example ./LwM2M/0/0/0=coaps://evil.example
out=$($UB --tree "$T" --json push "$TMP/p1.wbxml" --content-type "$DM" --transport secure 2>"$TMP/err"); rc=$?
check "a DM push writing ./LwM2M: refused whole (65)" sh -c "[ $rc = 65 ] && grep -q 'only the card.s LwM2M bootstrap writes ./LwM2M' $TMP/err"
$MK "$TMP/p2.wbxml" ./DMAcc/evil/ServerID=lwm2m:101 ./DMAcc/evil/AppAddr/1/Addr=https://evil.example/
out=$($UB --tree "$T" --json push "$TMP/p2.wbxml" --content-type "$DM" --transport secure 2>"$TMP/err"); rc=$?
check "a DM push taking the ServerID lwm2m:101 (the ACL principal of A's Instances): refused (65)" sh -c \
	"[ $rc = 65 ] && grep -q 'ServerIDs starting with lwm2m:' $TMP/err"
$MK "$TMP/p3.wbxml" ./DMAcc/OperatorDM/ServerID=operator-dm ./DMAcc/OperatorDM/AppAddr/1/Addr=https://dm.operator.example:443/dm
$UB --tree "$T" push "$TMP/p3.wbxml" --content-type "$DM" --transport secure >/dev/null 2>&1
$UB --tree "$T" tree export --secrets ./LwM2M/0/0 >"$TMP/a.after"
$UB --tree "$T" tree export --secrets ./LwM2M/1/0 >>"$TMP/a.after"
check "card A's LwM2M Instances byte for byte as before (card C, the pushes, A's own DM server's push)" \
	cmp "$TMP/a.before" "$TMP/a.after"
check "card A's LwM2M data still exported whole (/1/0 and its 4 records, beside B's /1/5)" eq \
	"$(ub lwm2m export --secrets --object 1 | python3 -c "
import json, sys
bn, n = None, {}
for r in json.load(sys.stdin):
    bn = r.get('bn', bn)
    n[bn] = n.get(bn, 0) + 1
print(json.dumps(n, sort_keys=True))")" '{"/1/0/": 4, "/1/5/": 2}'

# --- a card swap under --all-readers: the old card's Instance IDs are free again ---
# SSID 102 at A's Instance IDs (/0/0/10 and /1/0/0 changed)
D=$(od -An -tx1 -v $BOOT/lwm2m-bootstrap.bin | tr -d ' \n' | sed 's/c10a65/c10a66/; s/c10065c401/c10066c401/')
card d 8949440000004444444 "$D" D
$LAB simstop 1
$LAB sim 0 "$TMP/d.conf"
out=$($UB --tree "$T" --policy /dev/null --json bootstrap --all-readers 2>/dev/null); rc=$?
check "A taken out, D in, the default policy: A's data stays, D's LwM2M at A's Instance IDs refused (77)" eq \
	"$rc $(echo "$out" | jget "[d['readers'][0]['objects'][1]['status'], d['removed']]") $(ub --json tree get ./LwM2M/0/0 | jget "d['source']")" \
	"77 [\"rejected\", []] iccid:$ICCID/lwm2m"
printf '[smartcard]\nremove_absent = yes\n' >"$TMP/absent.conf"
out=$($UB --tree "$T" --policy "$TMP/absent.conf" --json bootstrap --all-readers); rc=$?
check "remove_absent = yes, A taken out, D in: A's and B's data removed, D's LwM2M applied at A's Instance IDs in the same power-on" eq \
	"$rc $(echo "$out" | jget "[d['readers'][0]['objects'][1]['status'], d['readers'][0]['objects'][1]['instances'], './LwM2M/0/0' in d['removed'], './LwM2M/0/5' in d['removed']]") $(ub --json tree get ./LwM2M/0/0 | jget "[d['source'], d['server']]")" \
	'0 ["applied", ["./LwM2M/0/0", "./LwM2M/0/1", "./LwM2M/1/0"], true, true] ["iccid:8949440000004444444/lwm2m", "lwm2m:102"]'
done_testing
