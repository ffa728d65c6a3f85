# sms receive: SMS-DELIVER TPDUs into the tree.  Our sender's TPDUs for every
# SEC type applied (the nodes checked); repeats, any order, a part missing
# then expiring, kill -9 between fragments and a restart that completes
# the message (and a kill loop that loses nothing), bounds, WTLS, a DM
# notification, pending USERPIN messages; the attacker's cases (another
# message's reference with other data, parts of two senders, a flood, a
# pending message replayed, a second SEC); push --wsp; and Kannel as the
# independent sender: sendota (OMA CP, every SEC type) and the PPG.
# lab: long (a few minutes: started first, so the three at a time end together)
. "$(dirname "$0")/lib.sh"
P=tests/profiles/test-usim.conf
W=tests/integration/wire
IMSI=001010123456789
SEMI=0910101032547698 # the IMSI as semi-octets
DM12=$W/dm12-plain.xml
export UB_KANNEL_DIR=$TMP/kannel UB_KANNEL_BASE=${UB_KANNEL_BASE:-23100}
trap 'tests/kannel.sh stop >/dev/null 2>&1; rm -rf "$TMP"' EXIT
ALL="NETWORKID, USERPIN, USERPIN_NETWORKID, NETWORKID_GBA, USERPIN_NETWORKID_GBA, USERNETWPIN, USERPINMAC"
printf "[push]\nallowed_sec = $ALL\n[gba]\nua_id = 0300000099\n" >"$TMP/all.conf"
printf "[push]\nallowed_sec = $ALL\nnetworkid_key = ascii\n" >"$TMP/ascii.conf"
printf "[push]\nallowed_sec = $ALL\n[sms]\nexpiry = 60\n" >"$TMP/expiry.conf"
printf "[push]\nallowed_sec = $ALL\n[sms]\nmax_messages = 2\nmax_parts = 5\n" >"$TMP/bounds.conf"
: >"$TMP/default.conf"
printf '1234\n' >"$TMP/pin"
printf '4321\n' >"$TMP/wrongpin"
chmod 600 "$TMP/pin" "$TMP/wrongpin"
$LAB sim 0 $P

# recv TREE POLICY [receive args]: $TMP/r.json (the objects sms receive
# prints one a line, gathered by type: tpdus, resumed, expired, error), $rc
recv() {
	local tree=$1 pol=$2
	shift 2
	$UB --json --tree "$TMP/$tree.db" --policy "$TMP/$pol.conf" sms receive "$@" >"$TMP/r.jsonl" 2>"$TMP/r.err"
	rc=$?
	python3 -c "
import json, sys
d = {'tpdus': [], 'resumed': [], 'expired': [], 'error': [], 'end': []}
for l in sys.stdin:
    o = json.loads(l)
    d[{'tpdu': 'tpdus'}.get(o['type'], o['type'])].append(o)
print(json.dumps(d))" <"$TMP/r.jsonl" >"$TMP/r.json"
}
# the statuses of the TPDUs of the last recv, and its exit code
sts() { echo "$rc $(jget "' '.join(t['status'] for t in d['tpdus'])" <"$TMP/r.json")"; }
last() { jget "d['tpdus'][-1]$1" <"$TMP/r.json"; }
value() { $UB --json --tree "$TMP/$1.db" tree get "$2" 2>/dev/null | jget "d['value']"; }
accounts() { $UB --json --tree "$TMP/$1.db" tree list ./DMAcc 2>/dev/null | jget "d.get('children', [])"; }
send() { # send OUT DOC SEC [send args]
	local out=$1 doc=$2 sec=$3
	shift 3
	$UB --json sms send "$doc" --sec "$sec" --time 1700000000 "$@" >"$TMP/send.json" 2>"$TMP/send.err"
	jget "'\n'.join(d['tpdus'])" <"$TMP/send.json" >"$TMP/$out"
}
stored() { yes stored | head -n "$1" | tr '\n' ' ' | sed 's/ $//'; }

# --- the GBA key for the DM server's NAF (as the device derives it) ---
$UB gba bootstrap --rand 23553cbe9637a89d218ae64dae47bf35 --autn 55f328b43577b9b94a9ffac354dfafb3 --bsf bsf.example.org >/dev/null
KS=$($UB --json gba naf-key --secrets --naf dm.example.com --ua 0300000099 | jget "d['ks_ext_naf']")

# --- our sender's TPDUs, every SEC type, received and applied ---
# rt NAME DOC SEC ACCOUNT SERVERID [send args]: the last part applies; the account is there
n=0
rt() {
	local name=$1 doc=$2 sec=$3 acct=$4 sid=$5 parts
	shift 5
	n=$((n + 1))
	send t$n.tpdus "$doc" "$sec" --ref $n "$@"
	parts=$(wc -l <"$TMP/t$n.tpdus")
	recv rt$n all "$TMP/t$n.tpdus" --user-pin-file "$TMP/pin"
	check "$name: $parts TPDUs: stored until the last, which applies" eq "$(sts)" "0 $(stored $((parts - 1))) applied"
	check "$name: the account is in the tree (source push)" eq \
		"$(value rt$n "$acct/ServerID") $($UB --json --tree "$TMP/rt$n.db" tree get "$acct" | jget "d['source']")" \
		"$sid push"
}
rt "DM NETWORKID (semi-octet IMSI)" $DM12 NETWORKID ./DMAcc/ex dm.example.com --imsi $IMSI
rt "DM USERPIN, 8-bit reference" $DM12 USERPIN ./DMAcc/ex dm.example.com --user-pin 1234 --ref8
rt "DM USERPIN_NETWORKID" $DM12 USERPIN_NETWORKID ./DMAcc/ex dm.example.com --user-pin 1234 --imsi $IMSI
rt "DM NETWORKID_GBA" $DM12 NETWORKID_GBA ./DMAcc/ex dm.example.com --ks-ext-naf $KS
rt "DM USERPIN_NETWORKID_GBA" $DM12 USERPIN_NETWORKID_GBA ./DMAcc/ex dm.example.com --ks-ext-naf $KS --user-pin 1234
rt "CP NETWPIN" tests/fixtures/cp-w7.xml NETWORKID ./DMAcc/operator-cp operator-cp --imsi $IMSI
rt "CP USERNETWPIN" tests/fixtures/cp-w7.xml USERNETWPIN ./DMAcc/operator-cp operator-cp --imsi $IMSI --user-pin 1234
rt "CP USERPIN, SMSC address, alphanumeric sender" tests/fixtures/cp-w7.xml USERPIN ./DMAcc/operator-cp operator-cp --user-pin 1234 --smsc +491710760000 --from Operator
check "CP: the NAPDEF became a ConnMO, referenced by the account" eq \
	"$(value rt$n ./DMAcc/operator-cp/PrefConRef)" "./ConnMO/CP_APN"
PIN=$($UB --json sms send $W/cp-small.xml --sec USERPINMAC --userpinmac-key 13579 | jget "d['userpin']")
printf '%s\n' "$PIN" >"$TMP/upm"
chmod 600 "$TMP/upm"
send upm.tpdus $W/cp-small.xml USERPINMAC --userpinmac-key 13579 --ref 99
recv upm all "$TMP/upm.tpdus" --user-pin-file "$TMP/upm"
check "CP USERPINMAC in one SMS: applied with the PIN that carries the check digits" eq "$(sts) $(accounts upm)" "0 applied [\"dm.example\"]"
check "the SMSC field absent (--no-smsc) reads the same TPDUs" sh -c \
	"cut -c3- $TMP/t2.tpdus | $UB --json --tree $TMP/nosmsc.db --policy $TMP/all.conf sms receive --no-smsc --user-pin-file $TMP/pin >$TMP/ns.json && grep -q '\"status\":\"applied\"' $TMP/ns.json"
check "the user PIN from UICCBOOT_USER_PIN" sh -c \
	"UICCBOOT_USER_PIN=1234 $UB --json --tree $TMP/env.db --policy $TMP/all.conf sms receive $TMP/t2.tpdus | grep -q '\"status\":\"applied\"'"
check "sms receive offers no --transport (SMS on the push port is insecure)" sh -c \
	"$UB --tree $TMP/x.db sms receive $TMP/t2.tpdus --transport secure >/dev/null 2>&1; [ \$? = 64 ]"

# --- order, repeats, text output ---
send dm.tpdus $DM12 USERPIN --user-pin 1234 --ref 21
for k in 3 1 1 5 2 4 4; do sed -n ${k}p "$TMP/dm.tpdus"; done >"$TMP/mixed.tpdus"
recv mixed all "$TMP/mixed.tpdus" --user-pin-file "$TMP/pin"
check "any order, repeats ignored: the message completes once" eq "$(sts)" "0 stored stored ignored stored stored applied stored"
check "…the repeat says so; a part once more after completion starts a message of its own" eq \
	"$(jget "[d['tpdus'][2]['reason'], d['tpdus'][6]['held']]" <"$TMP/r.json")" \
	'["part 1 of 5 of message 1 is held already (a repeat)", 1]'
recv mixed all "$TMP/dm.tpdus" --user-pin-file "$TMP/pin"
check "the same push once more (a replay; part 4 is held from the repeat): ignored, as a repeat of one applied" eq "$(sts) $(last "['reason'][:24]")" \
	"0 stored stored stored ignored ignored this push was applied at"
$UB --tree "$TMP/text.db" --policy "$TMP/all.conf" sms receive "$TMP/dm.tpdus" --user-pin-file "$TMP/pin" >"$TMP/text.out"
check "text output: one line per TPDU, the account" eq "$(sed -n '1p;5,6p' "$TMP/text.out")" \
	"line 1: stored: part 1 of 5 of message 1 from +10000000000 (1 held)
line 5: applied: DM bootstrap, SEC=USERPIN, message 1 from +10000000000
  account ./DMAcc/ex"

# --- a part missing: it stays, then expires (reported) ---
sed 3d "$TMP/dm.tpdus" >"$TMP/miss.tpdus"
recv miss expiry "$TMP/miss.tpdus" --user-pin-file "$TMP/pin"
check "a part missing: four stored, nothing applied" eq "$(sts) $(accounts miss)" "0 stored stored stored stored []"
check "sms list shows it (4 of 5 parts)" eq \
	"$($UB --json --tree $TMP/miss.db --policy $TMP/expiry.conf sms list | jget "[(m['state'], m['held'], m['total']) for m in d['messages']]")" \
	'[["incomplete", 4, 5]]'
# past [sms] expiry: the held parts made 61 s older in the store (no sleep,
# and a loaded machine cannot make them expire before the list above)
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE sms_message SET since = since - 61'); c.commit()" "$TMP/miss.db"
recv miss expiry /dev/null
check "after [sms] expiry it is dropped and reported" eq "$(jget "[(x['held'], x['total'], x['reason']) for x in d['expired']]" <"$TMP/r.json")" \
	'[[4, 5, "expired"]]'
sed -n 3p "$TMP/dm.tpdus" >"$TMP/late.tpdus"
recv miss expiry "$TMP/late.tpdus" --user-pin-file "$TMP/pin"
check "the missing part, late: a message of its own, nothing applied" eq "$(sts) $(last "['held']") $(accounts miss)" "0 stored 1 []"

# --- kill -9 between fragments, then a restart completes the message ---
mkfifo "$TMP/fifo"
$UB --tree "$TMP/kill.db" --policy "$TMP/all.conf" sms receive "$TMP/fifo" --user-pin-file "$TMP/pin" >/dev/null 2>&1 &
rpid=$!
exec 3>"$TMP/fifo"
sed -n 1,2p "$TMP/dm.tpdus" >&3
for ((i = 0; i < 100; i++)); do
	h=$($UB --json --tree "$TMP/kill.db" sms list 2>/dev/null | jget "sum(m['held'] for m in d['messages'])" 2>/dev/null)
	[ "$h" = 2 ] && break
	sleep 0.05
done
exec 4>&2 2>/dev/null # no "Killed" notice from bash
kill -9 $rpid
wait $rpid
exec 2>&4 4>&- 3>&-
check "two parts stored, then kill -9 (the receiver still reading)" eq "$h" 2
check "the tree is intact" eq "$(python3 -c "import sqlite3; print(sqlite3.connect('$TMP/kill.db').execute('PRAGMA integrity_check').fetchone()[0])")" ok
sed -n 3,5p "$TMP/dm.tpdus" >"$TMP/rest.tpdus"
recv kill all "$TMP/rest.tpdus" --user-pin-file "$TMP/pin"
check "restarted: the rest completes the message and applies it" eq "$(sts) $(accounts kill)" '0 stored stored applied ["ex"]'

# kill loop: many messages, kill -9 at random moments; then everything
# once more: nothing lost, nothing held, the totals equal the rows
for i in $(seq 30 39); do send k$i.tpdus $DM12 USERPIN --user-pin 1234 --ref $i --from +4915100000$i; done
cat "$TMP"/k3?.tpdus >"$TMP/loop.tpdus"
consistent() {
	python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ok = db.execute("PRAGMA integrity_check").fetchone()[0]
if ok == "ok" and db.execute("PRAGMA user_version").fetchone()[0] == 0:
    sys.exit(print("ok" if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] else "BROKEN: tables at version 0"))
t = db.execute("SELECT messages, bytes FROM sms_totals").fetchone()
r = db.execute("SELECT (SELECT count(*) FROM sms_message), (SELECT ifnull(sum(length(tpdu)), 0) FROM sms_part)").fetchone()
h = db.execute("SELECT (SELECT ifnull(sum(held), 0) FROM sms_message) - (SELECT count(*) FROM sms_part)").fetchone()[0]
print("ok" if ok == "ok" and t == r and h == 0 else "BROKEN %s %s %s %s" % (ok, t, r, h))
PY
}
bad=0
for ((k = 0; k < 15; k++)); do
	$UB --tree "$TMP/loop.db" --policy "$TMP/all.conf" sms receive "$TMP/loop.tpdus" --user-pin-file "$TMP/pin" >/dev/null 2>&1 &
	lpid=$!
	sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
	exec 4>&2 2>/dev/null
	kill -9 $lpid
	wait $lpid
	exec 2>&4 4>&-
	[ -f "$TMP/loop.db" ] && [ "$(consistent "$TMP/loop.db")" != ok ] && bad=$((bad + 1))
done
recv loop all "$TMP/loop.tpdus" --user-pin-file "$TMP/pin"
check "kill -9 loop (15 kills): the store consistent after each" eq "$bad" 0
check "…then the whole file once more: nothing held, the account there, totals = rows" eq \
	"$($UB --json --tree $TMP/loop.db sms list | jget "len(d['messages'])") $(accounts loop) $(consistent "$TMP/loop.db")" '0 ["ex"] ok'

# --- bounds: every hit reported ---
for i in 1 2 3 4; do send b$i.tpdus $DM12 USERPIN --user-pin 1234 --ref $((50 + i)); done
cat "$TMP"/b?.tpdus | awk 'NR % 5 == 1' >"$TMP/flood.tpdus"
recv bounds bounds "$TMP/flood.tpdus"
check "max_messages = 2: four first parts stored, the oldest dropped for each beyond" eq \
	"$(sts) $(jget "[[x['message'], x['reason']] for t in d['tpdus'] for x in t['dropped']]" <"$TMP/r.json")" \
	'0 stored stored stored stored [[1, "[sms] max_messages"], [2, "[sms] max_messages"]]'
python3 tests/bench/gen_sms.py 300 >"$TMP/flood300.tpdus"
recv flood bounds "$TMP/flood300.tpdus"
check "a flood of 300 first parts (max_messages = 2): every drop reported, 2 messages held, totals = rows" eq \
	"$rc $(jget "[sum(len(t['dropped']) for t in d['tpdus']), len(set(t['status'] for t in d['tpdus']))]" <"$TMP/r.json") $($UB --json --tree $TMP/flood.db sms list | jget "len(d['messages'])") $(consistent "$TMP/flood.db")" \
	"0 [298, 1] 2 ok"
send big.tpdus tests/fixtures/cp-w7.xml USERPIN --user-pin 1234 --ref 60
printf "[push]\nallowed_sec = $ALL\n[sms]\nmax_parts = 1\n" >"$TMP/parts.conf"
recv parts parts "$TMP/big.tpdus" --user-pin-file "$TMP/pin"
check "max_parts = 1: a message of 2 parts refused (77), says which bound" eq \
	"$(sts) $(jget "d['tpdus'][0]['reason']" <"$TMP/r.json")" "77 rejected rejected a message of 2 parts: the policy allows 1"

# --- WTLS, a DM notification, a text, a bad line: and the exit code ---
sed 's/05040B84/05040B85/' "$TMP/dm.tpdus" >"$TMP/wtls.tpdus"
recv wtls all "$TMP/wtls.tpdus" --user-pin-file "$TMP/pin"
check "WAP push to port 2949 (WTLS): refused (69), says why, nothing held" eq \
	"$(sts) $(jget "d['tpdus'][0]['reason']" <"$TMP/r.json") $($UB --json --tree $TMP/wtls.db sms list | jget "len(d['messages'])")" \
	"69 rejected rejected rejected rejected rejected a WAP push over WTLS (port 2949): uiccboot has no WTLS 0"
python3 tests/integration/wsp2tpdu.py 010603C4AF87000102 >"$TMP/notif.tpdus"
recv notif all "$TMP/notif.tpdus"
check "a DM notification to the push port: ignored, named (0)" eq "$(sts) $(last "['kind']")" "0 ignored DM notification"
python3 tests/integration/wsp2tpdu.py 010601AE0102 >"$TMP/si.tpdus"
recv notif all "$TMP/si.tpdus"
check "a Service Indication: ignored, named" eq "$(sts) $(last "['kind']")" "0 ignored Service Indication"
{
	echo "AT+CMGL=4"
	echo "+CMGL: 1,0,,24"
	echo "00040B915121551532F4000032114122310200" "02E834" | tr -d ' '
	head -1 "$TMP/wtls.tpdus"
	echo "00zz"
	cat "$TMP/dm.tpdus"
	echo "OK"
} >"$TMP/modem.txt"
recv mix all "$TMP/modem.txt" --user-pin-file "$TMP/pin"
check "a modem's listing: AT, +CMGL and OK lines skipped; a text ignored; WTLS and bad hex refused; the push applied" eq \
	"$(jget "' '.join('%d:%s' % (t['line'], t['status']) for t in d['tpdus'])" <"$TMP/r.json")" \
	"3:ignored 4:rejected 5:rejected 6:stored 7:stored 8:stored 9:stored 10:applied"
check "…exit code: the first refusal's (WTLS: 69), though the push applied" eq "$rc $(accounts mix)" '69 ["ex"]'

# --- pending: USERPIN without the PIN, given later ---
recv pend all "$TMP/dm.tpdus"
check "USERPIN without a PIN at hand: pending (0)" eq "$(sts) $(accounts pend)" "0 stored stored stored stored pending []"
check "sms pending lists it" eq \
	"$($UB --json --tree $TMP/pend.db --policy $TMP/all.conf sms pending | jget "[(m['state'], m['kind'], m['sec'], m['attempts_left']) for m in d['messages']]")" \
	'[["pending", "DM bootstrap", "USERPIN", 3]]'
send dm2.tpdus $DM12 USERPIN --user-pin 1234 --ref 22
recv pend all "$TMP/dm2.tpdus"
check "the pending message replayed (another reference): ignored, one pending" eq \
	"$(sts) $(last "['reason']") $($UB --json --tree $TMP/pend.db sms pending | jget "len(d['messages'])")" \
	"0 stored stored stored stored ignored the same push is pending as message 1 1"
$UB --json --tree "$TMP/pend.db" --policy "$TMP/all.conf" sms pending --apply --user-pin-file "$TMP/wrongpin" >"$TMP/p.json"
rc=$?
check "a wrong PIN: refused (65), two attempts left, nothing applied" eq \
	"$rc $(jget "[[r['status'], r.get('attempts_left')] for r in d['results']]" <"$TMP/p.json") $(accounts pend)" \
	'65 [["rejected", 2]] []'
$UB --json --tree "$TMP/pend.db" --policy "$TMP/all.conf" sms pending --apply --user-pin-file "$TMP/pin" >"$TMP/p.json"
rc=$?
check "the right PIN: applied" eq "$rc $(jget "[r['status'] for r in d['results']]" <"$TMP/p.json") $(accounts pend)" '0 ["applied"] ["ex"]'
check "nothing pending then (69 to apply again)" sh -c \
	"$UB --tree $TMP/pend.db --policy $TMP/all.conf sms pending --apply --user-pin-file $TMP/pin >/dev/null 2>&1; [ \$? = 69 ]"
check "sms pending --apply without a PIN: usage (64)" sh -c \
	"$UB --tree $TMP/pend.db sms pending --apply >/dev/null 2>&1; [ \$? = 64 ]"

# --- the attacker ---
send good.tpdus $DM12 USERPIN --user-pin 1234 --ref 31
send evil.tpdus $DM12 USERPIN --user-pin 9999 --ref 31
{ sed -n 1,2p "$TMP/good.tpdus"; sed -n 1p "$TMP/evil.tpdus"; sed -n 3,5p "$TMP/good.tpdus"; } >"$TMP/claim.tpdus"
recv claim all "$TMP/claim.tpdus" --user-pin-file "$TMP/pin"
check "a part claiming a held part's place with other data: kept beside it; the message completes with the part held" eq \
	"$(sts) $(accounts claim)" '0 stored stored stored stored stored applied ["ex"]'
send a.tpdus $DM12 USERPIN --user-pin 1234 --ref 32 --from +4915111111111
send b.tpdus $DM12 USERPIN --user-pin 1234 --ref 32 --from +4915122222222
{ sed -n 1,3p "$TMP/a.tpdus"; sed -n 4,5p "$TMP/b.tpdus"; } >"$TMP/two.tpdus"
recv two all "$TMP/two.tpdus" --user-pin-file "$TMP/pin"
check "one reference, parts from two senders: never joined, two incomplete messages" eq \
	"$(sts) $(accounts two) $($UB --json --tree $TMP/two.db sms list | jget "[(m['originator'], m['held']) for m in d['messages']]")" \
	'0 stored stored stored stored stored [] [["+4915111111111", 3], ["+4915122222222", 2]]'
recv dflt default "$TMP/dm.tpdus" --user-pin-file "$TMP/pin"
check "the default policy: USERPIN alone refused (77), nothing applied, the parts kept as refused (for a part with other data)" eq \
	"$(sts) $(accounts dflt) $($UB --json --tree $TMP/dflt.db sms list | jget "[m['state'] for m in d['messages']]")" \
	'77 stored stored stored stored rejected [] ["refused"]'
# a WSP Content-Type with SEC twice (typed USERPIN, untyped NETWPIN) and a MAC
MAC=$($UB --json sms send $DM12 --sec USERPIN --user-pin 1234 --wsp | jget "d['mac']")
WB=$($UB --json sms send $DM12 --wbxml 2>/dev/null | jget "d['wbxml']")
CT=C29181$(printf 'SEC\0NETWPIN\0' | xxd -p)92$(printf '%s\0' "$MAC" | xxd -p)
CT=1F$(printf '%02X' $((${#CT} / 2)))$CT
python3 tests/integration/wsp2tpdu.py "0106$(printf '%02X' $((${#CT} / 2)))$CT$WB" --ref 33 >"$TMP/sec2.tpdus"
recv sec2 all "$TMP/sec2.tpdus" --user-pin-file "$TMP/pin"
check "a second SEC in the WSP header: refused (65) when complete, nothing applied" eq \
	"$(sts | awk '{print $1, $NF}') $(last "['reason']" | grep -o 'SEC twice' | head -1) $(accounts sec2)" "65 rejected SEC twice []"

# --- push --wsp: a WSP push PDU as a push agent hands it over ---
$UB sms send $DM12 --sec USERPIN --user-pin 1234 --wsp --out "$TMP/push.wsp"
check "push --wsp: verified and applied (an insecure transport: the MAC counts)" eq \
	"$($UB --json --tree $TMP/wsp.db --policy $TMP/all.conf push --wsp $TMP/push.wsp --user-pin-file $TMP/pin | jget "[d['status'], d['sec']]") $(accounts wsp)" \
	'["applied", "USERPIN"] ["ex"]'
check "push --wsp with a wrong PIN: 65" sh -c \
	"$UB --tree $TMP/wsp2.db --policy $TMP/all.conf push --wsp $TMP/push.wsp --user-pin-file $TMP/wrongpin >/dev/null 2>&1; [ \$? = 65 ]"
check "push --wsp under the default policy: USERPIN refused (77)" sh -c \
	"$UB --tree $TMP/wsp2.db --policy $TMP/default.conf push --wsp $TMP/push.wsp --user-pin-file $TMP/pin >/dev/null 2>&1; [ \$? = 77 ]"
echo 010603C4AF87000102 | xxd -r -p >"$TMP/notif.wsp"
check "push --wsp of a DM notification: not a bootstrap (69), named" sh -c \
	"$UB --tree $TMP/wsp2.db push --wsp $TMP/notif.wsp 2>$TMP/n.err; [ \$? = 69 ] && grep -q 'DM notification' $TMP/n.err"
check "push --wsp takes no --transport or --content-type (64)" sh -c \
	"$UB --tree $TMP/wsp2.db push --wsp $TMP/push.wsp --transport secure >/dev/null 2>&1; [ \$? = 64 ]"
check "…and nothing was applied by the refusals" eq "$(accounts wsp2)" "[]"

# --- Kannel: sendota (OMA CP) and the PPG, received and applied (or not) ---
if ! tests/kannel.sh start >"$TMP/kannel.start" 2>&1; then
	echo "not ok - Kannel starts (bearerbox, smsbox, wapbox, fakesmsc)"
	sed 's/^/#   /' "$TMP/kannel.start"
	done_testing
	exit 0
fi
echo "ok - Kannel starts (bearerbox, smsbox, wapbox, fakesmsc)"
. "$UB_KANNEL_DIR/env"
MSISDN=4915112345678
mt_count() { grep -c 'Got message' "$KANNEL_MT" || true; }
mt_wait() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(mt_count)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
mt_tpdus() { grep 'Got message' "$KANNEL_MT" | tail -n +$(($1 + 1)) | python3 tests/integration/fakesmsc2tpdu.py; }
XML=$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(open('tests/fixtures/cp-w7.xml').read()))")
sendota() { # sendota SEC PIN(url-encoded) OUT
	local before
	before=$(mt_count)
	curl -s "$KANNEL_SENDOTA?username=$KANNEL_USER&password=$KANNEL_PASSWORD&to=$MSISDN&from=1234&type=oma-settings&sec=$1&pin=$2&text=$XML" >"$TMP/ota.answer"
	mt_wait $((before + 2))
	mt_tpdus "$before" >"$TMP/$3"
}
cp_applied() { echo "$(value "$1" ./DMAcc/operator-cp/ServerID) $(value "$1" ./DMAcc/operator-cp/PrefConRef) $($UB --json --tree "$TMP/$1.db" tree get ./ConnMO/CP_APN | jget "d['source']")"; }
sendota NETWPIN $IMSI ota-netwpin.tpdus
recv k-ascii ascii "$TMP/ota-netwpin.tpdus"
check "sendota NETWPIN (Kannel keys it with the ASCII IMSI), networkid_key = ascii: applied" eq "$(sts)" "0 stored applied"
check "…the CP account and its ConnMO are in the tree" eq "$(cp_applied k-ascii)" "operator-cp ./ConnMO/CP_APN push"
recv k-default default "$TMP/ota-netwpin.tpdus"
check "…under the default policy: refused (77), nothing applied" eq "$(sts) $(accounts k-default)" "77 stored rejected []"
recv k-semi all "$TMP/ota-netwpin.tpdus"
check "…NETWORKID allowed but the semi-octet key (the default form): the MAC fails (65), nothing applied" eq \
	"$(sts) $(accounts k-semi)" "65 stored rejected []"
send our-ascii.tpdus $DM12 NETWORKID --imsi $IMSI --networkid-key ascii --ref 70
recv dm-ascii ascii "$TMP/our-ascii.tpdus"
check "networkid_key = ascii covers DM NETWORKID too" eq "$(sts | awk '{print $1, $NF}') $(accounts dm-ascii)" '0 applied ["ex"]'
sendota USERPIN 1234 ota-userpin.tpdus
recv k-userpin all "$TMP/ota-userpin.tpdus" --user-pin-file "$TMP/pin"
check "sendota USERPIN: applied with the PIN" eq "$(sts) $(cp_applied k-userpin)" "0 stored applied operator-cp ./ConnMO/CP_APN push"
recv k-userpin-later all "$TMP/ota-userpin.tpdus"
$UB --tree "$TMP/k-userpin-later.db" --policy "$TMP/all.conf" sms pending --apply --user-pin-file "$TMP/pin" >/dev/null
check "sendota USERPIN without the PIN: pending, then applied with it" eq "$(sts) $(cp_applied k-userpin-later)" "0 stored pending operator-cp ./ConnMO/CP_APN push"
sendota USERNETWPIN "$(python3 -c "import urllib.parse; print(urllib.parse.quote(bytes.fromhex('$SEMI') + b'1234'))")" ota-unp.tpdus
recv k-unp all "$TMP/ota-unp.tpdus" --user-pin-file "$TMP/pin"
check "sendota USERNETWPIN (pin = semi-octet IMSI || PIN): applied, IMSI from the card" eq "$(sts) $(cp_applied k-unp)" "0 stored applied operator-cp ./ConnMO/CP_APN push"
sendota USERPINMAC 1357924680 ota-upm.tpdus
B=$($UB --json sms decode "$TMP/ota-upm.tpdus" | jget "d['messages'][0]['body']")
UPM=$(python3 -c "import hmac,hashlib; h=hmac.new(b'13579', bytes.fromhex('$B'), hashlib.sha1).digest(); print('13579' + ''.join(str(x % 10) for x in h[:5]))")
printf '%s\n' "$UPM" >"$TMP/kupm"
chmod 600 "$TMP/kupm"
recv k-upm all "$TMP/ota-upm.tpdus" --user-pin-file "$TMP/kupm"
check "sendota USERPINMAC: applied with the PIN of the check digits (computed here with Python)" eq "$(sts) $(cp_applied k-upm)" "0 stored applied operator-cp ./ConnMO/CP_APN push"
recv k-upm-wrong all "$TMP/ota-upm.tpdus" --user-pin-file "$TMP/pin"
check "…and refused with another PIN (65), nothing applied" eq "$(sts) $(accounts k-upm-wrong)" "65 stored rejected []"

before=$(mt_count)
python3 tests/integration/pap_push.py "$KANNEL_PPG" +$MSISDN \
	"application/vnd.syncml.dm+wbxml; SEC=USERPIN; MAC=1E693C3D758941815B50BD6EC0F053D47A29628C" \
	x-wap-application:syncml.dm tests/fixtures/dm12-plain.wbxml >"$TMP/pap.answer"
mt_wait $((before + 5))
mt_tpdus "$before" >"$TMP/pap.tpdus"
recv k-ppg all "$TMP/pap.tpdus" --user-pin-file "$TMP/pin"
check "a DM bootstrap through Kannel's PPG (SEC and MAC dropped): refused (77), nothing applied" eq \
	"$(sts) $(accounts k-ppg)" "77 stored stored stored stored rejected []"
check "…says why" eq "$(last "['reason']")" "an insecure push needs SEC and MAC (OMA DM Security 5.7.2)"
tests/kannel.sh stop >/dev/null
done_testing
