# The trust model under attack: crafted bootstraps that break isolation,
# the ServerID allow-list, the export, the bounds, factory apply, the
# secrets and the GBA binding on code without the account model.  Each
# check is a refusal (or the attacker's write landing only in its own
# account) with the tree left as it was.  docs/trust-model.md maps each
# threat to its mechanism and to these checks.
# lab: long (a few minutes: started first, so the three at a time end together)
. "$(dirname "$0")/lib.sh"
DM="application/vnd.syncml.dm+wbxml"
T=$TMP/dmtree.db
MK="python3 tests/integration/mkboot.py"
ub() { $UB --tree "$T" --policy "$TMP/policy.conf" "$@"; }
policy() { printf "$1" >"$TMP/policy.conf"; }
# push FILE [args]: over a secure transport (no MAC: the server is whoever
# the test says), applied; sets $rc and $out
push() {
	local f=$1
	shift
	out=$(ub --json push "$f" --content-type "$DM" --transport secure "$@" 2>"$TMP/err"); rc=$?
}
res() { echo "$rc $(echo "$out" | jget "d.get('error') or d['status']")"; }
export_all() { ub tree export --secrets; }
get() { ub --json tree get --secrets "$1" 2>/dev/null | jget "d['value']"; }
mac() { python3 -c "import hmac,hashlib,sys; print(hmac.new(bytes.fromhex(sys.argv[1]), open(sys.argv[2],'rb').read(), hashlib.sha1).hexdigest().upper())" "$1" "$2"; }
hexs() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
policy ""
$LAB sim 0 tests/profiles/demo.conf

# --- 1. account capture: a ServerID leaf deeper in the attacker's account ---
$MK "$TMP/a1.wbxml" ./DMAcc/a/ServerID=attacker.example ./DMAcc/a/Ext/ServerID=operator-dm \
	./DMAcc/a/AppAddr/1/Addr=https://attacker.example/dm
push "$TMP/a1.wbxml"
check "the attacker's account with a nested ServerID leaf is its own account" eq "$(res)" "0 applied"
out=$(ub --json bootstrap); rc=$?
check "the operator's card bootstrap gets the operator's own account, not ./DMAcc/a/Ext" eq \
	"$rc $(echo "$out" | jget "d['accounts']")" '0 ["./DMAcc/OperatorDM", "./DMAcc/operator-cp"]'
check "nothing of the operator's sits in the attacker's account" eq \
	"$(ub tree list ./DMAcc/a/Ext | tr '\n' ' ')" "ServerID "
check "the operator's AAuthSecret is in its account, owned by operator-dm" eq \
	"$(ub --json tree get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret | jget "d['server']")" "operator-dm"
ub tree export ./DMAcc/OperatorDM >"$TMP/op.before"
$MK "$TMP/a2.wbxml" ./DMAcc/a/ServerID=attacker.example ./DMAcc/a/Name=changed
push "$TMP/a2.wbxml"
check "the attacker's next bootstrap replaces only its own account" sh -c \
	"[ '$(res)' = '0 applied' ] && ub() { $UB --tree $T tree export ./DMAcc/OperatorDM; }; ub | cmp - $TMP/op.before"
check "... and the operator's credentials are still there" eq \
	"$(get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret)" "client-secret-demo"
$MK "$TMP/a3.wbxml" ./DMAcc/OperatorDM/ServerID=attacker.example \
	./DMAcc/OperatorDM/AppAddr/2/Addr=https://evil.example/dm
push "$TMP/a3.wbxml"
check "writing into the operator's account name lands in the attacker's own" sh -c \
	"[ '$(echo "$out" | jget "d['accounts']")' = '[\"./DMAcc/a\"]' ] && $UB --tree $T tree export ./DMAcc/OperatorDM | cmp - $TMP/op.before"

# --- 2. the allow-list: one account model for policy and apply ---
policy "[servers]\nallow = operator-dm, attacker.example\n"
export_all >"$TMP/all.before"
$MK "$TMP/b1.wbxml" ./DMAcc/x/ServerID=operator-dm ./DMAcc/x/ServerId=evil.example
push "$TMP/b1.wbxml"
check "ServerID and ServerId in one DM 1.2 account: refused (65), the tree unchanged" sh -c \
	"[ '$(res)' = '65 bad-data' ] && grep -q 'spells it ServerID' $TMP/err && $UB --tree $T tree export --secrets | cmp - $TMP/all.before"
$MK "$TMP/b2.wbxml" ./DMAcc/x/ServerID=operator-dm ./SyncML/DMAcc/y/ServerId=evil.example
push "$TMP/b2.wbxml"
check "a DM 1.1 account smuggled into a DM 1.2 bootstrap: refused (65)" sh -c \
	"[ '$(res)' = '65 bad-data' ] && $UB --tree $T tree export --secrets | cmp - $TMP/all.before"
$MK "$TMP/b3.wbxml" ./DMAcc/x/ServerID=operator-dm ./DevInfo/Ext/x=1
push "$TMP/b3.wbxml"
check "a node outside accounts and connectivity MOs: refused (65)" eq "$(res)" "65 bad-data"
policy ""
$MK "$TMP/b4.wbxml" './DMAcc/x/ServerID=x&Replace=*'
push "$TMP/b4.wbxml"
check "a ServerID that would inject into the account's ACL: refused (65)" eq "$(res)" "65 bad-data"
$MK "$TMP/b5.wbxml" ./DMAcc/x/ServerID=srv-x ./DMAcc/y/ServerID=srv-x
push "$TMP/b5.wbxml"
check "two accounts for one ServerID: refused (65)" eq "$(res)" "65 bad-data"

# --- 3. what is printed or exported is escaped; Format from DM's list ---
$MK "$TMP/c1.wbxml" --format './DMAcc/c/Name=chr/></Format><Type><MIME>t</MIME></Type></RTProperties><Value>x</Value></Node><Node><NodeName>Evil</NodeName><RTProperties><Format><chr' \
	./DMAcc/c/ServerID=srv-c ./DMAcc/c/Name=n
push "$TMP/c1.wbxml"
check "a Format value that closes the node in the export: refused (65)" sh -c \
	"[ '$(res)' = '65 bad-data' ] && grep -q 'Format is not one' $TMP/err"
$MK "$TMP/c2.wbxml" './DMAcc/q<"&>/ServerID=srv-q' './DMAcc/q<"&>/Name=</Value></Node><Node>&amp;'
push "$TMP/c2.wbxml"
export_all >"$TMP/c2.xml"
check "names and values with markup are escaped: the export is well-formed XML" \
	python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$TMP/c2.xml"
ub tree export --secrets './DMAcc/q<"&>/Name' >"$TMP/c2sub.xml"
check "... also in the Path of a subtree's top node" \
	python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$TMP/c2sub.xml"
$UB --tree "$TMP/copy.db" tree import "$TMP/c2.xml" >/dev/null
check "... and export -> import -> export is identical" sh -c "$UB --tree $TMP/copy.db tree export --secrets | cmp - $TMP/c2.xml"
cat >"$TMP/nest.xml" <<'EOF'
<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD>
<Node><NodeName>N</NodeName><RTProperties><Format><node/></Format><Type><DDFName>org.openmobilealliance/1.0/w7</DDFName></Type></RTProperties>
 <Node><NodeName>ServerID</NodeName><RTProperties><Format><chr/></Format></RTProperties><Value>srv-n</Value></Node>
 <Node><NodeName>Planted</NodeName><Path>./Inbox</Path><RTProperties><Format><chr/></Format></RTProperties><Value>x</Value></Node>
</Node></MgmtTree>
EOF
$MK "$TMP/c3.wbxml" --tnds "$TMP/nest.xml"
push "$TMP/c3.wbxml"
check "a nested TNDS Path (./Inbox) that moves a node out of its account: refused (65)" sh -c \
	"[ '$(res)' = '65 bad-data' ] && grep -q 'TNDS Path' $TMP/err"

# --- 5. containers are the device's: removing a card's data keeps others' ---
cp tests/fixtures/dm11.wbxml "$TMP/dm11.wbxml"
sed "s|^dm_bootstrap = .*|dm_bootstrap = $TMP/dm11.wbxml|; /^cp_bootstrap/d; /^lwm2m_/d" tests/profiles/demo.conf |
	sed "s|^iccid = .*|iccid = 8949440000009999991|" >"$TMP/dm11card.conf"
$LAB sim 0 "$TMP/dm11card.conf"
ub bootstrap >/dev/null
$MK "$TMP/e1.wbxml" --dm11 ./SyncML/DMAcc/other/ServerId=other.example ./SyncML/DMAcc/other/Addr=http://other.example/
push "$TMP/e1.wbxml"
check "the DM 1.1 container is the device's, not the first card's" eq \
	"$(ub --json tree get ./SyncML/DMAcc | jget "[d['server'], d['source']]")" "[null, null]"
sed "s|^dm_bootstrap = .*|dm_bootstrap = hex:ffff|" "$TMP/dm11card.conf" >"$TMP/dm11empty.conf"
$LAB sim 0 "$TMP/dm11empty.conf"
out=$(ub --json bootstrap); rc=$?
check "the card's data gone: only its account is removed" eq \
	"$rc $(echo "$out" | jget "d['removed']")" '0 ["./SyncML/Con/gprs", "./SyncML/DMAcc/legacy"]'
check "the other server's DM 1.1 account is still listed and exported" sh -c \
	"[ \"\$($UB --tree $T tree list ./SyncML/DMAcc)\" = other ] && $UB --tree $T tree export | grep -q '<NodeName>other</NodeName>'"
$LAB sim 0 tests/profiles/demo.conf
ub bootstrap >/dev/null # the operator's account again (the other card's boot removed it)

# --- 6. bounds hold after every rewrite, the export works for everyone ---
long=$(printf 'L%.0s' $(seq 1012))
$MK "$TMP/f1.wbxml" ./DMAcc/fa/ServerID=srv-fa ./DMAcc/fa/PrefConRef=./ConnMO/$long ./ConnMO/$long/ID=a
push "$TMP/f1.wbxml"
check "a ConnMO whose leaf URI is 1024 bytes: applied" eq "$(res)" "0 applied"
export_all >"$TMP/f.before"
$MK "$TMP/f2.wbxml" ./DMAcc/fb/ServerID=srv-fb ./DMAcc/fb/PrefConRef=./ConnMO/$long ./ConnMO/$long/ID=b
push "$TMP/f2.wbxml"
check "another server's ConnMO of that name: the rename would pass 1024 bytes, refused (65)" sh -c \
	"[ '$(res)' = '65 bad-data' ] && grep -q 'after renaming' $TMP/err && $UB --tree $T tree export --secrets | cmp - $TMP/f.before"
deep=./DMAcc/fc$(printf '/s%.0s' $(seq 70))
$MK "$TMP/f3.wbxml" ./DMAcc/fc/ServerID=srv-fc "$deep=1"
push "$TMP/f3.wbxml"
check "a URI of more than 32 segments: refused (65)" sh -c "[ '$(res)' = '65 bad-data' ] && grep -q '32 segments' $TMP/err"
check "the export still works for everyone" sh -c "$UB --tree $T tree export >/dev/null"

# --- 7. factory apply never writes into another server's account ---
KEY=$TMP/master.key
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$KEY"
chmod 600 "$KEY"
sed 's|<NodeName>OEMFactory</NodeName>|<NodeName>OEM[x]</NodeName>|' tests/fixtures/factory-image.xml >"$TMP/fimg.xml"
sed 's|<NodeName>OEMFactory</NodeName>|<NodeName>OEMx</NodeName>|; s|dm.oem.example|other-dm|g; s|<Value>CLCRED</Value>|<Value>CLCRED</Value></Node><Node><NodeName>AAuthSecret</NodeName><RTProperties><Format><chr/></Format></RTProperties><Value>others-secret</Value>|' \
	tests/fixtures/factory-image.xml >"$TMP/other.xml"
ub tree import "$TMP/other.xml" >/dev/null
ub tree import --source factory "$TMP/fimg.xml" >/dev/null
out=$(ub --json factory apply --key-file "$KEY" --device-id IMEI:490154203237518); rc=$?
check "factory apply of an account named OEM[x] fills that account only" eq \
	"$rc $(echo "$out" | jget "d['accounts']") $(get ./DMAcc/OEMx/AppAuth/1/AAuthSecret)" \
	'0 ["./DMAcc/OEM[x]"] others-secret'

# --- 8. secrets: the user PIN's minimum; ConnMO secrets masked ---
policy "[push]\nallowed_sec = USERPIN\n"
$MK "$TMP/h1.wbxml" ./DMAcc/h/ServerID=srv-h
out=$(ub --json push "$TMP/h1.wbxml" --content-type "$DM; SEC=USERPIN; MAC=$(mac '' "$TMP/h1.wbxml")" --user-pin '' 2>/dev/null); rc=$?
check "an empty USERPIN: refused (65: the command line takes no empty secret)" eq "$(res)" "65 bad-data"
out=$(ub --json push "$TMP/h1.wbxml" --content-type "$DM; SEC=USERPIN; MAC=$(mac "$(hexs 123)" "$TMP/h1.wbxml")" --user-pin 123 2>/dev/null); rc=$?
check "a USERPIN shorter than the policy's minimum (4): refused (77)" eq "$(res)" "77 policy"
policy ""
$MK "$TMP/h2.wbxml" ./DMAcc/h/ServerID=srv-h ./DMAcc/h/PrefConRef=./ConnMO/HN \
	./ConnMO/HN/NAP/AuthInfo/AuthSecret=hunter2 ./ConnMO/HN/PX/Auth/1/Secret=swordfish
out=$(ub --json push "$TMP/h2.wbxml" --content-type "$DM" --transport secure --dry-run); rc=$?
check "--dry-run masks ConnMO secrets (AuthSecret, Secret)" sh -c \
	"[ $rc = 0 ] && ! echo '$out' | grep -q -e hunter2 -e swordfish && echo '$out' | grep -q '(secret)'"
push "$TMP/h2.wbxml"
check "tree get and tree export mask them too" sh -c \
	"$UB --tree $T --json tree get ./ConnMO/HN/NAP/AuthInfo/AuthSecret | grep -q '(secret)' && ! $UB --tree $T tree export | grep -q hunter2"

# --- 9. NETWORKID_GBA: the NAF that signed must be the account's server ---
ub gba bootstrap --rand 23553cbe9637a89d218ae64dae47bf35 --autn 55f328b43577b9b94a9ffac354dfafb3 --bsf bsf.example.org >/dev/null
EVIL=$(ub --json gba naf-key --naf evil.example --ua 0300000099 --secrets | jget "d['ks_ext_naf']")
policy "[gba]\nua_id = 0300000099\n"
$MK "$TMP/g1.wbxml" --source https://evil.example/dm ./DMAcc/g/ServerID=operator-dm \
	./DMAcc/g/AppAddr/1/Addr=https://dm.operator.example:443/dm
export_all >"$TMP/g.before"
out=$(ub --json push "$TMP/g1.wbxml" --content-type "$DM; SEC=NETWORKID_GBA; MAC=$(mac "$EVIL" "$TMP/g1.wbxml")" 2>"$TMP/err"); rc=$?
check "a NAF's key signing an account at another server: refused (77), tree unchanged" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'naf_binding' $TMP/err && $UB --tree $T tree export --secrets | cmp - $TMP/g.before"
$MK "$TMP/g2.wbxml" --source https://evil.example/dm ./DMAcc/OperatorDM/ServerID=operator-dm \
	./DMAcc/OperatorDM/AppAddr/1/Addr=https://evil.example/dm
out=$(ub --json push "$TMP/g2.wbxml" --content-type "$DM; SEC=NETWORKID_GBA; MAC=$(mac "$EVIL" "$TMP/g2.wbxml")" 2>"$TMP/err"); rc=$?
check "... and bound to itself, it may not replace the operator's account (77)" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'not at the NAF' $TMP/err && $UB --tree $T tree export --secrets | cmp - $TMP/g.before"
policy "[gba]\nua_id = 0300000099\n[servers]\nallow = operator-dm\n"
$MK "$TMP/g3.wbxml" --source https://evil.example/dm ./DMAcc/g/ServerID=evil.example \
	./DMAcc/g/AppAddr/1/Addr=https://evil.example/dm
a0=$(grep -c '^> 00 88 00 84' "$LABDIR/sim0.log")
out=$(ub --json push "$TMP/g3.wbxml" --content-type "$DM; SEC=NETWORKID_GBA; MAC=$(mac "$EVIL" "$TMP/g3.wbxml")" 2>/dev/null); rc=$?
check "a ServerID outside the allow-list: refused (77) before the card is asked for a key" eq \
	"$(res) $(($(grep -c '^> 00 88 00 84' "$LABDIR/sim0.log") - a0))" "77 policy 0"
$MK "$TMP/g4.wbxml" --source https://evil.example/dm ./DMAcc/g/ServerID=operator-dm \
	./DMAcc/g/AppAddr/1/Addr=https://dm.operator.example/dm
a0=$(grep -c '^> 00 88 00 84' "$LABDIR/sim0.log")
out=$(ub --json push "$TMP/g4.wbxml" --content-type "$DM; SEC=NETWORKID_GBA; MAC=$(mac "$EVIL" "$TMP/g4.wbxml")" 2>/dev/null); rc=$?
check "an account not bound to the message's NAF: refused before the card is asked" eq \
	"$(res) $(($(grep -c '^> 00 88 00 84' "$LABDIR/sim0.log") - a0))" "77 policy 0"

# --- 10. the Content-Type as RFC 2045 reads it: no MAC hidden in a quoted string ---
policy "[push]\nallowed_sec = USERPIN\n"
$MK "$TMP/q1.wbxml" ./DMAcc/q/ServerID=srv-q
M=$(mac "$(hexs 123456)" "$TMP/q1.wbxml")
export_all >"$TMP/q.before"
out=$(ub --json push "$TMP/q1.wbxml" --content-type "$DM; SEC=USERPIN; x=\"foo;MAC=$M;y=bar\"" \
	--user-pin 123456 2>"$TMP/err"); rc=$?
check "a MAC inside a quoted parameter value is no MAC: refused (65, without MAC), tree unchanged" sh -c \
	"[ '$(res)' = '65 bad-data' ] && grep -q 'without MAC' $TMP/err && $UB --tree $T tree export --secrets | cmp - $TMP/q.before"
out=$(ub --json push "$TMP/q1.wbxml" --content-type "$DM; SEC=USERPIN; x=\"foo;MAC=$M" \
	--user-pin 123456 2>/dev/null); rc=$?
check "an unterminated quoted string: refused (65)" eq "$(res)" "65 bad-data"
out=$(ub --json push "$TMP/q1.wbxml" --content-type "$DM; SEC=\"USERPIN\"; MAC=\"$M\"" \
	--user-pin 123456 --dry-run 2>/dev/null); rc=$?
check "a quoted SEC and MAC mean what the tokens do: verified" eq "$(res)" "0 verified"
done_testing
