# Issue 2: the transport through the real stack (pcscd + vpcd).
# lab: alone (counts and numbers the readers of the pcscd)
. "$(dirname "$0")/lib.sh"

# An independent responder on the vpcd socket of slot 1.
ATR=3b8a800150515253545556575859ef
python3 tests/integration/vpcd-responder.py $((${UB_VPCD_PORT:-35963} + ${UB_SLOT_BASE:-0} + 1)) $ATR >/dev/null 2>&1 &
resp=$!
for _ in $(seq 50); do
	$UB --json readers 2>/dev/null | grep -q "\"name\":\"$R1\",\"card_present\":true" && break
	sleep 0.1
done
out=$($UB --json readers)
check "readers --json shows the vpcd reader and the responder's ATR" \
	eq "$(echo "$out" | jget "[r['atr'] for r in d['readers'] if r['name']=='$R1'][0]")" "$ATR"
check "readers --json says apdus 0 and lists both slots" \
	eq "$(echo "$out" | jget "[d['apdus'], len(d['readers'])]")" "[0, 2]"
check "reader text output names the reader" sh -c "$UB readers | grep -q '1: $R1  card $ATR'"
kill $resp; wait $resp 2>/dev/null

# T=0 and T=1 cards: the protocol pcscd negotiated is reported.
$LAB sim 0 tests/profiles/test-usim.conf
check "T=1 card reported as T=1" \
	eq "$($UB --json readers | jget "[r['protocol'] for r in d['readers'] if r['name']=='$R0'][0]")" "T=1"
sed 's/^protocol = T1/protocol = T0/' tests/profiles/test-usim.conf >"$TMP/t0.conf"
$LAB sim 0 "$TMP/t0.conf"
check "T=0 card reported as T=0" \
	eq "$($UB --json readers | jget "[r['protocol'] for r in d['readers'] if r['name']=='$R0'][0]")" "T=0"

# Exit codes: usage 64, missing reader 69.
$UB --bogus >/dev/null 2>&1; rc=$?
check "unknown option exits 64" eq $rc 64
$UB -r "no such reader" info >/dev/null 2>&1; rc=$?
$UB -r "no such reader" readers >/dev/null 2>&1
check "unknown reader exits 69" eq $rc 69
check "--version prints the version" sh -c "$UB --version | grep -q '^uiccboot [0-9]'"

# --wait: a card that arrives later is waited for (SCardGetStatusChange), not polled.
$LAB simstop 0
start=$(date +%s%N)
( sleep 1; $LAB sim 0 tests/profiles/test-usim.conf ) &
out=$($UB --json --wait 10 -r "$R0" info); rc=$?
wait
ms=$((($(date +%s%N) - start) / 1000000))
check "--wait: info succeeds once the card is inserted (${ms} ms)" eq "$rc $(echo "$out" | jget "d['imsi']")" "0 001010123456789"
$LAB simstop 0
out=$($UB --json --wait 1 -r "$R0" info 2>/dev/null); rc=$?
check "--wait with no card: exit 69, timeout" eq "$rc $(echo "$out" | jget "d['error']")" "69 timeout"

# Removal in the middle of a command: a clear error, exit 69.
$LAB sim 0 tests/profiles/test-usim.conf --fault remove:3
out=$($UB --json -r "$R0" info 2>/dev/null); rc=$?
check "card removed after APDU 3: exit 69, card-removed" eq "$rc $(echo "$out" | jget "d['error']")" "69 card-removed"

# A reset asked for by another application during info waits for info's
# transaction: info completes, the reset lands after it.
$LAB sim 0 tests/profiles/test-usim.conf --fault reset:2
out=$($UB --json -r "$R0" info); rc=$?
sleep 0.5
check "reset requested mid-command: the command completes inside its transaction" eq "$rc $(echo "$out" | jget "d['imsi']")" "0 001010123456789"
check "the reset reached the card after the command's last APDU" sh -c \
	"awk '/^# fault: reset/ { f = 1 } f && /^> / { a++ } /^# reset/ { print a + 0; exit }' $LABDIR/sim0.log | grep -qx $(( $(echo "$out" | jget "d['apdus']") - 2 ))"
out=$($UB --json -r "$R0" info)
check "after the reset the next command works" eq "$(echo "$out" | jget "d['imsi']")" 001010123456789
done_testing
