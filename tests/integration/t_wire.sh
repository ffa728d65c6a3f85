# WAP push over SMS: our sender's TPDUs through our decoder into the device's
# MAC check (every SEC type, several sizes, 8- and 16-bit references), and
# Kannel as the independent peer: sendota and the PPG (PAP) produce what our
# decoder must read and our MAC check verify; Kannel's sendsms carries our
# parts; Kannel's bearerbox reassembles our TPDUs sent to it as MO messages.
# lab: long (a few minutes: started first, so the three at a time end together)
. "$(dirname "$0")/lib.sh"
P=tests/profiles/test-usim.conf
W=tests/integration/wire
IMSI=001010123456789
SEMI=0910101032547698 # the IMSI as semi-octets
DM12=$W/dm12-plain.xml
export UB_KANNEL_DIR=$TMP/kannel UB_KANNEL_BASE=${UB_KANNEL_BASE:-23000}
trap 'tests/kannel.sh stop >/dev/null 2>&1; rm -rf "$TMP"' EXIT
hexs() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
hmac() { python3 -c "import hmac,hashlib,sys; print(hmac.new(bytes.fromhex(sys.argv[1]), open(sys.argv[2],'rb').read(), hashlib.sha1).hexdigest().upper())" "$1" "$2"; }
j() { jget "$1" <"$2"; } # j EXPR FILE
ALL="NETWORKID, USERPIN, USERPIN_NETWORKID, NETWORKID_GBA, USERPIN_NETWORKID_GBA, USERNETWPIN, USERPINMAC"
printf "[push]\nallowed_sec = $ALL\n[gba]\nua_id = 0300000099\n" >"$TMP/all.conf"
printf "[push]\nallowed_sec = $ALL\nnetworkid_key = ascii\n" >"$TMP/ascii.conf"
printf "[push]\nallowed_sec = NETWORKID\n" >"$TMP/semi.conf"
: >"$TMP/default.conf"
$LAB sim 0 $P

# the message's body (hex) to a file and through the device's push check
# verify BODYHEX CTHEX POLICY [push args]: prints "exit status"
verify() {
	local body=$1 ct=$2 pol=$3 out
	shift 3
	echo "$body" | xxd -r -p >"$TMP/body.wbxml"
	out=$($UB --json --policy "$TMP/$pol.conf" push "$TMP/body.wbxml" --wsp-content-type "$ct" --dry-run "$@" 2>"$TMP/push.err")
	echo "$? $(echo "$out" | jget "d.get('error') or d['status']")"
}

# --- GBA key for the DM server's NAF (as the device derives it) ---
$UB gba bootstrap --rand 23553cbe9637a89d218ae64dae47bf35 --autn 55f328b43577b9b94a9ffac354dfafb3 --bsf bsf.example.org >/dev/null
KS=$($UB --json gba naf-key --naf dm.example.com --ua 0300000099 --secrets | jget "d['ks_ext_naf']")

# --- our sender -> TPDUs -> our decoder -> the device's MAC check ---
# rt NAME DOC SEC PARTS REF [send args] -- [push args]
rt() {
	local name=$1 doc=$2 sec=$3 parts=$4 ref=$5 sargs=() pargs=() body wb ct
	shift 5
	while [ $# -gt 0 ] && [ "$1" != -- ]; do sargs+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	pargs=("$@")
	$UB --json sms send "$doc" --sec "$sec" --ref "$ref" --time 1700000000 "${sargs[@]}" >"$TMP/send.json" 2>"$TMP/send.err"
	j "'\n'.join(d['tpdus'])" "$TMP/send.json" >"$TMP/tpdus"
	$UB --json sms decode "$TMP/tpdus" >"$TMP/dec.json"
	wb=$($UB --json sms send "$doc" --wbxml "${sargs[@]}" 2>/dev/null | jget "d['wbxml']")
	check "$name: $parts part(s), decoded: one complete push, SEC and MAC as sent, body = the WBXML" eq \
		"$(j "[len(d['tpdus']), len(d['messages']), d['messages'][0]['kind'], d['messages'][0]['body']]" "$TMP/dec.json")" \
		"[$parts, 1, \"$(j "'CP bootstrap' if d['kind'] == 'cp' else 'DM bootstrap'" "$TMP/send.json")\", \"$wb\"]"
	check "$name: SEC/MAC in the Content-Type" eq "$(j "[d['messages'][0]['sec'] is not None, d['messages'][0]['mac']]" "$TMP/dec.json")" \
		"$(j "[d['sec'] is not None, d['mac']]" "$TMP/send.json")"
	body=$(j "d['messages'][0]['body']" "$TMP/dec.json")
	ct=$(j "d['messages'][0]['content_type']" "$TMP/dec.json")
	check "$name: the device verifies the MAC (ub_mac_verify, keys from the card)" eq "$(verify "$body" "$ct" all "${pargs[@]}")" "0 verified"
}
rt "DM NETWORKID (semi-octet)" $DM12 NETWORKID 5 1 --imsi $IMSI
rt "DM USERPIN, 16-bit ref" $DM12 USERPIN 5 700 --user-pin 1234 --ref16 -- --user-pin 1234
rt "DM USERPIN_NETWORKID" $DM12 USERPIN_NETWORKID 5 2 --user-pin 1234 --imsi $IMSI -- --user-pin 1234
rt "DM NETWORKID_GBA" $DM12 NETWORKID_GBA 5 3 --ks-ext-naf $KS
rt "DM USERPIN, 3 parts" $W/dm12-short.xml USERPIN 3 11 --user-pin 1234 -- --user-pin 1234
rt "DM USERPIN_NETWORKID_GBA, 3 parts, 16-bit ref" $W/dm12-short.xml USERPIN_NETWORKID_GBA 3 4096 --ks-ext-naf $KS --user-pin 1234 --ref16 -- --user-pin 1234
rt "DM USERPIN_NETWORKID_GBA, 16-bit ref" $DM12 USERPIN_NETWORKID_GBA 5 65000 --ks-ext-naf $KS --user-pin 1234 --ref16 -- --user-pin 1234
rt "CP NETWPIN" tests/fixtures/cp-w7.xml NETWORKID 2 4 --imsi $IMSI
rt "CP USERNETWPIN, 16-bit ref" tests/fixtures/cp-w7.xml USERNETWPIN 2 258 --imsi $IMSI --user-pin 1234 --ref16 -- --user-pin 1234
rt "CP USERPIN, SMSC address, DCS F5, alphanumeric sender" tests/fixtures/cp-w7.xml USERPIN 2 5 --user-pin 1234 --smsc +491710760000 --dcs 0xF5 --from Operator -- --user-pin 1234
PIN=$($UB --json sms send $W/cp-small.xml --sec USERPINMAC --userpinmac-key 13579 | jget "d['userpin']")
rt "CP USERPINMAC, 1 part" $W/cp-small.xml USERPINMAC 1 6 --userpinmac-key 13579 -- --user-pin "$PIN"
$UB --json sms send tests/fixtures/cp-w7.xml --sec USERPIN --user-pin 1234 --ref 5 --smsc +491710760000 --dcs 0xF5 --from Operator >"$TMP/s.json"
j "'\n'.join(d['tpdus'])" "$TMP/s.json" >"$TMP/s.tpdus"
check "--smsc, --from (alphanumeric), --dcs: as decoded" eq \
	"$($UB --json sms decode "$TMP/s.tpdus" | jget "[d['tpdus'][0][k] for k in ('smsc', 'originator', 'dcs')]")" '["+491710760000", "Operator", 245]'
check "the sender's NETWORKID MAC is the independent vector (Python hmac, semi-octet IMSI)" eq \
	"$($UB --json sms send tests/fixtures/dm12-plain.wbxml --sec NETWORKID --imsi $IMSI | jget "d['mac']")" "$(hmac $SEMI tests/fixtures/dm12-plain.wbxml)"
check "…and with --networkid-key ascii the ASCII one" eq \
	"$($UB --json sms send tests/fixtures/dm12-plain.wbxml --sec NETWORKID --imsi $IMSI --networkid-key ascii | jget "d['mac']")" "28EA566DCCFB3AA3829F5CCB76CD92A4FC8F6BBE"
printf 'imsi = %s\npin = 1234\n' $IMSI >"$TMP/keys"
chmod 600 "$TMP/keys"
check "secrets from a keys file give the same MAC (USERPIN_NETWORKID vector)" eq \
	"$($UB --json sms send tests/fixtures/dm12-plain.wbxml --sec USERPIN_NETWORKID --keys "$TMP/keys" | jget "d['mac']")" "280C36388BCADF295A7E6838B2C9E36DCBC3A494"
check "…from stdin" eq \
	"$($UB --json sms send tests/fixtures/dm12-plain.wbxml --sec USERPIN --keys - <"$TMP/keys" | jget "d['mac']")" "1E693C3D758941815B50BD6EC0F053D47A29628C"
check "…from the environment" eq \
	"$(UICCBOOT_SEND_PIN=1234 $UB --json sms send tests/fixtures/dm12-plain.wbxml --sec USERPIN | jget "d['mac']")" "1E693C3D758941815B50BD6EC0F053D47A29628C"
chmod 644 "$TMP/keys"
check "a keys file others can read is refused (77)" sh -c "$UB sms send $DM12 --sec USERPIN --keys $TMP/keys >/dev/null 2>&1; [ \$? = 77 ]"
check "a missing key is a usage error (64)" sh -c "$UB sms send $DM12 --sec USERPIN >/dev/null 2>&1; [ \$? = 64 ]"
check "a document our decoder refuses is not sent (65)" sh -c "echo '<a/>' | $UB sms send - --unsigned >/dev/null 2>&1; [ \$? = 65 ]"
$UB --json sms send $DM12 --sec USERPIN --user-pin 1234 --ref 9 >"$TMP/s.json"
j "'\n'.join(d['tpdus'][:2] + d['tpdus'][3:])" "$TMP/s.json" >"$TMP/miss.tpdus"
check "a missing part: the message is incomplete (69), says which" sh -c \
	"$UB sms decode $TMP/miss.tpdus >$TMP/miss.out; [ \$? = 69 ] && grep -q 'part 3 of 5 missing' $TMP/miss.out"
$UB --json sms send $W/cp-small.xml --sec USERPINMAC --userpinmac-key 13579 --ref 1 | jget "d['tpdus'][0]" | sed 's/05040B84/05040B85/' >"$TMP/wtls.tpdus"
check "WAP push to port 2949 (WTLS): refused, not supported (69), says why" sh -c \
	"$UB sms decode $TMP/wtls.tpdus >$TMP/wtls.out; [ \$? = 69 ] && grep -q 'WTLS' $TMP/wtls.out"

# more TPDUs than a first buffer holds: each one decoded from octets that
# stay where they are (a reader that moved them read freed memory)
j "'\n'.join(d['tpdus'] * 4)" "$TMP/s.json" >"$TMP/rep.tpdus"
check "a message given 4 times over (20 TPDUs): one message, the repeats skipped" sh -c \
	"$UB sms decode $TMP/rep.tpdus >$TMP/rep.out; [ \$? = 0 ] && grep -q 'message 1 (20 TPDUs)' $TMP/rep.out && grep -q 'push: DM bootstrap' $TMP/rep.out && ! grep -q 'message 2' $TMP/rep.out"

# more than 255 TPDUs of one message: the bound is said, not a silent split
j "'\n'.join([d['tpdus'][0]] * 256 + d['tpdus'][1:])" "$TMP/s.json" >"$TMP/lim.tpdus"
$UB sms decode "$TMP/lim.tpdus" >"$TMP/lim.out"
check "256 copies of part 1, then parts 2-5: 255 a message, the limit said, the rest a push" eq \
	"$(grep -c 'parts limit: more than 255 TPDUs' "$TMP/lim.out") $(grep -c 'push: DM bootstrap' "$TMP/lim.out")" "1 1"
check "…and in JSON: parts_limit on the first message only" eq \
	"$($UB --json sms decode "$TMP/lim.tpdus" | jget "[[len(m['lines']), m['parts_limit']] for m in d['messages']]")" '[[255, true], [5, false]]'

# a push's text is the sender's: a C1 control (CSI, 0x9B) and 0xFF in its
# media are escaped in the text output, never sent to the terminal as such
python3 -c "
ct = b'application/x\x9b31mEVIL\xff\x00'
ud = bytes.fromhex('0605040B8423F0') + bytes([1, 6, len(ct)]) + ct + b'body'
print((bytes([0x44, 4, 0x81, 0x21, 0x43, 0, 4]) + bytes(7) + bytes([len(ud)]) + ud).hex())" >"$TMP/esc.tpdus"
$UB sms decode --no-smsc "$TMP/esc.tpdus" >"$TMP/esc.out"
check "sms decode: a push's media with CSI (0x9B) and 0xFF, escaped in the text" eq \
	"$(grep -a 'media:' "$TMP/esc.out")" '  media: application/x\x9b31mEVIL\xff'

# --- Kannel ---
if ! tests/kannel.sh start >"$TMP/kannel.start" 2>&1; then
	echo "not ok - Kannel starts (bearerbox, smsbox, wapbox, fakesmsc)"
	sed 's/^/#   /' "$TMP/kannel.start"
	done_testing
	exit 0
fi
echo "ok - Kannel starts (bearerbox, smsbox, wapbox, fakesmsc)"
. "$UB_KANNEL_DIR/env"
MSISDN=4915112345678
# mt_after N: the MT messages fakesmsc got after the first N, as TPDUs
mt_count() { grep -c 'Got message' "$KANNEL_MT" || true; }
mt_wait() { # mt_wait N: until fakesmsc has N messages (at most 10 s)
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(mt_count)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
mt_tpdus() { grep 'Got message' "$KANNEL_MT" | tail -n +$(($1 + 1)) | python3 tests/integration/fakesmsc2tpdu.py; }
XML=$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(open('tests/fixtures/cp-w7.xml').read()))")
# sendota SEC PIN(url-encoded) -> $TMP/ota.json (our decoding of what fakesmsc got)
sendota() {
	local before
	before=$(mt_count)
	curl -s "$KANNEL_SENDOTA?username=$KANNEL_USER&password=$KANNEL_PASSWORD&to=$MSISDN&from=1234&type=oma-settings&sec=$1&pin=$2&text=$XML" >"$TMP/ota.answer"
	mt_wait $((before + 2)) # Kannel's CP document with its header takes two SMS
	mt_tpdus "$before" >"$TMP/ota.tpdus"
	$UB --json sms decode "$TMP/ota.tpdus" >"$TMP/ota.json"
}
m() { j "d['messages'][0]$1" "$TMP/ota.json"; }
sendota NETWPIN $IMSI
check "sendota NETWPIN: Kannel's TPDUs decode to one CP bootstrap, SEC 0 (short integer), a MAC" eq \
	"$(m "['kind']") $(m "['sec']") $(m "['mac'] is not None") $(m "['media']")" \
	"CP bootstrap 0 true application/vnd.wap.connectivity-wbxml"
B=$(m "['body']")
CT=$(m "['content_type']")
echo "$B" | xxd -r -p >"$TMP/kannel-cp.wbxml"
check "Kannel's NETWPIN MAC is HMAC-SHA1 keyed with the ASCII IMSI (independent: Python hmac)" eq \
	"$(m "['mac']")" "$(hmac "$(hexs $IMSI)" "$TMP/kannel-cp.wbxml")"
check "the default policy refuses NETWORKID (77)" eq "$(verify "$B" "$CT" default)" "77 policy"
check "networkid_key = semi-octet (the default form): Kannel's MAC does not verify (65)" eq "$(verify "$B" "$CT" semi)" "65 mac"
check "networkid_key = ascii (interop mode): it verifies" eq "$(verify "$B" "$CT" ascii)" "0 verified"
check "the body is Kannel's own compilation of the CP document, and our plan decoder takes it" sh -c \
	"$UB --json push $TMP/kannel-cp.wbxml --content-type application/vnd.wap.connectivity-wbxml --transport secure --dry-run | grep -q operator-cp"
sendota USERPIN 1234
check "sendota USERPIN: SEC 1, the MAC verifies with the PIN" eq "$(m "['sec']") $(verify "$(m "['body']")" "$(m "['content_type']")" all --user-pin 1234)" "1 0 verified"
check "…and not with another PIN (65)" eq "$(verify "$(m "['body']")" "$(m "['content_type']")" all --user-pin 4321)" "65 mac"
# Kannel keys every SEC with the pin string as given: given semi-octet
# IMSI || PIN (URL-encoded octets), it sends a standard USERNETWPIN MAC
sendota USERNETWPIN "$(python3 -c "import urllib.parse; print(urllib.parse.quote(bytes.fromhex('$SEMI') + b'1234'))")"
check "sendota USERNETWPIN with pin = semi-octet IMSI || PIN: SEC 2, verifies (IMSI from the card)" eq \
	"$(m "['sec']") $(verify "$(m "['body']")" "$(m "['content_type']")" all --user-pin 1234)" "2 0 verified"
sendota USERNETWPIN 1234
check "sendota USERNETWPIN with pin = the PIN alone: not the ProvBoot key, refused (65)" eq \
	"$(verify "$(m "['body']")" "$(m "['content_type']")" all --user-pin 1234)" "65 mac"
sendota USERPINMAC 1357924680
echo "$(m "['body']")" | xxd -r -p >"$TMP/upm.wbxml"
UPM=$(python3 -c "import hmac,hashlib; h=hmac.new(b'13579', open('$TMP/upm.wbxml','rb').read(), hashlib.sha1).digest(); print('13579' + ''.join(str(x % 10) for x in h[:5]))")
check "sendota USERPINMAC: SEC 3; Kannel adds a MAC anyway; the device checks the PIN's digits" eq \
	"$(m "['sec']") $(m "['mac'] is not None") $(verify "$(m "['body']")" "$(m "['content_type']")" all --user-pin "$UPM")" "3 true 0 verified"

# --- a DM bootstrap through Kannel's PPG (PAP) ---
before=$(mt_count)
python3 tests/integration/pap_push.py "$KANNEL_PPG" +$MSISDN \
	"application/vnd.syncml.dm+wbxml; SEC=USERPIN; MAC=1E693C3D758941815B50BD6EC0F053D47A29628C" \
	x-wap-application:syncml.dm tests/fixtures/dm12-plain.wbxml >"$TMP/pap.answer"
check "PAP push accepted by the PPG (1001)" grep -q 'code ="1001"' "$TMP/pap.answer"
mt_wait $((before + 5))
mt_tpdus "$before" >"$TMP/pap.tpdus"
$UB --json sms decode "$TMP/pap.tpdus" >"$TMP/ota.json"
check "PPG push: 5 TPDUs, one DM bootstrap for syncml.dm, the body is the document" eq \
	"$(j "[len(d['tpdus']), d['messages'][0]['kind'], d['messages'][0]['app_id'], d['messages'][0]['body'].lower() == open('tests/fixtures/dm12-plain.wbxml','rb').read().hex()]" "$TMP/ota.json")" \
	'[5, "DM bootstrap", "x-wap-application:syncml.dm (7)", true]'
check "Kannel's PPG drops SEC and MAC (so the device refuses it over an insecure transport: 77)" eq \
	"$(m "['sec']") $(m "['mac']") $(verify "$(m "['body']")" "$(m "['content_type']")" all --user-pin 1234)" "null null 77 policy"

# --- our parts through Kannel's sendsms ---
printf 'username = %s\npassword = %s\n' "$KANNEL_USER" "$KANNEL_PASSWORD" >"$TMP/kauth"
chmod 600 "$TMP/kauth"
before=$(mt_count)
check "sms send --kannel: every part accepted by sendsms" $UB sms send $DM12 --sec USERPIN --user-pin 1234 --ref 77 \
	--kannel "$KANNEL_SENDSMS" --to $MSISDN --from 4930123 --kannel-auth "$TMP/kauth"
mt_wait $((before + 5))
mt_tpdus "$before" >"$TMP/ks.tpdus"
$UB --json sms decode "$TMP/ks.tpdus" >"$TMP/ota.json"
check "…what Kannel delivers decodes to our push, ref and parts intact, and verifies" eq \
	"$(j "[len(d['tpdus']), d['tpdus'][0]['ref'], d['tpdus'][0]['originator'], d['messages'][0]['mac']]" "$TMP/ota.json") $(verify "$(m "['body']")" "$(m "['content_type']")" all --user-pin 1234)" \
	'[5, 77, "4930123", "1E693C3D758941815B50BD6EC0F053D47A29628C"] 0 verified'
check "sendsms with a wrong password: the gateway's refusal is reported" sh -c \
	"UICCBOOT_KANNEL_USERNAME=$KANNEL_USER UICCBOOT_KANNEL_PASSWORD=wrong $UB sms send $W/cp-small.xml --unsigned --kannel $KANNEL_SENDSMS --to $MSISDN 2>$TMP/kerr; [ \$? != 0 ] && grep -q 'HTTP 403' $TMP/kerr"

# --- our TPDUs to bearerbox as MO messages: Kannel reassembles them ---
mo() { # mo NAME [send args]
	local name=$1 wsp
	shift
	wsp=$($UB --json sms send $DM12 --wsp "$@" | jget "d['wsp']")
	$UB --json sms send $DM12 "$@" | jget "'\n'.join(d['tpdus'])" | python3 tests/integration/tpdu2fakesmsc.py 1234 >"$TMP/mo.lines"
	: >"$KANNEL_MO"
	tests/kannel.sh mo "$TMP/mo.lines" >/dev/null 2>&1
	for ((i = 0; i < 100; i++)); do [ -s "$KANNEL_MO" ] && break; sleep 0.1; done
	check "MO $name: bearerbox joins our $(wc -l <"$TMP/mo.lines") parts into our WSP push PDU" eq \
		"$(python3 -c "import urllib.parse; q=urllib.parse.parse_qs(open('$KANNEL_MO').readline().strip(), encoding='latin-1'); print(q['data'][0].encode('latin-1').hex().upper(), q['udh'][0].encode('latin-1').hex().upper())")" \
		"$wsp 0605040B8423F0"
}
mo "8-bit reference" --sec USERPIN --user-pin 1234 --ref 42
mo "16-bit reference" --sec USERPIN --user-pin 1234 --ref 4242 --ref16
tests/kannel.sh stop >/dev/null
check "tests/kannel.sh stop stopped what it started" sh -c "! ls $UB_KANNEL_DIR/*.pid >/dev/null 2>&1"
done_testing
