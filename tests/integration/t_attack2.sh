# The trust model under a second attack: what an attacker who had read the
# account model tried next.  Each check fails on the code before the fix
# it names in docs/trust-model.md (classes 10-19).
# lab: long (a few minutes: started first, so the three at a time end together)
. "$(dirname "$0")/lib.sh"
DM="application/vnd.syncml.dm+wbxml"
T=$TMP/dmtree.db
MK="python3 tests/integration/mkboot.py"
SEMI=0910101032547698 # IMSI 001010123456789 as semi-octets
ub() { $UB --tree "$T" --policy "$TMP/policy.conf" "$@"; }
policy() { printf "$1" >"$TMP/policy.conf"; }
push() {
	local f=$1
	shift
	out=$(ub --json push "$f" --content-type "$DM" --transport secure "$@" 2>"$TMP/err"); rc=$?
}
res() { echo "$rc $(echo "$out" | jget "d.get('error') or d['status']")"; }
export_all() { ub tree export --secrets; }
same_tree() { export_all | cmp -s - "$1"; }
get() { ub --json tree get --secrets "$1" 2>/dev/null | jget "d['$2']"; }
mac() { python3 -c "import hmac,hashlib,sys; print(hmac.new(bytes.fromhex(sys.argv[1]), open(sys.argv[2],'rb').read(), hashlib.sha1).hexdigest().upper())" "$1" "$2"; }
hexs() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
policy ""
$LAB sim 0 tests/profiles/demo.conf
ub bootstrap >/dev/null

# --- 10. a push keyed by a typed PIN and the IMSI takes over the card's account ---
$MK "$TMP/u.wbxml" ./DMAcc/x/ServerID=operator-dm ./DMAcc/x/AppAddr/1/Addr=https://evil.example/dm
K=$(hexs 1234:)$SEMI
export_all >"$TMP/u.before"
out=$(ub --json push "$TMP/u.wbxml" --content-type "$DM; SEC=USERPIN_NETWORKID; MAC=$(mac "$K" "$TMP/u.wbxml")" --user-pin 1234 2>"$TMP/err"); rc=$?
check "USERPIN_NETWORKID push of the card's ServerID: refused (77), the card's account kept" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'replace_card_accounts' $TMP/err && $UB --tree $T tree export --secrets | cmp -s - $TMP/u.before"
policy "[push]\nreplace_card_accounts = no\n"
push "$TMP/u.wbxml"
check "... replace_card_accounts = no: not even over a secure transport (77)" eq "$(res)" "77 policy"
policy "[push]\nreplace_card_accounts = yes\n"
out=$(ub --json push "$TMP/u.wbxml" --content-type "$DM; SEC=USERPIN_NETWORKID; MAC=$(mac "$K" "$TMP/u.wbxml")" --user-pin 1234 2>"$TMP/err"); rc=$?
check "... = yes: the policy's choice, applied" eq "$(res) $(get ./DMAcc/OperatorDM/AppAddr/1/Addr value)" \
	"0 applied https://evil.example/dm"
policy ""
$MK "$TMP/u2.wbxml" ./DMAcc/x/ServerID=operator-dm ./DMAcc/x/AppAddr/1/Addr=https://dm2.example/dm
out=$(ub --json push "$TMP/u2.wbxml" --content-type "$DM; SEC=USERPIN_NETWORKID; MAC=$(mac "$K" "$TMP/u2.wbxml")" --user-pin 1234 2>"$TMP/err"); rc=$?
check "an account a push wrote: a push replaces it (the default)" eq "$(res)" "0 applied"
rm -f "$T"*
ub bootstrap >/dev/null

# --- 11. export -> import keeps who owns a connectivity MO ---
cat >"$TMP/dev.xml" <<'EOF'
<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD>
<Node><NodeName>ConnMO</NodeName><RTProperties><Format><node/></Format></RTProperties>
 <Node><NodeName>DEVAPN</NodeName><RTProperties><Format><node/></Format></RTProperties>
  <Node><NodeName>NAP</NodeName><RTProperties><Format><node/></Format></RTProperties>
   <Node><NodeName>Addr</NodeName><RTProperties><Format><chr/></Format></RTProperties><Value>internet.device</Value></Node>
  </Node></Node></Node></MgmtTree>
EOF
ub tree import "$TMP/dev.xml" >/dev/null
$MK "$TMP/b.wbxml" ./DMAcc/b/ServerID=srvB ./DMAcc/b/PrefConRef=./ConnMO/DEVAPN
push "$TMP/b.wbxml"
check "a server's account may refer to the device's own APN" eq "$(res)" "0 applied"
export_all >"$TMP/e.xml"
rm -f "$TMP/t2.db"*
$UB --tree "$TMP/t2.db" tree import "$TMP/e.xml" >/dev/null
check "after export -> import the device's APN is still the device's, with no ACL of srvB's" eq \
	"$($UB --tree $TMP/t2.db --json tree get ./ConnMO/DEVAPN | jget "[d['server'], d['acl']]")" '[null, ""]'
check "... and the operator's ConnMO still the operator's, with its ACL" eq \
	"$($UB --tree $TMP/t2.db --json tree get ./ConnMO/Internet | jget "[d['server'], d['acl']]")" \
	'["operator-dm", "Get=operator-dm&Replace=operator-dm&Delete=operator-dm"]'
check "... and export -> import -> export is identical" sh -c "$UB --tree $TMP/t2.db tree export --secrets | cmp -s - $TMP/e.xml"

# --- 12. an account of one server refers to another server's APN ---
export_all >"$TMP/r.before"
$MK "$TMP/r.wbxml" ./DMAcc/r/ServerID=srvR ./DMAcc/r/PrefConRef=./ConnMO/Internet
push "$TMP/r.wbxml"
check "a reference to another server's connectivity MO: refused (77), tree unchanged" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'connectivity MO of another server' $TMP/err && $UB --tree $T tree export --secrets | cmp -s - $TMP/r.before"

# --- 13. bootstraps that the export could not write back ---
$MK "$TMP/l.wbxml" ./DMAcc/l/ServerID=srvL ./DMAcc/l/Name=x ./DMAcc/l/Name/Sub=y
push "$TMP/l.wbxml"
check "a leaf with a child: refused (65)" sh -c "[ '$(res)' = '65 bad-data' ] && grep -q 'is a leaf' $TMP/err"
$MK "$TMP/w.wbxml" "./DMAcc/OperatorDM /ServerID=srvW" "./DMAcc/OperatorDM /Name=looks like the operator"
push "$TMP/w.wbxml"
check "a node name ending in a space (looks like another, trimmed by XML readers): refused (65)" sh -c \
	"[ '$(res)' = '65 bad-data' ] && grep -q 'starts or ends with a space' $TMP/err"
export_all >"$TMP/e3.xml"
check "... and the export imports again" sh -c "$UB --tree $TMP/t3.db tree import $TMP/e3.xml >/dev/null"

# --- 14. one server grows the tree by bootstrapping again and again ---
for i in 1 2 3 4; do
	$MK "$TMP/g$i.wbxml" ./DMAcc/g/ServerID=srvG ./DMAcc/g/PrefConRef=./ConnMO/gc ./ConnMO/gc/NAP/Addr=apn$i
	push "$TMP/g$i.wbxml"
done
check "four bootstraps with another APN each leave one ConnMO of that server" eq \
	"$(ub tree list ./ConnMO | grep -c '^gc') $(get ./DMAcc/g/PrefConRef value) $(get ./ConnMO/gc1/NAP/Addr value)" "1 ./ConnMO/gc1 apn4"
check "... the last bootstrap says what it removed" eq "$(echo "$out" | jget "d['removed']")" '["./ConnMO/gc"]'

# --- 15. secrets are values, not references, and are not quoted ---
$MK "$TMP/s.wbxml" ./DMAcc/s/ServerID=srvS ./DMAcc/s/AppAuth/1/AAuthSecret=./Inbox/hunter2-secret
push "$TMP/s.wbxml"
cp "$TMP/err" "$TMP/err.s"
check "an AAuthSecret that looks like an Inbox reference is a secret: applied as given" eq \
	"$(res) $(get ./DMAcc/s/AppAuth/1/AAuthSecret value)" "0 applied ./Inbox/hunter2-secret"
$MK "$TMP/s2.wbxml" ./DMAcc/s/ServerID=srvS ./DMAcc/s/PrefConRef=./ConnMO/Internet \
	./ConnMO/Internet/NAP/AuthInfo/AuthSecret=./ConnMO/Internet/swordfish
push "$TMP/s2.wbxml"
check "a ConnMO secret that starts with the ConnMO's URI is not rewritten when it is renamed" eq \
	"$(res) $(echo "$out" | jget "d['renamed']") $(get ./ConnMO/Internet1/NAP/AuthInfo/AuthSecret value)" \
	'0 applied [{"from": "./ConnMO/Internet", "to": "./ConnMO/Internet1"}] ./ConnMO/Internet/swordfish'
check "... and no message quotes a secret" sh -c "! grep -q -e hunter2 -e swordfish $TMP/err $TMP/err.s"

# --- 16. GBA: the NAF's account binding, read as every URL reader does ---
ub gba bootstrap --rand 23553cbe9637a89d218ae64dae47bf35 --autn 55f328b43577b9b94a9ffac354dfafb3 --bsf bsf.example.org >/dev/null
EVIL=$(ub --json gba naf-key --naf evil.example --ua 0300000099 --secrets | jget "d['ks_ext_naf']")
policy "[gba]\nua_id = 0300000099\n"
gpush() { out=$(ub --json push "$1" --content-type "$DM; SEC=NETWORKID_GBA; MAC=$(mac "$EVIL" "$1")" 2>"$TMP/err"); rc=$?; }
export_all >"$TMP/n.before"
$MK "$TMP/n1.wbxml" --source https://evil.example/dm ./DMAcc/n/ServerID=n-srv \
	./DMAcc/n/AppAddr/1/Addr=https://evil.example:x@victim.example/dm
gpush "$TMP/n1.wbxml"
check "an address whose host is victim.example behind evil.example's userinfo: refused (77)" sh -c \
	"[ '$(res)' = '77 policy' ] && $UB --tree $T tree export --secrets | cmp -s - $TMP/n.before"
$MK "$TMP/n2.wbxml" --source https://evil.example/dm ./DMAcc/n/ServerID=n-srv \
	'./DMAcc/n/AppAddr/1/Addr=https://victim.example\@evil.example/dm'
gpush "$TMP/n2.wbxml"
check "... a backslash before the '@' (a '/' to WHATWG readers): refused (77)" eq "$(res)" "77 policy"
policy ""
$MK "$TMP/v.wbxml" ./DMAcc/v/ServerID=victim-srv ./DMAcc/v/AppAuth/1/AAuthSecret=victims ./DMAcc/v/Ext/Addr=https://victim.example/
push "$TMP/v.wbxml"
policy "[gba]\nua_id = 0300000099\n"
export_all >"$TMP/v.before"
$MK "$TMP/v2.wbxml" --source https://evil.example/dm ./DMAcc/x/ServerID=victim-srv ./DMAcc/x/AppAddr/1/Addr=https://evil.example/dm
gpush "$TMP/v2.wbxml"
check "a GBA push replacing an account that has no server address: refused (77), tree unchanged" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'has no server address' $TMP/err && $UB --tree $T tree export --secrets | cmp -s - $TMP/v.before"
# --- 17. the dry run says where the accounts land, and what apply refuses ---
policy ""
$MK "$TMP/d.wbxml" ./DMAcc/OperatorDM/ServerID=other-srv ./DMAcc/OperatorDM/Name=other
export_all >"$TMP/d.before"
push "$TMP/d.wbxml" --dry-run
check "--dry-run: the account whose name is taken would land at ./DMAcc/OperatorDM1" eq \
	"$(res) $(echo "$out" | jget "[[[a['server_id'], a['uri']] for a in d['accounts']], d['tree_checked']]")" \
	'0 verified [[["other-srv", "./DMAcc/OperatorDM1"]], true]'
check "... and nothing was written" sh -c "$UB --tree $T tree export --secrets | cmp -s - $TMP/d.before"
push "$TMP/d.wbxml"
check "... the push itself puts it there" eq "$(res) $(echo "$out" | jget "d['accounts']")" '0 applied ["./DMAcc/OperatorDM1"]'
push "$TMP/r.wbxml" --dry-run
check "--dry-run of what apply refuses (another server's ConnMO): rejected (77)" eq "$(res)" "77 policy"
# --- 18. every export imports again: more than a bootstrap's 4096 nodes, long values ---
policy ""
for sv in 1 2 3 4 5 6 7 8; do
	$MK "$TMP/big$sv.wbxml" ./DMAcc/big$sv/ServerID=big-srv$sv $(seq -f "./DMAcc/big$sv/Ext/n%g=v" 1 600) >/dev/null
	push "$TMP/big$sv.wbxml"
done
long=$(head -c 45000 /dev/zero | tr '\0' 'v')
$MK "$TMP/long.wbxml" ./DMAcc/long/ServerID=long-srv "./DMAcc/long/Ext/v=$long"
push "$TMP/long.wbxml"
export_all >"$TMP/big.xml"
rm -f "$TMP/big.db"*
check "a tree of $(grep -c '<Node>' $TMP/big.xml) nodes and a 45000-byte value: export -> import -> export is identical" sh -c \
	"$UB --tree $TMP/big.db tree import $TMP/big.xml >/dev/null && $UB --tree $TMP/big.db tree export --secrets | cmp -s - $TMP/big.xml"
done_testing
