# Issue 7: the device tree.  Power-on bootstrap from the demo card into a
# tree that already has a ./ConnMO/Internet, unchanged data not written,
# isolation between ServerIDs, stale data removed, TNDS export/import, a
# pushed GBA-keyed bootstrap applied, and kill -9 during an apply.
# lab: long (a few minutes: started first, so the three at a time end together)
. "$(dirname "$0")/lib.sh"
F=tests/fixtures
DM="application/vnd.syncml.dm+wbxml"
T=$TMP/dmtree.db
hexs() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
mac() { python3 -c "import hmac,hashlib,sys; print(hmac.new(bytes.fromhex(sys.argv[1]), open(sys.argv[2],'rb').read(), hashlib.sha1).hexdigest().upper())" "$1" "$2"; }
ub() { $UB --tree "$T" --policy "$TMP/policy.conf" "$@"; }
: >"$TMP/policy.conf"
$LAB sim 0 tests/profiles/demo.conf

# --- seed, then the power-on bootstrap ---
check "a seed tree with another ./ConnMO/Internet is imported" sh -c "$UB --tree $T tree import $F/seed-connmo.xml >/dev/null"
check "the tree file is created 0600" eq "$(stat -c %a "$T")" "600"
out=$(ub --json bootstrap); rc=$?
check "power-on bootstrap: applied, the account and the ConnMO rename reported" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['accounts'], d['renamed'], d['removed'], d['iccid']]")" \
	'0 ["applied", ["./DMAcc/OperatorDM", "./DMAcc/operator-cp"], [{"from": "./ConnMO/Internet", "to": "./ConnMO/Internet1"}], [], "8949440000001234567"]'
check "PrefConRef follows the renamed ConnMO" eq \
	"$(ub --json tree get ./DMAcc/OperatorDM/PrefConRef | jget "d['value']")" "./ConnMO/Internet1"
check "the seeded ConnMO and its account are untouched" eq \
	"$(ub --json tree get ./ConnMO/Internet/ID | jget "d['value']") $(ub --json tree get ./DMAcc/OEM/PrefConRef | jget "d['value']")" \
	"internet.oem.example ./ConnMO/Internet"
check "provenance: the card's ICCID; the ACL grants the ServerID Get/Replace/Delete" eq \
	"$(ub --json tree get ./DMAcc/OperatorDM | jget "[d['source'], d['acl'], d['type']]")" \
	'["iccid:8949440000001234567", "Get=operator-dm&Replace=operator-dm&Delete=operator-dm", "org.openmobilealliance/1.0/w7"]'
check "tree get hides AAuthSecret unless --secrets" eq \
	"$(ub --json tree get ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret | jget "d['value']") $(ub --json tree get --secrets ./DMAcc/OperatorDM/AppAuth/1/AAuthSecret | jget "d['value']")" \
	"(secret) client-secret-demo"
check "tree list ./DMAcc" eq "$(ub tree list ./DMAcc | tr '\n' ' ')" "OEM OperatorDM operator-cp "

# --- the same card again: unchanged, not written ---
sum() { cat "$T" "$T-wal" 2>/dev/null | md5sum; }
s1=$(sum)
out=$(ub --json bootstrap); rc=$?
check "second power-on: unchanged" eq "$rc $(echo "$out" | jget "[d['status'], d['accounts']]")" '0 ["unchanged", ["./DMAcc/OperatorDM", "./DMAcc/operator-cp"]]'
check "second power-on: the tree file is not written" eq "$(sum)" "$s1"

# --- isolation: ServerID B's bootstrap never changes A's nodes ---
ub tree export ./DMAcc/OperatorDM >"$TMP/a.before"
ub tree export ./ConnMO/Internet1 >>"$TMP/a.before"
sed 's/dm\.example\.com/operator-b/g; s/ExampleOp/OperatorDM/g' $F/dm12-tnds.xml >"$TMP/b.xml"
xml2wbxml -o "$TMP/b.wbxml" "$TMP/b.xml" >/dev/null 2>&1
out=$(ub --json push "$TMP/b.wbxml" --content-type "$DM" --transport secure); rc=$?
check "ServerID B with A's account name gets another name" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['accounts']]")" '0 ["applied", ["./DMAcc/OperatorDM1"]]'
ub tree export ./DMAcc/OperatorDM >"$TMP/a.after"
ub tree export ./ConnMO/Internet1 >>"$TMP/a.after"
check "A's account and ConnMO are byte-for-byte the same in TNDS" cmp "$TMP/a.before" "$TMP/a.after"
check "B's PrefConRef: its own ConnMO (renamed: Internet and Internet1 are taken)" eq \
	"$(ub --json tree get ./DMAcc/OperatorDM1/PrefConRef | jget "d['value']")" "./ConnMO/Internet2"
printf '[conflicts]\naccount = reject\n' >"$TMP/policy.conf"
ub tree export >"$TMP/all.before"
out=$(ub --json push "$TMP/b.wbxml" --content-type "$DM" --transport secure 2>/dev/null); rc=$?
check "policy account = reject: B's second bootstrap refused (77), tree unchanged" eq \
	"$rc $(echo "$out" | jget "d['status']") $(ub tree export | cmp - "$TMP/all.before" && echo same)" "77 rejected same"
: >"$TMP/policy.conf"

# --- TNDS export: DM tools read it; re-imported it is the same tree ---
ub tree export --secrets >"$TMP/export.xml"
check "xml2wbxml encodes the export and wbxml2xml decodes it (libwbxml DM DDF 1.2)" sh -c \
	"xml2wbxml -o $TMP/export.wbxml $TMP/export.xml && wbxml2xml -o $TMP/export.back.xml $TMP/export.wbxml && grep -q OperatorDM1 $TMP/export.back.xml"
$UB --tree "$TMP/copy.db" tree import "$TMP/export.xml" >/dev/null
check "export --secrets -> import into a new tree -> export --secrets: identical" sh -c "$UB --tree $TMP/copy.db tree export --secrets | cmp - $TMP/export.xml"
check "without --secrets the export shows secrets as (secret)" sh -c \
	"ub() { $UB --tree $T \"\$@\"; }; ub tree export | grep -q '<NodeName>AAuthSecret</NodeName>.*<Value>(secret)</Value>' && ! ub tree export | grep -q client-secret-demo"
# restoring that export would write the placeholder over every credential
ub tree export >"$TMP/masked.xml"
$UB --tree "$T" tree export --secrets >"$TMP/before.xml"
out=$(ub --json tree import "$TMP/masked.xml" 2>"$TMP/err"); rc=$?
check "tree import of an export made without --secrets: refused (65), the node and the cause named" sh -c \
	"[ '$rc $(echo "$out" | jget "d['error']")' = '65 bad-data' ] && grep -q '/AAuthSecret: the value is the placeholder (secret)' $TMP/err && grep -q 'without --secrets' $TMP/err"
check "... the tree, its credentials too, unchanged" sh -c "$UB --tree $T tree export --secrets | cmp - $TMP/before.xml"
$UB --tree "$TMP/restore.db" tree import "$TMP/masked.xml" >/dev/null 2>&1; rc=$?
check "... and into a new tree: refused (65), nothing imported" eq "$rc $($UB --tree "$TMP/restore.db" tree list ./DMAcc 2>/dev/null | tr '\n' ' ')" "65 "

# values with CR, CR LF and TAB (XML text allows them): export --secrets ->
# import keeps them byte for byte (a raw CR would come back as LF)
cat >"$TMP/ctl.xml" <<'XML'
<MgmtTree><Node><NodeName>ctl</NodeName><Path>./DMAcc</Path>
 <Node><NodeName>ServerID</NodeName><RTProperties><Format><chr/></Format></RTProperties><Value>ctl.example</Value></Node>
 <Node><NodeName>Name</NodeName><RTProperties><Format><chr/></Format></RTProperties><Value>a&#13;b&#13;&#10;c&#9;d&#13;</Value></Node>
 <Node><NodeName>AAuthSecret</NodeName><RTProperties><Format><chr/></Format></RTProperties><Value>&#13;&#10;&#9;s&#13;</Value></Node>
</Node></MgmtTree>
XML
C1=$TMP/ctl1.db C2=$TMP/ctl2.db
$UB --tree "$C1" tree import "$TMP/ctl.xml" >/dev/null
$UB --tree "$C1" tree export --secrets ./DMAcc/ctl >"$TMP/ctl.export"
$UB --tree "$C2" tree import "$TMP/ctl.export" >/dev/null
vals() { for u in Name AAuthSecret; do $UB --tree "$1" --json tree get --secrets ./DMAcc/ctl/$u | jget "repr(d['value'])"; done | tr '\n' ' '; }
check "tree import of character references: CR, CR LF and TAB stored as they are" eq "$(vals "$C1")" \
	"'a\\rb\\r\\nc\\td\\r' '\\r\\n\\ts\\r' "
check "export --secrets | import: CR, CR LF and TAB come back byte for byte" eq "$(vals "$C2")" "$(vals "$C1")"
check "... the export writes CR as &#13; (no raw CR), and a second export is identical" sh -c \
	"! grep -q \"\$(printf '\\r')\" $TMP/ctl.export && grep -qF 'a&#13;b&#13;' $TMP/ctl.export && $UB --tree $C2 tree export --secrets ./DMAcc/ctl | cmp - $TMP/ctl.export"

# --- a pushed USERPIN_NETWORKID_GBA bootstrap, key from the card ---
ub gba bootstrap --rand 23553cbe9637a89d218ae64dae47bf35 --autn 55f328b43577b9b94a9ffac354dfafb3 --bsf bsf.example.org >/dev/null
KS=$(ub --json gba naf-key --naf dm.example.com --ua 0300000099 --secrets | jget "d['ks_ext_naf']")
printf '[gba]\nua_id = 0300000099\n' >"$TMP/policy.conf"
out=$(ub --json push $F/dm12-plain.wbxml --content-type "$DM; SEC=USERPIN_NETWORKID_GBA; MAC=$(mac "$(hexs 1234:)$KS" $F/dm12-plain.wbxml)" --user-pin 1234); rc=$?
check "USERPIN_NETWORKID_GBA push: verified with Ks_ext_NAF and applied" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['accounts'], d['sec']]")" '0 ["applied", ["./DMAcc/ex"], "USERPIN_NETWORKID_GBA"]'
check "the pushed account's provenance is push" eq "$(ub --json tree get ./DMAcc/ex | jget "d['source']")" "push"
# (the MAC keyed with another PIN than the first push's: the same MAC again
# would be a repeat, refused before its MAC is checked)
out=$(ub --json push $F/dm12-plain.wbxml --content-type "$DM; SEC=USERPIN_NETWORKID_GBA; MAC=$(mac "$(hexs 4321:)$KS" $F/dm12-plain.wbxml)" --user-pin 1111 2>/dev/null); rc=$?
check "a wrong user PIN: 65, nothing applied" eq "$rc $(echo "$out" | jget "d['status']")" "65 rejected"
: >"$TMP/policy.conf"

# --- stale data: the card's bootstrap file emptied, then the card gone ---
sed "s|^dm_bootstrap = .*|dm_bootstrap = hex:$(printf 'ff%.0s' $(seq 64))|; s|^cp_bootstrap = .*|cp_bootstrap = hex:ffff|" \
	tests/profiles/demo.conf | sed "s|= boot/|= $PWD/tests/profiles/boot/|" >"$TMP/emptied.conf"
$LAB sim 0 "$TMP/emptied.conf"
out=$(ub --json bootstrap); rc=$?
check "the card's bootstrap files emptied: their accounts and ConnMOs removed" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['removed']]")" '0 ["applied", ["./ConnMO/CP_APN", "./ConnMO/Internet1", "./DMAcc/OperatorDM", "./DMAcc/operator-cp"]]'
check "what other sources wrote stays" eq "$(ub tree list ./DMAcc | tr '\n' ' ')" "OEM OperatorDM1 ex "
$LAB sim 0 tests/profiles/demo.conf
ub bootstrap >/dev/null
check "the data back on the card: applied again" eq "$(ub --json tree get ./DMAcc/OperatorDM | jget "d['source']")" "iccid:8949440000001234567"
$LAB simstop 0
out=$(ub --json -r "$R0" bootstrap 2>"$TMP/err"); rc=$?
check "no card at power-on, the default policy: 69, nothing removed" eq \
	"$rc $(echo "$out" | jget "d.get('removed', [])") $(ub --json tree get ./DMAcc/OperatorDM | jget "d['source']")" \
	'69 [] iccid:8949440000001234567'
printf '[smartcard]\nremove_absent = yes\n' >"$TMP/policy.conf"
out=$(ub --json -r "$R0" bootstrap 2>"$TMP/err"); rc=$?
check "remove_absent = yes, no card at power-on: 69, the card's nodes removed (its LwM2M Instances too)" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['removed']]")" \
	'69 ["applied", ["./ConnMO/CP_APN", "./ConnMO/Internet1", "./DMAcc/OperatorDM", "./DMAcc/operator-cp", "./LwM2M/0/0", "./LwM2M/0/1", "./LwM2M/1/0"]]'
check "... and said on stderr" grep -q "data of earlier cards removed" "$TMP/err"
printf '[smartcard]\nremove_stale = no\n' >"$TMP/policy.conf"
$LAB sim 0 tests/profiles/demo.conf
ub bootstrap >/dev/null
$LAB sim 0 "$TMP/emptied.conf"
out=$(ub --json bootstrap); rc=$?
check "remove_stale = no: an emptied card file removes nothing" eq "$rc $(echo "$out" | jget "[d['status'], d['removed']]")" '0 ["unchanged", []]'
: >"$TMP/policy.conf"

# --- kill -9 at random moments of a 4000-node apply ---
mkdir -p "$TMP/crash"
KILLS=${UB_CRASH_RUNS:-100}
check "$KILLS kills during an apply: integrity ok, the tree is before or after, never between" \
	python3 tests/integration/crashloop.py "$UB" "$TMP/crash" "$KILLS"
echo "# $(cat "$TMP/check.out")"
done_testing
