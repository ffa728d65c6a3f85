# The card behind a modem (at:DEVICE): the test modem (uicc-modem) on a
# pseudo-terminal forwards AT+CSIM to the lab's card.  Every card command
# through the modem gives the same output and tree as through PC/SC on the
# same card (reader names aside); logical channels through +CCHO/+CGLA
# when the modem refuses MANAGE CHANNEL; a modem that fetches 61xx itself;
# echo and URCs; each fault an error naming the port.
. "$(dirname "$0")/lib.sh"
F=tests/fixtures
BOOT=tests/profiles/boot
DM="application/vnd.syncml.dm+wbxml"
LOG=$LABDIR/sim0.log
RAND1=23553cbe9637a89d218ae64dae47bf35
AUTN1=55f328b43577b9b94a9ffac354dfafb3
export UICCBOOT_AT_TIMEOUT_MS=1500

# JSON without reader names (and, with nocount, without APDU counts)
strip() {
	python3 -c "
import json, sys
drop = {'reader'} | ({'apdus'} if '${1:-}' == 'nocount' else set())
names = ['$R0', '$M']
def walk(v):
    if isinstance(v, dict):
        return {k: walk(x) for k, x in v.items() if k not in drop}
    if isinstance(v, list):
        return [walk(x) for x in v]
    if isinstance(v, str):
        for n in names:
            v = v.replace(n, 'READER')
    return v
print(json.dumps(walk(json.loads(sys.stdin.read())), sort_keys=True))"
}

# the T=0 cards of the lab: a USIM+ISIM, and the demo card (bootstrap objects)
sed 's/^protocol = T1/protocol = T0/' tests/profiles/test-usim.conf >"$TMP/usim.conf"
sed -e 's/^protocol = T1/protocol = T0/' -e "s|= boot/|= $PWD/$BOOT/|" tests/profiles/demo.conf >"$TMP/demo.conf"
printf '[push]\nallowed_sec = NETWORKID, USERPIN\n' >"$TMP/policy.conf"

# same "name" PROFILE COMMAND...: the command on a fresh card through PC/SC
# and through the modem (its options in $MODEM_OPTS): outputs, exit codes
# and trees equal
same() {
	local d=$1 prof=$2 a b ta tb ra rb
	shift 2
	rm -f "$TMP"/t[ab].db*
	$LAB sim 0 "$prof"
	a=$($UB -r "$R0" --json --tree "$TMP/ta.db" --policy "$TMP/policy.conf" "$@" 2>"$TMP/ea"); ra=$?
	ta=$($UB --tree "$TMP/ta.db" tree export 2>&1 | sed 's/ta\.db/t.db/')
	$LAB sim 0 "$prof"
	modem_start $MODEM_OPTS
	b=$($UB -r "$M" --json --tree "$TMP/tb.db" --policy "$TMP/policy.conf" "$@" 2>"$TMP/eb"); rb=$?
	tb=$($UB --tree "$TMP/tb.db" tree export 2>&1 | sed 's/tb\.db/t.db/')
	check "$d: same exit code ($ra)" eq "$rb" "$ra"
	check "$d: same output" eq "$(echo "$b" | strip $COUNT)" "$(echo "$a" | strip $COUNT)"
	check "$d: same tree" eq "$tb" "$ta"
}

# --- every card command, the modem passing 61xx through ---
MODEM_OPTS="" COUNT=
same "info" "$TMP/usim.conf" info
check "info: the APDUs went as AT+CSIM" sh -c "grep -q '^> AT+CSIM=' $ML && ! grep -q 'CCHO' $ML"
same "auth" "$TMP/usim.conf" auth --rand $RAND1 --autn $AUTN1
same "gba bootstrap" "$TMP/usim.conf" gba bootstrap --rand $RAND1 --autn $AUTN1 --bsf bsf.example.org \
	--app usim --lifetime 2031-01-01T00:00:00Z
same "bootstrap (DM, CP and LwM2M objects)" "$TMP/demo.conf" bootstrap
check "bootstrap: a logical channel opened through AT+CSIM" grep -q '^> AT+CSIM=10,"0070000001"' "$ML"
same "lwm2m bootstrap --dry-run" "$TMP/demo.conf" bootstrap --dry-run
same "push with NETWORKID (the IMSI from the card)" "$TMP/usim.conf" push $F/dm12-plain.wbxml \
	--content-type "$DM; SEC=NETWORKID; MAC=80D3D4C9D735DC5D63B4A24E79F01BF113C0D682"
$LAB sim 0 "$TMP/usim.conf"
$UB -r "$R0" --json gba bootstrap --rand $RAND1 --autn $AUTN1 --bsf bsf.example.org --app usim \
	--lifetime 2031-01-01T00:00:00Z >/dev/null
a=$($UB -r "$R0" --json gba naf-key --naf naf.example.org --ua 0100000002 --app usim)
modem_start
b=$($UB -r "$M" --json gba naf-key --naf naf.example.org --ua 0100000002 --app usim)
check "gba naf-key: the same key identity through both" eq "$(echo "$b" | strip)" "$(echo "$a" | strip)"
out=$($UB -r "$M" --json lwm2m list --tree "$TMP/tb.db" 2>&1); rc=$?
check "lwm2m list after the modem's bootstrap" eq "$rc" 0

# --- the modem refuses MANAGE CHANNEL through +CSIM: +CCHO/+CGLA/+CCHC ---
MODEM_OPTS="--fault no-channel"
same "bootstrap, channels through +CCHO/+CGLA" "$TMP/demo.conf" bootstrap
check "+CCHO with the PKCS#15 AID, +CGLA on its session, +CCHC" sh -c \
	"grep -q '^> AT+CCHO=\"A000000063504B43532D3135\"' $ML || grep -qi '^> AT+CCHO=\"a000000063504b43532d3135\"' $ML; \
	 grep -q '^> AT+CGLA=101,' $ML && grep -q '^> AT+CCHC=101' $ML"
MODEM_OPTS="--fault no-channel --fault ccho-bare"
same "info --channel, +CCHO answering the number alone" "$TMP/usim.conf" --channel info

# --- the modem owns the basic channel: SELECT by AID of the USIM/ISIM refused
# through +CSIM; a logical channel (+CCHO, which selects by AID) stands in ---
MODEM_OPTS="--fault no-aid-select"
same "info, SELECT of the USIM on the basic channel refused" "$TMP/usim.conf" info
check "the USIM through +CCHO and +CGLA" sh -c \
	"grep -qi '^> AT+CCHO=\"A0000000871002' $ML && grep -q '^> AT+CGLA=' $ML && grep -q '^< +CME ERROR: 3' $ML"
same "auth, SELECT of the USIM on the basic channel refused" "$TMP/usim.conf" auth --rand $RAND1 --autn $AUTN1
printf '[smartcard]\nlogical_channel = no\n' >"$TMP/nochan.conf"
$LAB sim 0 "$TMP/usim.conf"
modem_start --fault no-aid-select
out=$($UB -r "$M" --json --policy "$TMP/nochan.conf" info 2>"$TMP/err"); rc=$?
check "logical channels off: exit $rc, an error naming the port and the policy option" sh -c \
	"[ $rc = 69 ] && grep -q 'modem $TMP/modem' $TMP/err && grep -q 'logical_channel = no' $TMP/err && ! grep -q CCHO $ML"
MODEM_OPTS=""

# --- a modem that fetches 61xx itself: same answers, fewer APDUs ---
MODEM_OPTS="--fault auto-getresponse" COUNT=nocount
same "info, the modem doing GET RESPONSE" "$TMP/usim.conf" info
same "bootstrap, the modem doing GET RESPONSE" "$TMP/demo.conf" bootstrap
check "no GET RESPONSE from the host" sh -c "! grep -qi '^> AT+CSIM=10,\"00C0' $ML"

# --- echo left on, URCs between and inside answers ---
MODEM_OPTS="--fault echo --fault urc-between --fault urc-inside" COUNT=""
same "info, echo on and URCs everywhere" "$TMP/usim.conf" info
same "bootstrap, echo on and URCs everywhere" "$TMP/demo.conf" bootstrap

# --- --reset on a modem: no cold reset, and it says so ---
$LAB sim 0 "$TMP/usim.conf"
modem_start
out=$($UB -r "$M" --json --reset --trace "$TMP/trace" info 2>"$TMP/err"); rc=$?
check "--reset through a modem: exit 0, said on stderr and in the trace" sh -c \
	"[ $rc = 0 ] && grep -q 'no cold reset' $TMP/err && grep -q 'no cold reset' $TMP/trace && \
	 grep -qi '^> AT+CSIM=14,\"00A4000C023F00\"' $ML"
check "the PIN-free trace through a modem has the APDUs, not the AT lines" sh -c \
	"grep -q '^> 00 B0 ' $TMP/trace && ! grep -qi 'AT+CSIM' $TMP/trace"

# --- readers lists the modem ---
out=$($UB -r "$M" --json readers)
check "readers -r at:...: the modem listed with a card" eq \
	"$(echo "$out" | jget "[(r['name'], r['card_present'], r['protocol']) for r in d['readers'] if r['name'].startswith('at:')]")" \
	"[[\"$M\", true, \"AT+CSIM\"]]"

printf '[modem]\nport = %s\n' "$TMP/modem" >"$TMP/modem.conf"
out=$($UB --policy "$TMP/modem.conf" --json readers)
check "readers: the modem named by [modem] port listed" eq \
	"$(echo "$out" | jget "[r['name'] for r in d['readers'] if r['name'].startswith('at:')]")" "[\"$M\"]"

# --- the policy's modem without -r (t_modem_readers: beside the readers) ---
# no PC/SC here (a client socket where no pcscd listens, no UICCBOOT_READER):
# the modem serves
$LAB sim 0 "$TMP/demo.conf"
modem_start
nopcsc() { env -u UICCBOOT_READER PCSCLITE_CSOCK_NAME="$TMP/no-pcscd" "$@"; }
a=$($UB -r "$M" --json info)
b=$(nopcsc $UB --policy "$TMP/modem.conf" --json info 2>"$TMP/err"); rc=$?
check "info without -r and without PC/SC readers: the policy's modem (exit $rc)" sh -c \
	"[ $rc = 0 ] && [ \"\$(echo '$b' | jq -c .)\" = \"\$(echo '$a' | jq -c .)\" ]"
out=$(nopcsc $UB --policy "$TMP/modem.conf" --json --tree "$TMP/alone.db" bootstrap --all-readers 2>&1); rc=$?
check "bootstrap --all-readers without pcscd: the modem alone (exit $rc)" eq \
	"$rc $(echo "$out" | jget "[c['reader'] for c in d['readers']]")" "0 [\"$M\"]"
out=$(env -u UICCBOOT_READER $UB --policy "$TMP/modem.conf" --json --tree "$TMP/sms.db" sms listen --exit-idle 1 2>&1); rc=$?
check "sms listen without -r: the policy's modem (exit $rc)" sh -c \
	"[ $rc = 0 ] && echo '$out' | grep -q '\"type\":\"listening\"' && grep -q '^> AT+CMGL=4' $ML"
out=$(env -u UICCBOOT_READER $UB --policy /dev/null --json sms listen --exit-idle 1 2>&1); rc=$?
check "sms listen without -r nor [modem] port: a usage error (exit $rc)" eq "$rc" 64

# --- two processes on one modem: the second waits for the port ---
$UB -r "$M" --json info >"$TMP/p1" 2>&1 &
p1=$!
$UB -r "$M" --json info >"$TMP/p2" 2>&1; r2=$?
wait $p1; r1=$?
check "two processes on one modem: both done, the same card" sh -c \
	"[ $r1$r2 = 00 ] && [ \"\$(jq -c .iccid $TMP/p1)\" = \"\$(jq -c .iccid $TMP/p2)\" ]"

# --- faults: a clear error naming the port ---
fault() {
	local d=$1 f=$2 want=$3
	$LAB sim 0 "$TMP/usim.conf"
	modem_start --fault "$f"
	out=$($UB -r "$M" --json info 2>"$TMP/err"); rc=$?
	check "$d: exit $rc, the port and '$want' in the error" sh -c \
		"[ $rc != 0 ] && echo '$out' | jq -e '.where | contains(\"modem $TMP/modem\")' >/dev/null && \
		 echo '$out' | jq -e '.message | contains(\"$want\")' >/dev/null"
}
fault "a modem that stops answering" silent:4 "no answer within 1500 ms"
fault "garbage instead of answers" garbage:4 "only lines that are no AT answer"
fault "+CME ERROR to an APDU" cme:4 "+CME ERROR: 4"
fault "a length that disagrees with the hex" badlen:4 "length disagrees"
fault "the port closing (USB reset)" close:4 "went away"
out=$($UB -r "at:$TMP/no-such-port" --json info 2>/dev/null); rc=$?
check "no such port: exit 69, named" sh -c "[ $rc = 69 ] && echo '$out' | grep -q 'no-such-port'"
out=$($UB -r "at:/dev/null" --json info 2>/dev/null); rc=$?
check "not a serial port: exit 69" sh -c "[ $rc = 69 ] && echo '$out' | grep -q 'not a serial port'"
modem_stop
done_testing
