# A swapped or stolen SIM at power-on: a card writes only its own accounts,
# a card change takes nothing away, and "unchanged" holds only while the
# card still owns what it wrote (docs/trust-model.md, "SIM swap / lost or
# stolen device").  Card A is the demo card (operator-dm at
# dm.operator.example, its ConnMO, LwM2M servers, operator-cp); between the
# steps operator-dm's server changes A's account through the library, as a
# DM client does (ub_tree_replace_as).
. "$(dirname "$0")/lib.sh"
BOOT=$PWD/tests/profiles/boot
T=$TMP/dmtree.db
MK="python3 tests/integration/mkboot.py"
ub() { $UB -r "$R0" --tree "$T" --policy "$TMP/policy.conf" "$@"; }
: >"$TMP/policy.conf"
res() { echo "$rc $(echo "$out" | jget "d.get('error') or d['status']")"; }
get() { $UB --tree "$T" --json tree get --secrets "$1" 2>/dev/null | jget "d['value']"; }
acct() { $UB --tree "$T" tree export --secrets ./DMAcc/OperatorDM; }
# server NAME VALUE: operator-dm's server replaces a leaf of its account
server() {
	python3 - "$T" "$1" "$2" <<'EOF'
import ctypes, sys
lib = ctypes.CDLL("build/libuiccboot.so")
t = ctypes.c_void_p()
why = ctypes.create_string_buffer(400)
if lib.ub_tree_open_mode(sys.argv[1].encode(), 1, ctypes.byref(t), why, 400):
    sys.exit("open: " + why.value.decode())
err = lib.ub_tree_replace_as(t, b"operator-dm", ("./DMAcc/OperatorDM/" + sys.argv[2]).encode(), sys.argv[3].encode())
lib.ub_tree_close(t)
sys.exit(err and "replace: %d" % err)
EOF
}
# card NAME ICCID [DM_WBXML]: the demo card with another ICCID and DM
# object (none: a SIM without PKCS#15 bootstrap, the plain test USIM)
card() {
	if [ $# -lt 3 ]; then
		sed "s/^iccid = .*/iccid = $2/" tests/profiles/test-usim.conf >"$TMP/$1.conf"
		return
	fi
	sed "s|= boot/|= $BOOT/|; s/^iccid = .*/iccid = $2/; s|^dm_bootstrap = .*|dm_bootstrap = $3|; /^cp_bootstrap/d; /^lwm2m_/d" \
		tests/profiles/demo.conf >"$TMP/$1.conf"
}
# the demo card's DM bootstrap with its Addr's host and its secret changed
dmboot() {
	sed "s|https://dm.operator.example:443/dm</Data>|https://$2/dm</Data>|; s|client-secret-demo|$3|" \
		tests/profiles/boot/dm-bootstrap.xml >"$TMP/$1.xml"
	xml2wbxml -o "$TMP/$1.wbxml" "$TMP/$1.xml" >/dev/null 2>&1
}
sed "s|= boot/|= $BOOT/|" tests/profiles/demo.conf >"$TMP/A.conf"
A=8949440000001234567
card plain 8949440000000000001
dmboot thief dm.thief.example thief-secret
card thief 8949440000006666666 "$TMP/thief.wbxml"

# The swap sequence: A; a SIM without bootstrap; the thief's card naming
# operator-dm at its own host; A again.  A's account ends as its server
# left it, under the default policy and under remove_stale = no.
for P in default nostale; do
	rm -f "$T"*
	[ $P = nostale ] && printf '[smartcard]\nremove_stale = no\n' >"$TMP/policy.conf" || : >"$TMP/policy.conf"
	$LAB sim 0 "$TMP/A.conf"
	out=$(ub --json bootstrap); rc=$?
	check "$P: card A applied" eq "$(res)" "0 applied"
	server AppAuth/1/AAuthSecret rotated-1
	$LAB sim 0 "$TMP/plain.conf"
	out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
	check "$P: a SIM without bootstrap: nothing removed, A's account, ConnMO and LwM2M Instances stay" eq \
		"$rc $(echo "$out" | jget "d['removed']") $(get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret) $(get ./ConnMO/Internet/ID) $($UB --tree "$T" tree list ./LwM2M/0 | tr '\n' ' ')" \
		"0 [] rotated-1 internet.operator.example 0 1 "
	server Name "renamed by the server"
	$LAB sim 0 "$TMP/thief.conf"
	out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
	check "$P: the thief's card naming operator-dm at dm.thief.example: refused (77), naming the account, its source and the rule" sh -c \
		"[ '$(res)' = '77 policy' ] && grep -q 'DMAcc/OperatorDM (ServerID operator-dm, written by iccid:$A) is not replaced: a card replaces another card.s account only when it is the same server' $TMP/err"
	server AppAuth/1/AAuthSecret rotated-2
	acct >"$TMP/server-left.xml"
	$LAB sim 0 "$TMP/A.conf"
	out=$(ub --json bootstrap); rc=$?
	acct >"$TMP/after.xml"
	check "$P: A again: unchanged, its account as its server left it (rotated secret, new name, A's address)" sh -c \
		"[ '$(res)' = '0 unchanged' ] && cmp -s $TMP/after.xml $TMP/server-left.xml && grep -q rotated-2 $TMP/after.xml && grep -q 'renamed by the server' $TMP/after.xml && [ '$(get ./DMAcc/OperatorDM/AppAddr/1/Addr)' = https://dm.operator.example:443/dm ]"
done
: >"$TMP/policy.conf"

# --- the owner removes a card's data: tree forget ---
out=$($UB --tree "$T" --json tree forget --source iccid:$A); rc=$?
check "tree forget --source iccid:<A>: A's DM, CP and LwM2M data removed, listed" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['source'], d['removed']]")" \
	"0 [\"applied\", \"iccid:$A\", [\"./ConnMO/CP_APN\", \"./ConnMO/Internet\", \"./DMAcc/OperatorDM\", \"./DMAcc/operator-cp\", \"./LwM2M/0/0\", \"./LwM2M/0/1\", \"./LwM2M/1/0\"]]"
out=$($UB --tree "$T" --json tree forget --source iccid:$A 2>/dev/null); rc=$?
check "... again: nothing of it in the tree (69, not-found)" eq "$(res)" "69 not-found"
$UB --tree "$T" tree forget --source nobody >/dev/null 2>&1; rc=$?
check "... a source that is no card, push, import or factory: usage (64)" eq "$rc" 64
out=$(ub --json bootstrap); rc=$?
check "... A inserted again after forget: applied anew" eq "$(res)" "0 applied"

# --- a card does not take over what factory apply, an import or a push wrote ---
cat >"$TMP/factory.xml" <<'EOF'
<MgmtTree><VerDTD>1.2</VerDTD><Node><NodeName>DMAcc</NodeName><Path>.</Path>
<Node><NodeName>OperatorDM</NodeName>
<Node><NodeName>ServerID</NodeName><Value>operator-dm</Value></Node>
<Node><NodeName>AppAddr</NodeName><Node><NodeName>1</NodeName><Node><NodeName>Addr</NodeName><Value>https://dm.operator.example:443/dm</Value></Node></Node></Node>
<Node><NodeName>AppAuth</NodeName><Node><NodeName>1</NodeName><Node><NodeName>AAuthSecret</NodeName><Value>factory-secret</Value></Node></Node></Node>
</Node></Node></MgmtTree>
EOF
for S in factory import; do
	rm -f "$T"*
	$UB --tree "$T" tree import --source $S "$TMP/factory.xml" >/dev/null
	$UB --tree "$T" tree export --secrets >"$TMP/$S.before"
	$LAB sim 0 "$TMP/thief.conf"
	out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
	check "$S's operator-dm account: the thief's card refused (77), naming the account, '$S' and the rule; the tree as before" sh -c \
		"[ '$(res)' = '77 policy' ] && grep -q 'DMAcc/OperatorDM (ServerID operator-dm) was written by $S: a card replaces only what cards wrote (\[smartcard\] replace_accounts)' $TMP/err && $UB --tree $T tree export --secrets | cmp -s - $TMP/$S.before"
	$LAB sim 0 "$TMP/plain.conf"
	ub bootstrap >/dev/null 2>&1
	check "... the thief's card gone: the $S account is still there" eq "$(get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret)" "factory-secret"
done
printf '[smartcard]\nreplace_accounts = same_server\n' >"$TMP/policy.conf"
$LAB sim 0 "$TMP/thief.conf"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "replace_accounts = same_server: the thief's host is another server: refused (77)" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'is not at dm.thief.example' $TMP/err"
dmboot op2 dm.operator.example:443 operator-new
card op2 8949440000002222222 "$TMP/op2.wbxml"
$LAB sim 0 "$TMP/op2.conf"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "... the operator's own card (its host) replaces the import's account" eq \
	"$(res) $(get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret)" "0 applied operator-new"
: >"$TMP/policy.conf"

# --- another card of the same server replaces A's account; a pin decides a host ---
rm -f "$T"*
$LAB sim 0 "$TMP/A.conf"
ub bootstrap >/dev/null
$LAB sim 0 "$TMP/op2.conf"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "the operator's new SIM (another ICCID, the same host): A's account replaced" eq \
	"$(res) $(get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret) $($UB --tree "$T" --json tree get ./DMAcc/OperatorDM | jget "d['source']")" \
	"0 applied operator-new iccid:8949440000002222222"
printf '[servers]\nallow = operator-dm@dm.operator.example, operator-cp\n' >"$TMP/policy.conf"
$LAB sim 0 "$TMP/thief.conf"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "[servers] allow = operator-dm@dm.operator.example: the thief's card refused before the tree (77, [servers] allow)" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'ServerID operator-dm is pinned to a host, and the account.s server address is not there' $TMP/err"
dmboot op3 dm3.operator.example op3-secret
card op3 8949440000003333333 "$TMP/op3.wbxml"
printf '[servers]\nallow = operator-dm@dm3.operator.example, operator-cp\n' >"$TMP/policy.conf"
$LAB sim 0 "$TMP/op3.conf"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "the operator moved to dm3 (pinned): its card replaces the account at the old host" eq \
	"$(res) $(get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret)" "0 applied op3-secret"
: >"$TMP/policy.conf"

# --- "unchanged" only while the card owns what it wrote ---
# card T2 is the same server (its host) with other credentials: it may
# replace A's account; A again must be applied, not "unchanged"
rm -f "$T"*
printf '[smartcard]\nremove_stale = no\n' >"$TMP/policy.conf"
dmboot same dm.operator.example:443 other-secret
card same 8949440000007777777 "$TMP/same.wbxml"
$LAB sim 0 "$TMP/A.conf"
ub bootstrap >/dev/null
$LAB sim 0 "$TMP/same.conf"
out=$(ub --json bootstrap); rc=$?
check "remove_stale = no: a card of the same server replaces A's account" eq \
	"$(res) $(get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret)" "0 applied other-secret"
$LAB sim 0 "$TMP/A.conf"
out=$(ub --json bootstrap); rc=$?
check "... A again: applied (not unchanged: A no longer owned its account), A's secret back" eq \
	"$(res) $(get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret)" "0 applied client-secret-demo"
out=$(ub --json bootstrap); rc=$?
check "... and A once more: unchanged" eq "$(res)" "0 unchanged"
: >"$TMP/policy.conf"

# --- the card path: a relative reference to another server's ConnMO ---
$MK "$TMP/rel.wbxml" ./DMAcc/other/ServerID=other-dm ./DMAcc/other/AppAddr/1/Addr=https://dm.other.example/dm \
	./DMAcc/other/PrefConRef=ConnMO/Internet
card rel 8949440000008888888 "$TMP/rel.wbxml"
$UB --tree "$T" tree export --secrets >"$TMP/rel.before"
$LAB sim 0 "$TMP/rel.conf"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "a card whose account names operator-dm's ConnMO relatively (ConnMO/Internet): refused (77), the tree as before" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'refers to ./ConnMO/Internet, the connectivity MO of another server' $TMP/err && $UB --tree $T tree export --secrets | cmp -s - $TMP/rel.before"
done_testing
