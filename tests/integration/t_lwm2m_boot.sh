# The power-on bootstrap of a card holding both a DM and an LwM2M bootstrap
# (pcscd + vpcd + uicc-sim): both applied in one power-on, each under its
# own source; the export decoded back by the Python reference; the same
# card again unchanged and nothing written; the LwM2M file emptied removes
# only what it wrote; the private file and the PIN rule; a card that
# refuses logical channels; the [lwm2m] policy; the dry run.  Other cards
# and --all-readers: t_lwm2m_cards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lwm2m_cards.sh"
canon() { python3 $REF decode "$1" | python3 $REF normal; }
# the canonical Objects without versions and the secret resources (/0/x/3, 4, 5, 8; /21/x/0)
public() {
	python3 -c "
import json, sys
d = json.loads(sys.stdin.read())
for o in d['objects']:
    o.pop('version', None)
    sec = {0: {3, 4, 5, 8}, 21: {0}}.get(o['id'], set())
    for i in o['instances']:
        i['resources'] = [r for r in i['resources'] if r['id'] not in sec]
print(json.dumps(d, sort_keys=True))"
}
noversion() { python3 -c "
import json, sys
d = json.loads(sys.stdin.read())
for o in d['objects']:
    o.pop('version', None)
print(json.dumps(d, sort_keys=True))"; }
policy ""
$LAB sim 0 tests/profiles/demo.conf

# --- both bootstraps in one power-on ---
out=$(ub --json bootstrap); rc=$?
check "power-on: the DM and the LwM2M bootstrap applied, each reported" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['accounts'], [(o['kind'], o['object'], o['source'], o['status']) for o in d['objects']], d['objects'][1]['instances']]")" \
	"0 [\"applied\", [\"./DMAcc/OperatorDM\", \"./DMAcc/operator-cp\"], [[\"dm\", \"DM Bootstrap + CP Bootstrap\", \"iccid:$ICCID\", \"applied\"], [\"lwm2m\", \"LwM2M Bootstrap\", \"iccid:$ICCID/lwm2m\", \"applied\"]], [\"./LwM2M/0/0\", \"./LwM2M/0/1\", \"./LwM2M/1/0\"]]"
check "the PKCS#15 application was used on a logical channel (LwM2M Core G.2.1)" eq \
	"$(echo "$out" | jget "[d['channel'], d['channel_refused']]")" '["logical", false]'
check "MANAGE CHANNEL, the PKCS#15 AID selected on channel 1, the EF read there, the channel closed" sh -c \
	"grep -q '^> 00 70 00 00 01' $LOG && grep -q '^> 01 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35' $LOG &&
	 grep -q '^> 01 A4 09 04 02 64 34' $LOG && grep -q '^> 00 70 80 01' $LOG"
check "each source in the tree: the DM account under the ICCID, the Instances under ICCID/lwm2m" eq \
	"$(ub --json tree get ./DMAcc/OperatorDM | jget "d['source']") $(ub --json tree get ./LwM2M/0/0 | jget "[d['source'], d['server'], d['type'], d['acl']]")" \
	"iccid:$ICCID [\"iccid:$ICCID/lwm2m\", \"lwm2m:101\", \"urn:oma:lwm2m:oma:0\", \"Get=lwm2m:101&Replace=lwm2m:101&Delete=lwm2m:101\"]"
check "the bootstrap server's Instance is its own" eq "$(ub --json tree get ./LwM2M/0/1 | jget "d['server']")" "lwm2m:bootstrap"
check "Format and Type from the resource type" eq \
	"$(for u in 0/0/0 0/0/1 0/0/10 1/0/1; do ub --json tree get ./LwM2M/$u | jget "d['format'] + ' ' + d['type'] + ' ' + d['value']"; done | tr '\n' '|')" \
	"chr String coaps://lwm2m.operator.example:5684|bool Boolean false|int Integer 101|int Unsigned Integer 86400|"
check "tree get masks the PSK unless --secrets (b64 of the key then)" eq \
	"$(ub --json tree get ./LwM2M/0/0/5 | jget "d['value']") $(ub --json tree get --secrets ./LwM2M/0/0/5 | jget "d['value']")" \
	"(secret) AAECAwQFBgcICQoLDA0ODw=="
check "tree export masks the LwM2M secrets as it does DM ones" sh -c \
	"! $UB --tree $T tree export | grep -q AAECAwQFBgcICQoLDA0ODw== && $UB --tree $T tree export --secrets | grep -q AAECAwQFBgcICQoLDA0ODw=="
ub --trace "$TMP/trace" bootstrap >/dev/null
check "the trace redacts EF LwM2M_Bootstrap" sh -c \
	"grep -A1 '^> 01 B0 00 00 F4' $TMP/trace | grep -q '^< XX' && ! grep -qi '63 6F 61 70 73 3A 2F 2F 6C 77' $TMP/trace"

# --- the export, decoded back by the Python reference ---
ub lwm2m export --secrets >"$TMP/all.senml"
check "export --secrets (SenML JSON): the reference reads the card's Objects back" eq \
	"$(python3 $REF senml "$TMP/all.senml")" "$(canon $BOOT/lwm2m-bootstrap.bin | noversion)"
ub lwm2m export >"$TMP/pub.senml"
check "export without --secrets: the same, the keys and identities left out (no stand-in)" eq \
	"$(python3 $REF senml "$TMP/pub.senml")" "$(canon $BOOT/lwm2m-bootstrap.bin | public)"
check "... and nothing of the keys in it" sh -c "! grep -q '\"n\":\"5\"' $TMP/pub.senml && ! grep -q '\"n\":\"3\"' $TMP/pub.senml"
ub lwm2m export --secrets --format tlv >"$TMP/all.tlv"
check "export --format tlv --secrets: the EF's framing; the reference decodes the card's Objects" eq \
	"$(canon "$TMP/all.tlv")" "$(canon $BOOT/lwm2m-bootstrap.bin)"
check "... the card's own bytes, padding aside (the shortest forms)" sh -c \
	"cmp -n $(stat -c %s "$TMP/all.tlv") $TMP/all.tlv $BOOT/lwm2m-bootstrap.bin"
ub lwm2m export --format tlv --object 1 >"$TMP/o1.tlv"
python3 -c "
import sys
t = open('$TMP/o1.tlv', 'rb').read()
body = (1).to_bytes(2, 'big') + b'\x00' + len(t).to_bytes(2, 'big') + t
open('$TMP/o1.bin', 'wb').write((1).to_bytes(2, 'big') + len(body).to_bytes(2, 'big') + body)"
check "export --format tlv --object 1: the TLV of a Bootstrap-Write of /1, as the reference reads it" eq \
	"$(canon "$TMP/o1.bin" | noversion)" \
	"$(canon $BOOT/lwm2m-bootstrap.bin | noversion | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); d['objects']=[o for o in d['objects'] if o['id']==1]; print(json.dumps(d, sort_keys=True))")"
check "export --json: content formats and the payload per Object" eq \
	"$(ub --json lwm2m export | jget "[d['content_format'], [o['id'] for o in d['objects']], d['objects'][1]['senml'][0]]")" \
	'[110, [0, 1], {"bn": "/1/0/", "n": "0", "v": 101}]'
check "export --format tlv to a terminal is refused (64)" sh -c \
	"script -qec '$UB --tree $T lwm2m export --format tlv' /dev/null >/dev/null; [ \$? = 64 ] || exit 1" 
ub lwm2m list >"$TMP/list"
check "lwm2m list: owner, source, names and types; secrets as (secret)" sh -c \
	"grep -q '^/0/0  LwM2M Security  owner lwm2m:101  source iccid:$ICCID/lwm2m' $TMP/list &&
	 grep -q '/1/0/1 *Lifetime (Unsigned Integer) = 86400' $TMP/list && grep -q '/0/0/5 *Secret Key (Opaque) = (secret)' $TMP/list"
out=$(ub --json lwm2m export --object 7 2>/dev/null); rc=$?
check "export --object of an Object the tree does not hold: 69" eq "$rc $(echo "$out" | jget "d['error']")" "69 not-found"

# --- the same card again: unchanged, not written ---
s1=$(sum)
out=$(ub --json bootstrap); rc=$?
check "second power-on: both unchanged" eq \
	"$rc $(echo "$out" | jget "[o['status'] for o in d['objects']]")" '0 ["unchanged", "unchanged"]'
check "second power-on: the tree file is not written" eq "$(sum)" "$s1"

# --- the LwM2M file emptied: only what it wrote goes ---
profile emptied "s|^lwm2m_bootstrap = .*|lwm2m_bootstrap = hex:$(printf 'ff%.0s' $(seq 64))|"
$LAB sim 0 "$TMP/emptied.conf"
out=$(ub --json bootstrap); rc=$?
check "the LwM2M file emptied: its three Instances removed, the DM account unchanged" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['removed'], d['objects'][1]['status'], d['objects'][1]['removed']]")" \
	'0 ["unchanged", [], "applied", ["./LwM2M/0/0", "./LwM2M/0/1", "./LwM2M/1/0"]]'
check "... no node of the card's LwM2M source left, the DM account there" eq \
	"$(ub tree list ./LwM2M/0 | wc -l) $(ub --json tree get ./DMAcc/OperatorDM/ServerID | jget "d['value']")" "0 operator-dm"
$LAB sim 0 tests/profiles/demo.conf
ub bootstrap >/dev/null
profile gone "/^lwm2m_/d"
$LAB sim 0 "$TMP/gone.conf"
out=$(ub --json bootstrap); rc=$?
check "the DODF entry gone: the same removal" eq \
	"$rc $(echo "$out" | jget "[d['objects'][1]['present'], d['objects'][1]['removed']]")" \
	'0 [false, ["./LwM2M/0/0", "./LwM2M/0/1", "./LwM2M/1/0"]]'
$LAB sim 0 tests/profiles/demo.conf
ub bootstrap >/dev/null

# --- the file's size from its FCP: more than 32 KB is refused before it is read ---
python3 -c "open('$TMP/big.bin', 'wb').write(bytes.fromhex('0001') + (32800).to_bytes(2, 'big') + bytes(32800))"
profile big "s|^lwm2m_bootstrap = .*|lwm2m_bootstrap = $TMP/big.bin|"
$LAB sim 0 "$TMP/big.conf"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "an EF LwM2M_Bootstrap of 32820 bytes (FCP tag 80): refused (65) before any READ of it" sh -c \
	"[ $rc = 65 ] && grep -q 'LwM2M Bootstrap: 32820 bytes, more than 32768' $TMP/err &&
	 grep -q '^> 01 A4 09 04 02 64 34' $LOG && ! grep -A2 '^> 01 A4 09 04 02 64 34' $LOG | grep -q '^> 01 B0'"
check "... the DM object applied all the same" eq "$(echo "$out" | jget "[d['status'], d['objects'][1]['status']]")" \
	'["unchanged", "rejected"]'
profile t0 "s/^protocol = .*/protocol = T0/"
$LAB sim 0 "$TMP/t0.conf"
rm -f "$T"*
out=$(ub --json --reset bootstrap); rc=$?
check "T=0: both applied, the same tree as on T=1 (the FCP through GET RESPONSE)" eq \
	"$rc $(echo "$out" | jget "[[o['status'] for o in d['objects']], d['apdus']]") $(ub lwm2m export --secrets | python3 $REF senml /dev/stdin)" \
	"0 [[\"applied\", \"applied\"], 22] $(canon $BOOT/lwm2m-bootstrap.bin | noversion)"
$LAB sim 0 tests/profiles/demo.conf
ub bootstrap >/dev/null

# --- a private LwM2M file: the PIN rule ---
profile private "s/^lwm2m_private = .*/lwm2m_private = yes/" "s/^pin1_enabled = .*/pin1_enabled = yes/"
$LAB sim 0 "$TMP/private.conf"
lwdump >"$TMP/lw.before"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "private, no PIN: 77 pin-required for the LwM2M object, the DM one applied as before" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['objects'][1]['status'], d['objects'][1]['error'], d['error']]")" \
	'77 ["unchanged", "failed", "pin-required", "pin-required"]'
lwdump >"$TMP/lw.after"
check "... the card's earlier LwM2M data kept (a card that cannot be read keeps its data)" cmp "$TMP/lw.after" "$TMP/lw.before"
check "... the PIN asked for before the read, on the channel (VERIFY without data, 01 20 00 01)" sh -c \
	"grep -q '^> 01 20 00 01$' $LOG && ! grep -q '^> 01 B0 00 00 F4' $LOG"
$LAB sim 0 "$TMP/private.conf"
rm -f "$T"*
out=$(ub --json --pin 1234 --trace "$TMP/ptrace" bootstrap); rc=$?
check "private, right PIN: verified, both applied" eq \
	"$rc $(echo "$out" | jget "[o['status'] for o in d['objects']]")" '0 ["applied", "applied"]'
check "... and the PIN not in the trace" sh -c \
	"grep -q '^> 01 20 00 01 08 XX XX XX XX XX XX XX XX' $TMP/ptrace && ! grep '^>' $TMP/ptrace | grep -q '31 32 33 34'"
$LAB sim 0 "$TMP/private.conf"
out=$(ub --json --pin 9999 bootstrap 2>/dev/null); rc=$?
check "private, wrong PIN: 77 pin-wrong, one attempt spent, not two" eq \
	"$rc $(echo "$out" | jget "d['objects'][1]['error']") $(apdus "$R0" 0020000100 | tail -1)" "77 pin-wrong 63c2"
out=$(ub --json --pin 9999 bootstrap 2>/dev/null); rc=$?
out=$(ub --json --pin 1234 bootstrap 2>/dev/null); rc=$?
check "one attempt left: the right PIN is not tried (pin-last-attempt), the card still counts 1" eq \
	"$rc $(echo "$out" | jget "d['objects'][1]['error']") $(apdus "$R0" 0020000100 | tail -1)" \
	"77 pin-last-attempt 63c1"
profile modifiable "s/^pin1_enabled = .*/pin1_enabled = yes/" "/^lwm2m_private/a lwm2m_modifiable = yes"
$LAB sim 0 "$TMP/modifiable.conf"
rm -f "$T"*
out=$(ub --json bootstrap 2>/dev/null); rc=$?
check "modifiable (G.2.4: either flag): PIN1 verified before the read, though the EF would read" eq \
	"$rc $(echo "$out" | jget "d['objects'][1]['error']") $(grep -c '^> 01 B0 00 00 F4' $LOG)" "77 pin-required 0"
$LAB sim 0 "$TMP/modifiable.conf"
out=$(ub --json --pin 1234 bootstrap); rc=$?
check "modifiable, right PIN: applied" eq "$rc $(echo "$out" | jget "d['objects'][1]['status']")" "0 applied"
profile public "s/^pin1_enabled = .*/pin1_enabled = yes/"
$LAB sim 0 "$TMP/public.conf"
rm -f "$T"*
out=$(ub --json bootstrap); rc=$?
check "a public entry: no VERIFY, read as it is (the PIN is the file's, not the card's)" eq \
	"$rc $(echo "$out" | jget "d['objects'][1]['status']") $(grep -c '^> 01 20' $LOG)" "0 applied 0"

# --- a card that refuses logical channels ---
rm -f "$T"*
$LAB sim 0 tests/profiles/demo.conf --fault sw:6881:70:1
out=$(ub --json bootstrap); rc=$?
check "MANAGE CHANNEL answered 6881: both read on the basic channel, and said" eq \
	"$rc $(echo "$out" | jget "[[o['status'] for o in d['objects']], d['channel'], d['channel_refused'], d['channel_sw']]")" \
	'0 [["applied", "applied"], "basic", true, 26753]'
check "... no command on a logical channel; the PKCS#15 AID selected on the basic one" sh -c \
	"! grep -q '^> 01 ' $LOG && grep -q '^> 00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35' $LOG"
$LAB sim 0 tests/profiles/demo.conf --fault sw:6881:70:1
rm -f "$T"*
ub bootstrap >"$TMP/text"
check "the text output says so too" grep -q '^channel   basic: the card refused a logical channel (SW 6881)' "$TMP/text"

# --- the [lwm2m] policy ---
$LAB sim 0 tests/profiles/demo.conf
rm -f "$T"*
policy "[lwm2m]\nenabled = no\n"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "[lwm2m] enabled = no: the LwM2M object refused (77), the DM one applied, no ./LwM2M" eq \
	"$rc $(echo "$out" | jget "[d['status'], d['objects'][1]['status'], d['objects'][1]['error']]") $(ub tree list ./LwM2M 2>/dev/null | wc -l)" \
	'77 ["applied", "rejected", "policy"] 0'
check "... and the EF is not read" sh -c "! grep -q '^> 01 A4 09 04 02 64 34' $LOG"
policy "[lwm2m]\nservers = coaps://lwm2m.operator.example:5684\n"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "[lwm2m] servers without the bootstrap server's URI: refused (77), naming it" eq \
	"$rc $(echo "$out" | jget "d['objects'][1]['status']") $(grep -c 'bootstrap.operator.example:5684 is not one of \[lwm2m\] servers' "$TMP/err")" \
	"77 rejected 1"
policy "[lwm2m]\nservers = coaps://lwm2m.operator.example:5684,\n  coaps://bootstrap.operator.example:5684\n"
out=$(ub --json bootstrap 2>"$TMP/err"); rc=$?
check "[lwm2m] servers listing both (on two lines): applied" eq "$rc $(echo "$out" | jget "d['objects'][1]['status']")" "0 applied"
lwdump >"$TMP/lw.before"
policy "[lwm2m]\nservers = coaps://other.example:5684\n"
out=$(ub --json bootstrap 2>/dev/null); rc=$?
lwdump >"$TMP/lw.after"
check "a refusal (77) leaves the earlier LwM2M data as it was" sh -c "[ $rc = 77 ] && cmp $TMP/lw.after $TMP/lw.before"
policy "[lwm2m]\nservers = lwm2m.operator.example\n"
out=$(ub bootstrap 2>&1); rc=$?
check "[lwm2m] servers: a value that is not a URI is refused, naming file, line and key" sh -c \
	"[ $rc = 78 ] && echo '$out' | grep -q 'policy.conf:2: \[lwm2m\] servers: bad value'"
policy "[lwm2m]\nserver = coaps://x.example\n"
check "[lwm2m]: an unknown key is refused" sh -c "! ub bootstrap >/dev/null 2>&1"
policy ""

# --- dry run ---
rm -f "$T"*
out=$(ub --json bootstrap --dry-run); rc=$?
check "--dry-run: the LwM2M object verified with its nodes, secrets masked" eq \
	"$rc $(echo "$out" | jget "[d['objects'][1]['status'], len(d['objects'][1]['nodes']), [n['value'] for n in d['objects'][1]['nodes'] if n['uri'] == './LwM2M/0/0/5']]")" \
	'0 ["verified", 19, ["(secret)"]]'
check "--dry-run: nothing written" eq "$(ub tree list ./LwM2M 2>/dev/null | wc -l)" 0

done_testing
