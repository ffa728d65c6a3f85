# Issue 8: factory derive / check, checked against an independent RFC 5869
# HKDF in Python (tests/integration/hkdf_ref.py), and factory apply on the
# device tree.
. "$(dirname "$0")/lib.sh"
REF=tests/integration/hkdf_ref.py
MASTER=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
KEY=$TMP/master.key
printf '%s\n' $MASTER >"$KEY"
chmod 600 "$KEY"
derive() { $UB factory derive --key-file "$KEY" --secrets "$@"; }

out=$(printf 'IMEI:490154203237518\nIMEI:356938035643809\nMEID:A0000000002329\n' | derive --server-id dm.operator.example | tail -n +2)
check "the documented vectors equal an independent HKDF (Python hmac)" eq "$out" \
	"$(python3 $REF $MASTER dm.operator.example IMEI:490154203237518 IMEI:356938035643809 MEID:A0000000002329)"
check "... and the values printed in docs/usage.md" sh -c "grep -qF 'u1-c3a899d905c4383e49b5,aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ,QfqGTUNJ9xi9Zt8A8jQYOjjycwt0CDFw' docs/usage.md"
python3 -c "import secrets
for i in range(300): print('IMEI:%015d' % secrets.randbelow(10**15))" >"$TMP/ids"
derive --server-id s.example <"$TMP/ids" | tail -n +2 >"$TMP/ours"
python3 $REF $MASTER s.example $(cat "$TMP/ids") >"$TMP/ref"
check "300 random device ids: every credential equals the reference" cmp "$TMP/ours" "$TMP/ref"
python3 -c "
for i in range(100000): print('IMEI:%015d' % (350000000000000 + i))" >"$TMP/many"
derive --server-id s.example <"$TMP/many" >"$TMP/many.csv"
check "100000 devices: 100000 distinct client names and secrets" eq \
	"$(tail -n +2 "$TMP/many.csv" | cut -d, -f3 | sort -u | wc -l) $(tail -n +2 "$TMP/many.csv" | cut -d, -f4 | sort -u | wc -l)" "100000 100000"
a=$(echo IMEI:1 | derive --server-id a.example | tail -1 | cut -d, -f3-)
b=$(echo IMEI:1 | derive --server-id b.example | tail -1 | cut -d, -f3-)
check "two ServerIDs give the same device different credentials" test "$a" != "$b"
out=$(echo IMEI:490154203237518 | derive --server-id dm.operator.example --format json)
check "--format json: one object a line" eq "$(echo "$out" | jget "d['client_name']")" u1-c3a899d905c4383e49b5

# without --secrets the derived secrets are masked, in CSV and JSON alike
echo IMEI:490154203237518 | $UB factory derive --key-file "$KEY" --server-id dm.operator.example \
	>"$TMP/masked.csv" 2>&1; rc=$?
echo IMEI:490154203237518 | $UB factory derive --key-file "$KEY" --server-id dm.operator.example \
	--format json >"$TMP/masked.json" 2>&1; rc=$rc$?
v=$(jget "[d['client_name'], d['client_secret'], d['server_secret']]" <$TMP/masked.json 2>/dev/null)
check "derive without --secrets: client name shown, both secrets (secret), never their values" sh -c \
	"[ $rc = 00 ] && ! grep -q -e aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ -e QfqGTUNJ9xi9Zt8A8jQYOjjycwt0CDFw $TMP/masked.csv $TMP/masked.json && grep -qx 'IMEI:490154203237518,dm.operator.example,u1-c3a899d905c4383e49b5,(secret),(secret)' $TMP/masked.csv"
check "... --format json: client_secret and server_secret (secret)" eq "$v" '["u1-c3a899d905c4383e49b5", "(secret)", "(secret)"]'

printf 'IMEI:1\n\nbad id\nIMEI:2\nx,y\n' | derive --server-id s >"$TMP/o" 2>"$TMP/e"; rc=$?
check "bad lines: reported with their line numbers, skipped, exit 65" sh -c \
	"[ $rc = 65 ] && grep -q 'stdin:3:' $TMP/e && grep -q 'stdin:5:' $TMP/e && [ \$(tail -n +2 $TMP/o | wc -l) = 2 ]"

$UB factory check --key-file "$KEY" --server-id dm.operator.example --device-id IMEI:490154203237518 \
	--client-name u1-c3a899d905c4383e49b5 --client-secret aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ \
	--server-secret QfqGTUNJ9xi9Zt8A8jQYOjjycwt0CDFw >/dev/null; rc=$?
check "check accepts the right credentials" eq $rc 0
$UB factory check --key-file "$KEY" --server-id dm.operator.example --device-id IMEI:490154203237518 \
	--client-name u1-c3a899d905c4383e49b5 --client-secret aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTX >/dev/null 2>&1; rc=$?
check "check refuses a wrong secret (65)" eq $rc 65
$UB factory check --key-file "$KEY" --server-id other.example --device-id IMEI:490154203237518 \
	--client-name u1-c3a899d905c4383e49b5 --client-secret aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ >/dev/null 2>&1; rc=$?
check "check refuses the credentials of another ServerID (65)" eq $rc 65

chmod 644 "$KEY"
out=$(echo IMEI:1 | derive --server-id s 2>&1); rc=$?
check "a key file readable by others is refused (77), its contents not echoed" sh -c \
	"[ $rc = 77 ] && echo '$out' | grep -q 'mode 0600' && ! echo '$out' | grep -q 0001020304"
chmod 600 "$KEY"

# --- device side: factory apply ---
T=$TMP/dev.db
tree() { $UB --tree "$T" "$@"; }
sum() { cat "$T" "$T-wal" 2>/dev/null | md5sum; }
tree factory apply --key-file "$KEY" --device-id IMEI:490154203237518 >/dev/null 2>"$TMP/e"; rc=$?
check "apply without a factory account in the tree: 69, and says why" sh -c \
	"[ $rc = 69 ] && grep -q 'tree import --source factory' $TMP/e"
tree tree import --source factory tests/fixtures/factory-image.xml >/dev/null
check "the factory image's account is marked as such" eq "$(tree --json tree get ./DMAcc/OEMFactory | jget "d['source']")" factory
out=$(tree --json factory apply --key-file "$KEY" --device-id IMEI:490154203237518); rc=$?
check "apply fills the factory account" eq "$rc $(echo "$out" | jget "[d['status'], d['accounts']]")" '0 ["applied", ["./DMAcc/OEMFactory"]]'
check "... with its key file's contents never echoed" sh -c "! echo '$out' | grep -q 0001020304"
g() { tree --json tree get --secrets "$1" | jget "d['value']"; }
ref=$(python3 $REF $MASTER dm.oem.example IMEI:490154203237518)
check "CLCRED name/secret and SRVCRED name/secret equal the reference HKDF" eq \
	"IMEI:490154203237518,dm.oem.example,$(g ./DMAcc/OEMFactory/AppAuth/1/AAuthName),$(g ./DMAcc/OEMFactory/AppAuth/1/AAuthSecret),$(g ./DMAcc/OEMFactory/AppAuth/SRVCRED/AAuthSecret)" "$ref"
check "the SRVCRED entry was added: AAuthName is the ServerID, type DIGEST" eq \
	"$(g ./DMAcc/OEMFactory/AppAuth/SRVCRED/AAuthName) $(g ./DMAcc/OEMFactory/AppAuth/SRVCRED/AAuthType)" "dm.oem.example DIGEST"
$UB factory check --key-file "$KEY" --server-id dm.oem.example --device-id IMEI:490154203237518 \
	--client-name "$(g ./DMAcc/OEMFactory/AppAuth/1/AAuthName)" --client-secret "$(g ./DMAcc/OEMFactory/AppAuth/1/AAuthSecret)" \
	--server-secret "$(g ./DMAcc/OEMFactory/AppAuth/SRVCRED/AAuthSecret)" >/dev/null; rc=$?
check "the server's factory check accepts what the device holds" eq $rc 0
s1=$(sum)
out=$(tree --json factory apply --key-file "$KEY" --device-id IMEI:490154203237518); rc=$?
check "a second apply changes nothing: unchanged, the file not written" eq "$rc $(echo "$out" | jget "d['status']") $(sum)" "0 unchanged $s1"
tree factory apply --key-file "$KEY" --device-id IMEI:356938035643809 >/dev/null
check "another device id: other credentials" test "$(g ./DMAcc/OEMFactory/AppAuth/1/AAuthSecret)" != \
	"$(echo "$ref" | cut -d, -f4)"
chmod 644 "$KEY"
tree factory apply --key-file "$KEY" --device-id IMEI:1 >/dev/null 2>&1; rc=$?
check "apply refuses a key file readable by others (77)" eq $rc 77
done_testing
