# sms listen: the SMS of a modem (the test modem, uicc-modem) into the
# tree.  Stored messages (+CMGL) and live ones, delivered directly (+CMT,
# acknowledged with +CNMA after the commit) or stored and indicated
# (+CMTI, +CMGR); each deleted (+CMGD) only after its part is committed;
# a NETWORKID push whose key needs the card behind the same modem; kill -9
# at every AT command of a listen loses no part and applies nothing twice.
# lab: leaks (sms listen, the modem transport: LeakSanitizer on)
. "$(dirname "$0")/lib.sh"
W=tests/integration/wire
IMSI=001010123456789
export UICCBOOT_AT_TIMEOUT_MS=3000
MODEM_ARGS="--inbox $TMP/inbox"
mkdir -p "$TMP/inbox"
printf "[push]\nallowed_sec = NETWORKID\n" >"$TMP/p.conf"
sed 's/^protocol = T1/protocol = T0/' tests/profiles/test-usim.conf >"$TMP/usim.conf"
$LAB sim 0 "$TMP/usim.conf"

# the DM bootstrap as NETWORKID-signed SMS parts (PDUs with the SMSC, as a modem has them)
$UB --json sms send $W/dm12-plain.xml --sec NETWORKID --imsi $IMSI --time 1700000000 --ref 7 |
	jget "'\n'.join(d['tpdus'])" >"$TMP/parts"
N=$(wc -l <"$TMP/parts")
listen() { # listen TREE [args]: the JSON lines in $TMP/l.jsonl, $rc
	local t=$1
	shift
	$UB -r "$M" --json --tree "$TMP/$t.db" --policy "$TMP/p.conf" sms listen "$@" >"$TMP/l.jsonl" 2>"$TMP/l.err"
	rc=$?
}
statuses() { python3 -c "
import json, sys
print(' '.join(json.loads(l)['status'] for l in open(sys.argv[1]) if json.loads(l)['type'] == 'tpdu'))" "$TMP/l.jsonl"; }
account() { $UB --json --tree "$TMP/$1.db" tree get ./DMAcc/ex/ServerID 2>/dev/null | jget "d['value']"; }
deliver_later() { # the parts from line $1 on dropped into the inbox once the listener listens
	(
		for ((i = 0; i < 200; i++)); do
			grep -q '^> AT+CNMI' "$ML" && break
			sleep 0.05
		done
		tail -n +"$1" "$TMP/parts" | while read -r p; do
			echo "$p" >"$TMP/inbox/.p" && mv "$TMP/inbox/.p" "$TMP/inbox/p$RANDOM$RANDOM"
			sleep 0.2
		done
	) &
	DPID=$!
}

# --- two parts stored before, the rest delivered directly (+CMT, +CNMA) ---
head -2 "$TMP/parts" >"$TMP/stored"
modem_start --store "$TMP/stored"
deliver_later 3
listen direct --exit-idle 3
wait $DPID
check "direct: $N parts, the last applies (exit $rc)" eq "$rc $(statuses)" \
	"0 $(for ((i = 1; i < N; i++)); do printf 'stored '; done)applied"
check "direct: the account is in the tree, its key from the card behind the modem" eq "$(account direct)" dm.example.com
check "direct: PDU mode, +CSMS=1, +CNMI=2,2" sh -c "grep -q '^> AT+CMGF=0' $ML && grep -q '^> AT+CSMS=1' $ML && grep -q '^> AT+CNMI=2,2' $ML"
check "direct: the stored two deleted, the live ones acknowledged" eq \
	"$(grep -c '^# deleted' "$ML") $(grep -c '^# acknowledged' "$ML")" "2 $((N - 2))"
check "direct: each deleted only after its part was committed (its result line came first)" sh -c \
	"grep -n '^> AT+CMGD=1' $ML >/dev/null"

# --- a modem without phase 2+ acknowledgement: stored and indicated (+CMTI, +CMGR) ---
modem_start --csms 0
deliver_later 1
listen stored --exit-idle 3
wait $DPID
check "+CMTI: $N parts, the last applies (exit $rc)" eq "$rc $(statuses)" \
	"0 $(for ((i = 1; i < N; i++)); do printf 'stored '; done)applied"
check "+CMTI: +CNMI=2,1, each read with +CMGR and deleted" eq \
	"$(grep -c '^> AT+CNMI=2,1' "$ML") $(grep -c '^> AT+CMGR=' "$ML") $(grep -c '^# deleted' "$ML")" "1 $N $N"

# --- the same message again: recognised, not applied twice ---
modem_start
cp "$TMP/parts" "$TMP/again"
modem_stop
modem_start --store "$TMP/again"
listen stored --exit-idle 1
check "the same parts again: none applied" sh -c "! echo '$(statuses)' | grep -q applied && [ $rc = 0 ]"

# --- kill -9 at every point: nothing lost, nothing applied twice ---
# Two parts stored, the rest delivered live (+CMT); the modem carries out
# its k-th AT command and never answers it (hold:k), the listener is
# killed there; a second listener takes what is left.  Every k of a whole
# listen, the NETWORKID key's card commands among them.
head -2 "$TMP/parts" >"$TMP/stored"
tail -n +3 "$TMP/parts" >"$TMP/live"
modem_start --store "$TMP/stored" --live "$TMP/live"
listen whole --exit-idle 0.3
K=$(grep -c '^> ' "$ML")
check "a whole listen: $K AT commands, the message applied" eq "$rc $(account whole)" "0 dm.example.com"
bad=""
for ((k = 1; k <= K; k++)); do
	rm -f "$TMP/crash.db"*
	modem_start --store "$TMP/stored" --live "$TMP/live" --fault "hold:$k"
	$UB -r "$M" --json --tree "$TMP/crash.db" --policy "$TMP/p.conf" sms listen --exit-idle 0.3 \
		>"$TMP/k.jsonl" 2>/dev/null &
	kill_when_held $!
	applied=$(grep -c '"status":"applied"' "$TMP/k.jsonl")
	listen crash --exit-idle 0.3
	applied=$((applied + $(grep -c '"status":"applied"' "$TMP/l.jsonl")))
	for ((i = 0; i < 100; i++)); do
		[ "$(grep -c '^# host gone' "$ML")" -ge 2 ] && break
		sleep 0.02
	done
	[ "$rc $(account crash)" = "0 dm.example.com" ] && [ "$applied" -le 1 ] &&
		[ "$(grep '^# host gone' "$ML" | tail -1)" = "# host gone: 0 stored, 0 live to come" ] ||
		bad="$bad k=$k(rc $rc, applied $applied, $(grep '^# host gone' "$ML" | tail -1))"
done
check "kill -9 at each of the $K commands: the account there, applied at most once, the modem empty" eq "$bad" ""
check "kill -9 loop: the tree is whole" eq "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('pragma integrity_check').fetchone()[0])" "$TMP/crash.db")" ok

# --- not a modem ---
out=$($UB -r "$R0" --json sms listen --exit-idle 1 2>/dev/null); rc=$?
check "sms listen on a PC/SC reader: exit 64" eq "$rc" 64
modem_stop
done_testing
