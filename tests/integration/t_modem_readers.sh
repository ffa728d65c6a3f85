# The policy's modem ([modem] port) beside the PC/SC readers: bootstrap
# --all-readers takes the card of every reader and the modem's.  The test
# modem sits in front of slot 0's card, so the same card is reached both
# ways (the modem holds the card while its host talks to it; the PC/SC
# session and the modem's wait for each other).
# lab: alone (bootstrap --all-readers takes every reader of the pcscd)
. "$(dirname "$0")/lib.sh"
sed -e 's/^protocol = T1/protocol = T0/' -e "s|= boot/|= $PWD/tests/profiles/boot/|" \
	tests/profiles/demo.conf >"$TMP/demo.conf"
printf '[modem]\nport = %s\n' "$TMP/modem" >"$TMP/modem.conf"
$LAB sim 0 "$TMP/demo.conf"
$LAB simstop 1 >/dev/null 2>&1
modem_start
out=$(UICCBOOT_AT_TIMEOUT_MS=20000 $UB --policy "$TMP/modem.conf" --json --tree "$TMP/all.db" \
	bootstrap --all-readers 2>"$TMP/err"); rc=$?
check "bootstrap --all-readers: the policy's modem beside the PC/SC reader (exit $rc)" eq \
	"$rc $(echo "$out" | jget "sorted(c['reader'] for c in d['readers'])")" \
	"0 $(python3 -c 'import json,sys; print(json.dumps(sorted(sys.argv[1:])))' "$R0" "$M")"
check "both applied the card's DM account" eq \
	"$($UB --tree "$TMP/all.db" tree list ./DMAcc | grep -c OperatorDM)" 1
out=$($UB --policy /dev/null --json --tree "$TMP/pcsc.db" bootstrap --all-readers 2>&1)
check "without [modem] port: the PC/SC reader alone" eq \
	"$(echo "$out" | jget "[c['reader'] for c in d['readers']]")" "[\"$R0\"]"
modem_stop
done_testing
