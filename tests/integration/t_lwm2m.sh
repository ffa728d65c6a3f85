# uicc-sim's LwM2M bootstrap through the real stack (pcscd + vpcd, scriptor
# and opensc-tool as the PC/SC clients): the access of OMA LwM2M Core G.2.1
# (MANAGE CHANNEL, SELECT of the PKCS#15 application by AID on the new
# channel), the DODF entry for 2.23.43.9.1 in both OID forms, the EF read
# back, the private rule (6982 before VERIFY), and the C and the Python
# decoders on what the card returned.
. "$(dirname "$0")/lib.sh"
P=tests/profiles/lwm2m.conf
BOOT=tests/profiles/boot/lwm2m-bootstrap.bin
AID=a000000063504b43532d3135
OPEN=0070000001
SEL1="01a4040c0c$AID"
WANT=$(od -An -tx1 -v $BOOT | tr -d ' \n')
LEN=$(stat -c %s $BOOT)

# dodf_entry HEX: the LwM2M oidDO of a DODF as "oidform flags authid fid"
dodf_entry() {
	python3 - "$1" <<'PY'
import sys
d = bytes.fromhex(sys.argv[1][:-4])
def tlvs(b):
    i = 0
    while i < len(b) and b[i] not in (0, 0xFF):
        t, l = b[i], b[i + 1]
        yield t, b[i + 2:i + 2 + l]
        i += 2 + l
for t, v in tlvs(d):
    if t != 0xA1:
        continue
    parts = list(tlvs(v))
    coa = dict(tlvs(parts[0][1])) if len(parts) == 3 else {}
    oiddo = list(tlvs(list(tlvs(parts[-1][1]))[0][1]))
    oid = oiddo[0][1].hex()
    if oid not in ("672b0901", "0604672b0901"):
        continue
    form = "plain" if oid == "672b0901" else "double"
    path = dict(tlvs(oiddo[1][1]))[0x04].hex()
    print(form, coa.get(0x03, b"").hex() or "-", coa.get(0x04, b"").hex() or "-", path)
PY
}

$LAB sim 0 $P
r=$(apdus "$R0" $OPEN "$SEL1" 01a4000c025031 01b0000000 01a4000c025207 01b0000000)
check "MANAGE CHANNEL opens channel 1" eq "$(echo "$r" | sed -n 1p)" 019000
check "SELECT of the PKCS#15 AID on channel 1" eq "$(echo "$r" | sed -n 2p)" 9000
check "the ODF, read on channel 1, points at the DODF 5207" sh -c "echo $(echo "$r" | sed -n 4p) | grep -q '^a706300404025207'"
check "the DODF lists 2.23.43.9.1, double-encoded as live cards have it, public, EF 6434" eq \
	"$(dodf_entry "$(echo "$r" | sed -n 6p)")" "double - - 6434"
r=$(apdus "$R0" $OPEN "$SEL1" "01a40004026434 00" 01b0000000 00b0000000 00708001 01b0000000)
fcp=$(echo "$r" | sed -n 3p)
check "the EF's FCP gives its size (80) as file + 16 bytes" sh -c \
	"echo $fcp | grep -q '8002$(printf %04x $((LEN + 16)))'"
data=$(echo "$r" | sed -n 4p)
check "the EF reads back the file, then FF padding, on channel 1" eq "$data" \
	"$WANT$(printf 'ff%.0s' $(seq 16))9000"
check "the basic channel kept its own selection (no current EF there: 6986)" eq "$(echo "$r" | sed -n 5p)" 6986
check "MANAGE CHANNEL closes channel 1; then it answers 6881" eq "$(echo "$r" | sed -n 6,7p | tr '\n' ' ')" "9000 6881 "
# a modem's form (SELECT by path from the MF through 7FFF, as Nordic's reader does)
r=$(apdus "$R0" $OPEN "$SEL1" "01a40804047fff643400" "01b00000$(printf %02x $LEN)")
check "SELECT by path 7FFF/6434 on channel 1 and READ of the file's length" eq "$(echo "$r" | sed -n 4p)" "${WANT}9000"
r=$(opensc-tool -r "$R0" -s $OPEN -s "$SEL1" -s 01a4000c026434 -s 01b0000004 2>&1 | tail -2)
check "opensc-tool reads the header of EF LwM2M_Bootstrap on channel 1" sh -c \
	"echo '$r' | grep -q 'SW1=0x90, SW2=0x00' && echo '$r' | tail -1 | cut -c1-11 | tr -d ' ' | tr A-F a-f | grep -qx '${WANT:0:8}'"
out=$($UB --json info 2>/dev/null)
check "uiccboot info still reads the DODF with the LwM2M entry (3 objects)" eq \
	"$(echo "$out" | jget "[b['path'] for b in d['bootstrap']]")" '["6432", "6433", "6434"]'

# what the card returned, through both decoders
echo "${data:0:$((2 * LEN + 32))}" | xxd -r -p >"$TMP/ef.bin"
DUMP=$UB_BUILD/tests/test_lwm2m
[ -x "$DUMP" ] || DUMP=build/tests/test_lwm2m # make valgrind wraps only the programs
c=$($DUMP --dump "$TMP/ef.bin")
py=$(python3 tests/integration/lwm2m_ref.py decode "$TMP/ef.bin")
check "the C decoder and the Python reference agree on the EF read from the card" python3 -c \
	"import json,sys; a,b=json.loads(sys.argv[1]),json.loads(sys.argv[2]); assert a==b and 'objects' in a, (a,b)" "$c" "$py"

# the plain OID form
sed 's/^lwm2m_oid_form = .*/lwm2m_oid_form = plain/' $P >"$TMP/plain.conf"
sed -i "s|= boot/|= $PWD/tests/profiles/boot/|" "$TMP/plain.conf"
$LAB sim 0 "$TMP/plain.conf"
r=$(apdus "$R0" $OPEN "$SEL1" 01a4000c025207 01b0000000)
check "lwm2m_oid_form = plain: the OID once (06 04 67 2B 09 01)" eq "$(dodf_entry "$(echo "$r" | sed -n 4p)")" "plain - - 6434"

# private: flags and authId in the DODF, 6982 until VERIFY PIN1
sed -e 's/^lwm2m_private = .*/lwm2m_private = yes/' -e 's/^pin1_enabled = .*/pin1_enabled = yes/' \
	-e "s|= boot/|= $PWD/tests/profiles/boot/|" $P >"$TMP/private.conf"
$LAB sim 0 "$TMP/private.conf"
r=$(apdus "$R0" $OPEN "$SEL1" 01a4000c025207 01b0000000 01a4000c026434 01b0000004 \
	"0020000108 31323334ffffffff" 01b0000004)
check "lwm2m_private = yes: flags private (03 02 07 80) and authId 01 in the DODF" eq \
	"$(dodf_entry "$(echo "$r" | sed -n 4p)")" "double 0780 01 6434"
check "the private EF answers 6982 before VERIFY" eq "$(echo "$r" | sed -n 6p)" 6982
check "VERIFY PIN1 on channel 1, then the EF reads" eq "$(echo "$r" | sed -n 7,8p | tr '\n' ' ')" \
	"9000 ${WANT:0:8}9000 "
bad=$(printf '[pkcs15]\nlwm2m_oid_form = triple\n')
echo "$bad" >"$TMP/bad.conf"
out=$($UB_BUILD/uicc-sim --profile "$TMP/bad.conf" 2>&1)
check "a bad lwm2m_oid_form stops the simulator, naming file, line and key" sh -c \
	"echo \"$out\" | grep -q \"bad.conf:2: bad value for 'lwm2m_oid_form'\""
done_testing
