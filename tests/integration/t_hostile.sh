# A hostile or damaged card at power-on: a read that fails is an error,
# never "the card holds no bootstrap".  Card A (the demo card: a DM and a
# CP bootstrap, LwM2M servers) bootstraps; then the same card (same ICCID)
# answers wrongly, as uicc-sim's faults make it.  Each time A's accounts,
# ConnMOs and LwM2M Instances must still be there, and the exit code and
# the message must say which file failed and how.  Then the card's objects
# together: every one decoded and checked, those that disagree refused
# together, the digest covering them all.
. "$(dirname "$0")/lib.sh"
BOOT=$PWD/tests/profiles/boot
T=$TMP/dmtree.db
LOG=$LABDIR/sim0.log
ub() { $UB -r "$R0" --tree "$T" --policy /dev/null "$@"; }
dump() { $UB --tree "$T" tree export --secrets; }
# profile NAME SED...: the demo card with its paths absolute, edited
profile() {
	local name=$1
	shift
	sed "s|= boot/|= $BOOT/|" tests/profiles/demo.conf >"$TMP/$name.conf"
	for e in "$@"; do sed -i "$e" "$TMP/$name.conf"; done
}
# the card's own APDUs in the simulator's log, since its last power-on or reset
card_apdus() { awk '/^# (reset|power on)/ { n = 0 } /^> / { n++ } END { print n }' "$LOG"; }
# hexlines FILE: the file as [ef] data lines (several: a profile line is short)
hexlines() { xxd -p -c 64 "$1" | sed 's/^/data = /'; }

# A, on a fresh tree: the state every faulty power-on must leave alone
profile A
profile A0 "s/^protocol = .*/protocol = T0/"
seed() {
	rm -f "$TMP/seed.db"*
	$LAB sim 0 "$1"
	$UB -r "$R0" --tree "$TMP/seed.db" --policy /dev/null bootstrap >/dev/null
	$UB --tree "$TMP/seed.db" tree export --secrets >"$TMP/seed.xml"
}
# faulty NAME PROFILE FAULT...: A's tree, the card with the fault, one power-on;
# out, rc, err; kept: A's account, its ConnMOs and LwM2M Instances as they were
faulty() {
	local name=$1 prof=$2
	shift 2
	rm -f "$T"*
	cp "$TMP/seed.db" "$T"
	$LAB sim 0 "$prof" "$@"
	out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
	if dump | cmp -s - "$TMP/seed.xml"; then kept=kept; else kept=changed; fi
}
# the error's stable name, where and message
msg() { echo "$out" | jget "d.get('error', d.get('status')) + ': ' + (d.get('where') or '') + ': ' + d.get('message', '')"; }

seed "$TMP/A.conf"
check "card A: its DM and CP objects and its LwM2M bootstrap applied" sh -c \
	"grep -q '<NodeName>OperatorDM</NodeName>' $TMP/seed.xml && grep -q '<NodeName>operator-cp</NodeName>' $TMP/seed.xml && grep -q '<NodeName>LwM2M</NodeName>' $TMP/seed.xml"

for P in T1 T0; do
	[ $P = T1 ] && conf=$TMP/A.conf || conf=$TMP/A0.conf
	seed "$conf"
	faulty dm-nodata "$conf" --fault nodata:6432
	check "$P: READ BINARY of the DM EF answers 9000 without data: failed (65), named, A's data kept" eq \
		"$rc $kept $(msg | grep -c '^protocol: .*DM Bootstrap (EF 6432).*without data')" "65 kept 1"
	faulty lw-nodata "$conf" --fault nodata:6434
	check "$P: ... of the LwM2M EF: failed (65), named, A's LwM2M Instances kept" eq \
		"$rc $kept $(msg | grep -c '^protocol: .*LwM2M Bootstrap.*without data')" "65 kept 1"
done

# --- the PKCS#15 directory ---
seed "$TMP/A.conf"
profile odf "\$a [ef ADF.PKCS15/5031]\ndata = A706300404025031"
faulty odf-self "$TMP/odf.conf"
check "an ODF whose DODF is the ODF itself: failed (65), named, A's data kept" eq \
	"$rc $kept $(msg | grep -c '^bad-data: .*EF_ODF: its DODF 5031 is the ODF itself')" "65 kept 1"
# A's DODF as the card holds it, with a 00 byte before its first entry
$LAB sim 0 "$TMP/A.conf"
dodf=$(apdus "$R0" 00A4040C0CA000000063504B43532D3135 00A4000C025207 00B0000000 | tail -1 |
	sed 's/9000$//; s/\(ff\)*$//')
profile dodf00 "\$a [ef ADF.PKCS15/5207]"
echo "00$dodf" | fold -w 128 | sed 's/^/data = /' >>"$TMP/dodf00.conf"
faulty dodf-00 "$TMP/dodf00.conf"
check "a 00 byte before the DM entry of the DODF: failed (65), named, A's data kept" eq \
	"$rc $kept $(msg | grep -c '^bad-data: .*EF_DODF 5207 is malformed')" "65 kept 1"
check "... (the DODF read was that of A: $(echo "$dodf" | cut -c1-12)...)" test "${#dodf}" -gt 200

# --- EF_DIR: a card that refuses the PKCS#15 AID (whole AIDs only) lists
# its applications there; with every record empty it lists nothing ---
profile W "s/^\[card\]/[card]\npartial_aid = no/" \
	"s/^\[pkcs15\]/[pkcs15]\naid = A000000063504B43532D3135FF01/"
seed "$TMP/W.conf"
faulty dir-empty "$TMP/W.conf" --fault empty:2F00
n=$(card_apdus)
check "EF_DIR whose records are all empty (and never 6A83): failed (65), A's data kept" eq \
	"$rc $kept $(msg | grep -c '^bad-data: .*EF_DIR: every one of its 3 records is empty')" "65 kept 1"
check "... after as many READ RECORDs as its FCP counts: $n APDUs in all, not 254" test "$n" -lt 16
faulty dir-nodata "$TMP/W.conf" --fault nodata:2F00
check "EF_DIR answering READ RECORD with 9000 and no data: failed (65), A's data kept" eq \
	"$rc $kept $(msg | grep -c '^protocol: .*EF_DIR: READ RECORD 1 answered 9000 without data')" "65 kept 1"

# --- the transport: 61xx forever, an FCP that lies ---
seed "$TMP/A.conf"
faulty loop61 "$TMP/A.conf" --fault loop61:B0:4
n=$(card_apdus)
check "61xx to the DM EF's READ BINARY and to every GET RESPONSE: failed (65), said, A's data kept" eq \
	"$rc $kept $(msg | grep -c '^protocol: .*DM Bootstrap (EF 6432): the card keeps answering 6110 to GET RESPONSE')" "65 kept 1"
check "... given up after a bounded number of GET RESPONSEs ($n APDUs in all)" test "$n" -lt 100
faulty fcp-long "$TMP/A.conf" --fault fcp-size:6432:2000
has=$(($(stat -c %s $BOOT/dm-bootstrap.wbxml) + 16)) # uicc-sim: 16 bytes unused after it
check "an FCP that gives the DM EF more bytes than the card sends: failed (65), A's data kept" eq \
	"$rc $kept $(msg | grep -c "^protocol: .*DM Bootstrap (EF 6432): the card gave $has of the 2000 bytes")" "65 kept 1"
faulty fcp-short "$TMP/A.conf" --fault fcp-size:6432:100
check "... fewer bytes than the object has: the object cut short is refused (65), A's data kept" eq \
	"$rc $kept $(msg | grep -c '^bad-data: .*DM Bootstrap (EF 6432)')" "65 kept 1"

# --- every object of the card, decoded and checked together ---
# a second DM object for ServerID operator-dm, under another account name
sed 's/OperatorDM/Shadow/g; s/dm\.operator\.example/dm.thief.example/g' $BOOT/dm-bootstrap.xml >"$TMP/dm2.xml"
xml2wbxml -o "$TMP/dm2.wbxml" "$TMP/dm2.xml" >/dev/null 2>&1
# the DODF: both DM objects (EF 6432 and 6435), the CP and LwM2M entries as A has them
dm2entry=a1223000300e0c0c444d20426f6f747374726170a10e300c0604672b0701300404026435
{
	sed "s|= boot/|= $BOOT/|" tests/profiles/demo.conf
	echo "[ef ADF.PKCS15/5207]"
	echo "$dodf$dm2entry" | fold -w 128 | sed 's/^/data = /'
	echo "[ef ADF.PKCS15/6435]"
	hexlines "$TMP/dm2.wbxml"
} >"$TMP/twodm.conf"
seed "$TMP/A.conf"
faulty two-dm "$TMP/twodm.conf"
check "two DM objects for ServerID operator-dm: both refused (65), naming both files; A's data kept" eq \
	"$rc $kept $(msg | grep -c '^bad-data: .*DM Bootstrap (EF 6432) and DM Bootstrap (EF 6435) disagree: two accounts for ServerID operator-dm')" \
	"65 kept 1"
# a CP object whose w7 account is operator-dm's too
sed 's/value="operator-cp"/value="operator-dm"/; s/dm2\.operator\.example/dm.thief.example/' \
	$BOOT/cp-bootstrap.xml >"$TMP/cpdm.xml"
xml2wbxml -o "$TMP/cpdm.wbxml" "$TMP/cpdm.xml" >/dev/null 2>&1
profile cpdm "s|^cp_bootstrap = .*|cp_bootstrap = $TMP/cpdm.wbxml|"
faulty dm-cp "$TMP/cpdm.conf"
check "a DM and a CP w7 account for one ServerID: both refused (65), naming both files; A's data kept" eq \
	"$rc $kept $(msg | grep -c '^bad-data: .*DM Bootstrap (EF 6432) and CP Bootstrap (EF 6433) disagree: two accounts for ServerID operator-dm')" \
	"65 kept 1"
# the digest covers every object: A again is unchanged, A with only its CP
# object changed is not
faulty again "$TMP/A.conf"
check "A again: unchanged, nothing written" eq "$rc $(echo "$out" | jget "d['status']") $kept" "0 unchanged kept"
sed 's|dm2\.operator\.example|dm3.operator.example|' $BOOT/cp-bootstrap.xml >"$TMP/cp3.xml"
xml2wbxml -o "$TMP/cp3.wbxml" "$TMP/cp3.xml" >/dev/null 2>&1
profile cp3 "s|^cp_bootstrap = .*|cp_bootstrap = $TMP/cp3.wbxml|"
faulty cp-changed "$TMP/cp3.conf"
check "A with only its CP object changed: applied, the CP account's new address written" eq \
	"$rc $(echo "$out" | jget "d['status']") $($UB --json --tree "$T" tree get ./DMAcc/operator-cp/AppAddr/1/Addr | jget "d['value']")" \
	"0 applied https://dm3.operator.example/dm"
done_testing
