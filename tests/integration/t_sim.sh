# Issue 3: uicc-sim checked by independent peers (scriptor, opensc-tool,
# osmo-auc-gen, eapol_test, Python hmac) through pcscd + vpcd.
. "$(dirname "$0")/lib.sh"
P=tests/profiles/test-usim.conf
RAND1=23553cbe9637a89d218ae64dae47bf35
AUTN1=55f328b43577b9b94a9ffac354dfafb3
SEL_USIM=00a4040c07a0000000871002
SEL_ISIM=00a4040c07a0000000871004

# profile K OPC AMF [protocol]: the test card with other keys, SQN_MS 0
profile() {
	sed -e "s/^ki = .*/ki = $1/" -e "s/^opc = .*/opc = $2/" -e "s/^amf = .*/amf = $3/" \
		-e "s/^sqn = .*/sqn = 000000000000/" -e "s/^protocol = .*/protocol = ${4:-T1}/" $P
}
# auc FIELD K OPC AMF SQN(hex) RAND: one value from osmo-auc-gen
auc() {
	osmo-auc-gen -3 -a milenage -k "$2" -o "$3" -f "$4" -s $((16#$5)) -r "$6" 2>/dev/null |
		sed -n "s/^$1:[[:space:]]*//p"
}
# milenage_vs_osmo NAME K OPC AMF SQN RAND: card's 3G answer equals osmo-auc-gen's
milenage_vs_osmo() {
	local name=$1 k=$2 opc=$3 amf=$4 sqn=$5 rand=$6 autn want got auts
	profile "$k" "$opc" "$amf" >"$TMP/p.conf"
	$LAB sim 0 "$TMP/p.conf"
	autn=$(auc AUTN "$k" "$opc" "$amf" "$sqn" "$rand")
	want="db08$(auc RES "$k" "$opc" "$amf" "$sqn" "$rand")10$(auc CK "$k" "$opc" "$amf" "$sqn" "$rand")10$(auc IK "$k" "$opc" "$amf" "$sqn" "$rand")089000"
	got=$(apdus "$R0" $SEL_USIM "0088008122 10 $rand 10 $autn 00" "0088008122 10 $rand 10 $autn 00")
	check "$name: RES/CK/IK equal osmo-auc-gen" eq "$(echo "$got" | sed -n 2p | cut -c1-88)" "${want:0:88}"
	auts=$(echo "$got" | sed -n 3p)
	check "$name: replayed SQN gives an AUTS" eq "${auts:0:4}" "dc0e"
	got=$(osmo-auc-gen -3 -a milenage -k "$k" -o "$opc" -f "$amf" -A "${auts:4:28}" -r "$rand" 2>&1 | sed -n 's/^SQN.MS:[[:space:]]*//p')
	check "$name: osmo-auc-gen accepts the AUTS (SQN_MS = SQN)" eq "$got" "$((16#$sqn))"
}

# --- a. Milenage ---
$LAB sim 0 $P
r=$(apdus "$R0" $SEL_USIM "0088008122 10 $RAND1 10 $AUTN1 00")
check "35.208 set 1: RES, CK, IK and Kc (docs/test-vectors.md 3)" eq "$(echo "$r" | sed -n 2p)" \
	db08a54211d5e3ba50bf10b40ba9a3c58b2a05bbf0d987b21bf8cb10f769bcd751044604127672711c6d344108eae4be823af9a08b9000
r=$(apdus "$R0" $SEL_USIM "0088008011 10 $RAND1 00")
check "35.208 set 1: GSM context SRES and Kc (c2/c3)" eq "$(echo "$r" | sed -n 2p)" 0446f8416a08eae4be823af9a08b9000
milenage_vs_osmo "35.208 set 3" fec86ba6eb707ed08905757b1bb44b8f 1006020f0a478bf6b699f15c062e42b3 \
	725c 9d0277595ffc 9f7c8d021accf4db213ccff0c7f71a6a
for i in 1 2 3; do
	rnd=$(python3 -c 'import secrets; print(secrets.token_hex(16), secrets.token_hex(16), secrets.token_hex(2), secrets.token_hex(6), secrets.token_hex(16))')
	set -- $rnd
	milenage_vs_osmo "random set $i" "$1" "$2" "$3" "$4" "$5"
done
$LAB sim 0 $P
r=$(apdus "$R0" $SEL_USIM "0088008122 10 $RAND1 10 ${AUTN1:0:31}0 00")
check "a wrong MAC gives 9862" eq "$(echo "$r" | sed -n 2p)" 9862

# --- b. eapol_test (hostap assumes T=0) gets osmo-auc-gen's GSM triplets ---
profile 465b5ce8b199b49faa5f0a2ee238a6bc cd63cb71954a9f4e48a5994e37a02baf b9b9 T0 >"$TMP/t0.conf"
$LAB sim 0 "$TMP/t0.conf"
out=$(timeout 30 eapol_test -R "$R0" sim 1234 2 2>&1 | grep '^001010123456789:')
want=""
for rand in 00000000000000000000000000000000 01010101010101010101010101010101; do
	o=$(osmo-auc-gen -3 -a milenage -k 465b5ce8b199b49faa5f0a2ee238a6bc -o cd63cb71954a9f4e48a5994e37a02baf -f b9b9 -s 1 -r $rand 2>/dev/null)
	want="${want}001010123456789:$(echo "$o" | sed -n 's/^Kc:[[:space:]]*//p'):$(echo "$o" | sed -n 's/^SRES:[[:space:]]*//p'):$rand
"
done
check "eapol_test sim: 2 triplets equal osmo-auc-gen -3 (c2/c3)" eq "$(echo "$out" | tr A-F a-f)" "$(printf '%s' "$want")"

# --- c. every file selectable and readable, with a right FCP ---
$LAB sim 0 $P
fcp_check() { # app-select fid expected-structure(41/42) : FCP has 82, 83=fid, 8A, 80
	local r fcp
	r=$(apdus "$R0" "$1" "00a40004 02 $2 00")
	fcp=$(echo "$r" | sed -n 2p)
	python3 - "$fcp" "$2" "$3" <<'PY'
import sys
fcp, fid, fdb = bytes.fromhex(sys.argv[1][:-4]), sys.argv[2], sys.argv[3]
assert sys.argv[1].endswith("9000"), sys.argv[1]
assert fcp[0] == 0x62 and fcp[1] == len(fcp) - 2, "FCP template length"
tl, i = {}, 2
while i < len(fcp):
    t, l = fcp[i], fcp[i + 1]; tl[t] = fcp[i + 2:i + 2 + l]; i += 2 + l
assert i == len(fcp), "TLVs fill the template"
assert tl[0x82][:1].hex() == fdb, ("descriptor", tl[0x82].hex())
assert tl[0x83].hex() == fid.lower(), ("fid", tl[0x83].hex())
assert 0x8A in tl and 0x80 in tl and 0xA5 in tl and (0x8B in tl or 0x8C in tl)
PY
}
for f in 6F07:41 6FAD:41 6F38:41 6FD6:41 6FDA:42; do
	check "USIM EF ${f%:*}: FCP right" fcp_check $SEL_USIM "${f%:*}" "${f#*:}"
done
for f in 6F02:41 6F03:41 6F04:42 6F07:41 6FAD:41 6FD5:41 6FD7:42; do
	check "ISIM EF ${f%:*}: FCP right" fcp_check $SEL_ISIM "${f%:*}" "${f#*:}"
done
check "MF EF_DIR and EF_ICCID: FCP right" sh -c "$(declare -f fcp_check apdus spaced); R0='$R0' TMP=$TMP; fcp_check 00a4000c023f00 2F00 42 && fcp_check 00a4000c023f00 2FE2 41"
r=$(apdus "$R0" "00a40404 07 a0000000871002 00")
check "ADF FCP has the full AID (84) and a PIN template (C6)" sh -c "echo $r | grep -q '8410a0000000871002ffffffff89070900' && echo $r | grep -q 'c606900100830101'"
r=$(apdus "$R0" 00a4000c023f00 00b082000a 00b201f426 $SEL_USIM 00b0870009 00b0830004)
check "reads by SFI: ICCID, EF_DIR record 1, IMSI, AD" eq "$(echo "$r" | sed -n '2p;3p;5p;6p' | cut -c1-36 | tr '\n' ' ')" \
	"989444000000214365f79000 61184f10a0000000871002ffffffff890709 0809101010325476989000 000000029000 "
r=$(opensc-tool -r "$R0" -s 00a4040c07a0000000871004 -s 00b2012480 2>&1 | grep -i 'sip' | head -1)
check "opensc-tool reads ISIM EF_IMPU record 1 by SFI 04" sh -c "[ -n '$r' ]"

# --- d. GBA: DD then DE against Python hmac (docs/test-vectors.md 4) ---
NAF=6e61662e6578616d706c652e6f72670100000002
IMPI=$(printf '%s' 001010123456789@ims.mnc001.mcc001.3gppnetwork.org | od -An -tx1 | tr -d ' \n')
WANT=7a205ce786b14dad6f28d1f8b39d74aba2a172a3c134043bb036912e2036b610
r=$(apdus "$R0" $SEL_USIM "0088008448 de 14 $NAF 31 $IMPI 00")
check "DE before any bootstrap answers 6985" eq "$(echo "$r" | sed -n 2p)" 6985
r=$(apdus "$R0" $SEL_USIM "0088008423 dd 10 $RAND1 10 $AUTN1 00" "0088008448 de 14 $NAF 31 $IMPI 00" 00a40004026fd600 00b0000013)
check "GBA bootstrap (USIM) returns RES" eq "$(echo "$r" | sed -n 2p)" db08a54211d5e3ba50bf9000
check "NAF derivation (USIM form) equals the spec vector" eq "$(echo "$r" | sed -n 3p)" db20${WANT}9000
check "EF_GBABP holds the RAND after DD" eq "$(echo "$r" | sed -n 5p)" 10${RAND1}00009000
ks_ext() { # K OPC RAND IMPI(ascii) NAF(hex): Ks_ext_NAF by Python hmac over osmo-auc-gen's CK||IK
	local ck ik
	ck=$(auc CK "$1" "$2" 0000 000000000001 "$3")
	ik=$(auc IK "$1" "$2" 0000 000000000001 "$3")
	python3 - "$ck$ik" "$3" "$4" "$5" <<'PY'
import hmac, hashlib, sys
ks, rand, impi, naf = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3].encode(), bytes.fromhex(sys.argv[4])
s = b"\x01"
for p in (b"gba-me", rand, impi, naf):
    s += p + len(p).to_bytes(2, "big")
print(hmac.new(ks, s, hashlib.sha256).hexdigest())
PY
}
check "the spec vector also equals hmac over osmo-auc-gen's CK||IK" eq \
	"$(ks_ext 465b5ce8b199b49faa5f0a2ee238a6bc cd63cb71954a9f4e48a5994e37a02baf $RAND1 001010123456789@ims.mnc001.mcc001.3gppnetwork.org $NAF)" "$WANT"
for i in 1 2; do
	set -- $(python3 -c 'import secrets; print(secrets.token_hex(16), secrets.token_hex(16), secrets.token_hex(16), secrets.token_hex(6), "naf%d.test.example"%secrets.randbelow(1000))')
	k=$1 opc=$2 rand=$3 sqn=$4 fqdn=$5
	naf=$(printf '%s' "$fqdn" | od -An -tx1 | tr -d ' \n')0100000002
	nl=$(printf '%02x' $((${#naf} / 2)))
	profile $k $opc 0000 >"$TMP/p.conf"
	$LAB sim 0 "$TMP/p.conf"
	autn=$(auc AUTN $k $opc 0000 $sqn $rand)
	r=$(apdus "$R0" $SEL_ISIM "0088008423 dd 10 $rand 10 $autn 00" "00880084$(printf '%02x' $((${#naf} / 2 + 2))) de $nl $naf 00")
	check "random GBA $i (ISIM form): Ks_ext_NAF equals Python hmac" eq "$(echo "$r" | sed -n 3p)" \
		"db20$(ks_ext $k $opc $rand 001010123456789@ims.mnc001.mcc001.3gppnetwork.org $naf)9000"
done
r=$(apdus "$R0" $SEL_ISIM 00a40004026fd700 00b2010400)
check "EF_GBANL got a record for the NAF_Id" sh -c "echo '$(echo "$r" | sed -n 3p)' | grep -q '^80..$naf'"

# --- e. faults, each seen by a PC/SC client ---
$LAB sim 0 $P --fault sw:6982:b0:1
r=$(apdus "$R0" $SEL_USIM 00b0870009 00b0870009)
check "fault sw: first READ BINARY answered 6982, second normal" eq "$(echo "$r" | sed -n '2p;3p' | tr '\n' ' ')" "6982 0809101010325476989000 "
$LAB sim 0 $P --fault remove:2
r=$(apdus "$R0" $SEL_USIM 00b0870009 00b0870009)
check "fault remove: the client sees the card go after APDU 2" sh -c "scriptor -r '$R0' </dev/null 2>&1 | grep -qiE 'card|remov|absent' || ! $UB --json readers | grep -q '\"name\":\"$R0\",\"card_present\":true'"
$LAB sim 0 $P --fault remove:1:300
apdus "$R0" $SEL_USIM >/dev/null
sleep 1.5
check "fault remove with re-insert: the card is back" sh -c "$UB --json readers | grep -q '\"name\":\"$R0\",\"card_present\":true'"
$LAB sim 0 $P --fault delay:300
start=$(date +%s%N)
apdus "$R0" $SEL_USIM 00b0870009 00b0870009 >/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
check "fault delay: 3 APDUs take at least 3 x 300 ms (${ms} ms)" test $ms -ge 900
$LAB sim 0 $P --fault reset:1
check "fault reset: pcscd tells the next client the card was reset" sh -c "
	cat > $TMP/reset.c <<'C'
#include <PCSC/winscard.h>
#include <stdio.h>
#include <unistd.h>
int main(int c, char **v) {
	SCARDCONTEXT ctx; SCARDHANDLE h; DWORD p, rl = 258; BYTE r[258];
	BYTE sel[] = {0x00,0xA4,0x00,0x0C,0x02,0x3F,0x00};
	SCARD_IO_REQUEST pci = {SCARD_PROTOCOL_T1, sizeof pci};
	SCardEstablishContext(SCARD_SCOPE_SYSTEM, 0, 0, &ctx);
	if (SCardConnect(ctx, v[1], SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1, &h, &p)) return 2;
	SCardTransmit(h, &pci, sel, 7, 0, r, &rl);  /* APDU 1: the sim then asks for a reset */
	sleep(1);
	rl = 258;
	LONG rv = SCardTransmit(h, &pci, sel, 7, 0, r, &rl);
	printf(\"%lx\\n\", (long)rv);
	return rv == SCARD_W_RESET_CARD ? 0 : 1;
}
C
	cc -o $TMP/reset $TMP/reset.c -I/usr/include/PCSC -lpcsclite && $TMP/reset '$R0'"
kill -USR1 "$(cat "$LABDIR/sim0.pid")"
sleep 0.2
check "SIGUSR1 prints the APDU count" grep -q 'uicc-sim: [0-9]* APDUs' "$LABDIR/sim0.err"
check "the APDU log is in scriptor format" sh -c "grep -q '^> 00 A4 00 0C 02 3F 00' '$LABDIR/sim0.log' && grep -q '^< 90 00' '$LABDIR/sim0.log'"

# --- profile errors name file, line and key ---
printf '[usim]\nimsi = 001010123456789\nkii = 00\n' >"$TMP/bad.conf"
out=$($UB_BUILD/uicc-sim --profile "$TMP/bad.conf" 2>&1); rc=$?
check "an unknown profile key stops the simulator (file:line: key)" sh -c "[ $rc -ne 0 ]" && echo "$out" | grep -q "bad.conf:3: unknown key 'kii' in \[usim\]" || echo "not ok - profile error message: $out"
done_testing
