# The command line keeps its contract (uiccboot(1)): with --json every
# command prints exactly one JSON object (a stream: one a line, nothing
# else), on success and on failure alike, with error, message and where;
# every command and group has its own --help, exit 0; options come before
# or after the arguments, whatever POSIXLY_CORRECT says; policy check; the
# policy file others may change; the sender's refusals, formats and
# secrets; backups written 0600 and read from stdin; the sample of
# docs/wap-push.md, and the man page in step with --help.
# Every check marked (attack) or (contract) failed on 2e3cd81.
# lab: leaks (every command, success and failure: LeakSanitizer on)
# lab: long (a few minutes: started first, so the three at a time end together)
. "$(dirname "$0")/lib.sh"
F=tests/fixtures
W=tests/integration/wire
DM="application/vnd.syncml.dm+wbxml"
CT="$DM; SEC=USERPIN; MAC=1E693C3D758941815B50BD6EC0F053D47A29628C" # PIN 1234
IMSI=001010123456789
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
RAND1=23553cbe9637a89d218ae64dae47bf35
AUTN1=55f328b43577b9b94a9ffac354dfafb3
T=$TMP/t.db
# the demo card (DM, CP and LwM2M bootstrap objects), its paths absolute
sed "s|= boot/|= $PWD/tests/profiles/boot/|" tests/profiles/demo.conf >"$TMP/demo.conf"
printf '[push]\nallowed_sec = USERPIN, USERPIN_NETWORKID\n' >"$TMP/pin.conf"
printf '1234\n' >"$TMP/pin"
printf '48151623\n' >"$TMP/samplepin"
MASTER=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
printf '%s\n' $MASTER >"$TMP/master.key"
chmod 600 "$TMP/pin" "$TMP/samplepin" "$TMP/master.key"
ub() { $UB -r "$R0" --tree "$T" --policy "$TMP/pin.conf" "$@"; }
UBA=$(cd "$(dirname "$UB")" && pwd)/$(basename "$UB") # for a cd
fresh_card() { $LAB sim 0 "${1:-$TMP/demo.conf}" >/dev/null; }

# ---------------------------------------------------------------------
# --json: one object, errors too
# ---------------------------------------------------------------------
# shape FILE [stream]: "one" (exactly one JSON object, nothing else), or
# with stream "lines" (every line a JSON object); then the last object's
# error name ("-" for none); "bad: ..." otherwise
shape() {
	python3 - "$1" "${2:-}" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8", errors="strict").read()
try:
    if sys.argv[2] == "stream":
        objs = [json.loads(l) for l in text.splitlines()]
        kind = "lines"
    else:
        objs = [json.loads(text)]
        kind = "one"
    if not objs or not all(isinstance(o, dict) for o in objs):
        raise ValueError("not objects")
    last = objs[-1]
    err = last.get("error") or "-"
    if err != "-" and not (isinstance(last.get("message"), str) and last["message"] and "where" in last):
        raise ValueError("error without message or where")
    print(kind, err)
except Exception as e:
    print("bad:", e, repr(text[:200]))
PY
}
declare -A seen_ok seen_fail
# js WHAT ok|fail [stream] -- ARGS...: uiccboot --json ARGS (standard input
# from $JSIN, else /dev/null); WHAT is the command's name as the help lists
# it (for the coverage check at the end)
js() {
	local what=$1 want=$2 stream= kind=one got rc
	shift 2
	[ "$1" = stream ] && stream=stream kind=lines && shift
	[ "$1" = -- ] && shift
	"$@" >"$TMP/js.out" 2>"$TMP/js.err" <"${JSIN:-/dev/null}"
	rc=$?
	got=$(shape "$TMP/js.out" $stream)
	if [ "$want" = ok ]; then
		check "--json $what (success): $(echo "$got" | cut -c1-60)" \
			eq "$rc ${got% *} ${got##* }" "0 $kind -"
		seen_ok[$what]=1
	else
		check "--json $what (failure, exit $rc): one object with error, message, where" sh -c \
			"[ $rc != 0 ] && [ '${got%% *}' = '$kind' ] && [ '${got##* }' != - ]"
		seen_fail[$what]=1
	fi
}
fresh_card
js readers ok -- $UB --json readers
js readers fail -- $UB --json readers extra
js info ok -- ub --json info
js info fail -- $UB -r "no such reader" --json info
js auth ok -- ub --json auth --rand $RAND1 --autn $AUTN1
js auth fail -- ub --json auth --rand 00 --autn $AUTN1
js "gba status" ok -- ub --json gba status
js "gba status" fail -- ub --json gba status --app gsm
fresh_card
js "gba bootstrap" ok -- ub --json gba bootstrap --rand $RAND1 --autn $AUTN1 --bsf bsf.example.org
js "gba bootstrap" fail -- ub --json gba bootstrap --rand $RAND1 --autn $AUTN1 --bsf bsf.example.org
js "gba naf-key" ok -- ub --json gba naf-key --naf naf.example.org --ua 0100000002
js "gba naf-key" fail -- ub --json gba naf-key --naf naf.example.org --ua 01
js "gba push" fail -- ub --json gba push --rand $RAND1 --autn $AUTN1 --naf naf.example.org --ua 0100000002 --ptid p@x --app usim
# gba push with the AUTN* of TS 33.223 on a card that wants it (as t_gba)
sed 's/^gba_autn_star = no/gba_autn_star = yes/' tests/profiles/test-usim.conf >"$TMP/star.conf"
IK1=$(osmo-auc-gen -3 -a milenage -k $K -o $OPC -f b9b9 -s $((16#ff9bb4d0b607)) -r $RAND1 2>/dev/null | sed -n 's/^IK:[[:space:]]*//p')
AUTNS=$(python3 -c "import hashlib,sys; a=bytes.fromhex('$AUTN1'); t=hashlib.sha1(bytes.fromhex('$IK1')).digest()[:8]; print((a[:8]+bytes(x^y for x,y in zip(a[8:],t))).hex())")
fresh_card "$TMP/star.conf"
js "gba push" ok -- ub --json gba push --rand $RAND1 --autn $AUTNS --naf naf.example.org --ua 0100000002 --ptid p@x --app usim
fresh_card
js bootstrap ok -- ub --json bootstrap
# (the failure of --all-readers, one object too, is t_power's: it sees every reader)
js bootstrap fail -- $UB -r "no such reader" --tree "$T" --json bootstrap --dry-run
js push ok -- ub --json push $F/dm12-plain.wbxml --content-type "$CT" --user-pin 1234 --dry-run
js push fail -- ub --json push $F/dm12-plain.wbxml --content-type "$CT" --user-pin 4321 --dry-run
$UB sms send $W/dm12-plain.xml --sec USERPIN --user-pin 1234 --ref 7 --time 1700000000 >"$TMP/p.tpdus"
js "sms send" ok -- $UB --json sms send $W/dm12-plain.xml --sec USERPIN --user-pin 1234
js "sms send" fail -- $UB --json sms send $W/dm12-plain.xml
js "sms decode" ok -- $UB --json sms decode "$TMP/p.tpdus"
echo 0011zz >"$TMP/bad.tpdus"
js "sms decode" fail -- $UB --json sms decode "$TMP/bad.tpdus"
# sms receive: one object, or one a line (a stream): either way every
# line an object and the last one says the failure
js "sms receive" ok stream -- $UB -r "$R0" --tree "$TMP/rx.db" --policy "$TMP/pin.conf" --json sms receive "$TMP/p.tpdus" --user-pin-file "$TMP/pin"
js "sms receive" fail stream -- $UB -r "$R0" --tree "$TMP/rx.db" --policy "$TMP/pin.conf" --json sms receive "$TMP/bad.tpdus"
# sms listen: the test modem with an empty inbox (--exit-idle 1), and a
# reader that is no modem
mkdir -p "$TMP/inbox"
$UB_BUILD/uicc-modem --reader "$R0" --link "$TMP/modem" --log "$TMP/modem.log" --inbox "$TMP/inbox" \
	>/dev/null 2>&1 &
mpid=$!
for ((i = 0; i < 100; i++)); do [ -e "$TMP/modem" ] && break; sleep 0.05; done
js "sms listen" ok stream -- $UB -r "at:$TMP/modem" --tree "$TMP/rx.db" --json sms listen --exit-idle 1
kill $mpid 2>/dev/null
wait $mpid 2>/dev/null
js "sms listen" fail stream -- $UB -r "$R0" --tree "$TMP/rx.db" --json sms listen --exit-idle 1
js "sms list" ok -- $UB --tree "$TMP/rx.db" --json sms list
js "sms list" fail -- $UB --tree "$TMP/rx.db" --json sms list extra
js "sms pending" ok -- $UB --tree "$TMP/rx.db" --json sms pending
js "sms pending" fail -- $UB --tree "$TMP/rx.db" --json sms pending --apply
js "tree list" ok -- ub --json tree list ./DMAcc
js "tree list" fail -- ub --json tree list ./NoSuchNode
js "tree get" ok -- ub --json tree get .
js "tree get" fail -- ub --json tree get
js "tree export" ok -- ub --json tree export --secrets
js "tree export" fail -- ub --json tree export ./NoSuchNode
js "tree import" ok -- $UB --tree "$TMP/imp.db" --json tree import $F/seed-connmo.xml
js "tree import" fail -- $UB --tree "$TMP/imp.db" --json tree import "$TMP/no-such-file.xml"
js "tree forget" ok -- $UB --tree "$TMP/imp.db" --json tree forget --source import
js "tree forget" fail -- $UB --tree "$TMP/imp.db" --json tree forget --source factory
js "lwm2m list" ok -- ub --json lwm2m list
js "lwm2m list" fail -- ub --json lwm2m list --object x
js "lwm2m export" ok -- ub --json lwm2m export --format tlv
js "lwm2m export" fail -- ub --json lwm2m export --object 9
printf 'IMEI:1\nIMEI:2\n' >"$TMP/ids"
printf 'IMEI:1\nnot,an id\n' >"$TMP/badids"
JSIN=$TMP/ids js "factory derive" ok stream -- $UB --json factory derive --key-file "$TMP/master.key" --server-id s.example
JSIN=$TMP/badids js "factory derive" fail stream -- $UB --json factory derive --key-file "$TMP/master.key" --server-id s.example
printf 'aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ\n' >"$TMP/cs"
chmod 600 "$TMP/cs"
js "factory check" ok -- $UB --json factory check --key-file "$TMP/master.key" --server-id dm.operator.example --device-id IMEI:490154203237518 --client-name u1-c3a899d905c4383e49b5 --client-secret-file "$TMP/cs"
js "factory check" fail -- $UB --json factory check --key-file "$TMP/master.key" --server-id dm.operator.example --device-id IMEI:1 --client-name u1-c3a899d905c4383e49b5 --client-secret-file "$TMP/cs"
$UB --tree "$TMP/fac.db" tree import --source factory $F/factory-image.xml >/dev/null
js "factory apply" ok -- $UB --tree "$TMP/fac.db" --json factory apply --key-file "$TMP/master.key" --device-id IMEI:1
js "factory apply" fail -- $UB --tree "$TMP/fac.db" --json factory apply --key-file "$TMP/master.key"
printf '[push]\nallowed_sec = USERPIN\n' >"$TMP/ok.conf"
printf '[push]\nallowed_sec = USERPIN\nallowed_sec = NETWORKID\n' >"$TMP/twice.conf"
js "policy check" ok -- $UB --json policy check "$TMP/ok.conf"
js "policy check" fail -- $UB --json policy check "$TMP/twice.conf"
# what goes wrong before any command runs
js "(no command)" fail -- $UB --json
js "(unknown command)" fail -- $UB --json frobnicate
js "(unknown command, --json after it)" fail -- $UB frobnicate --json
js "(group without its command)" fail -- $UB --json tree
js "(bad global option)" fail -- $UB --wait forever --json readers
js "(usage error after --json)" fail -- $UB --json tree list --bogus
js "(usage error before --json)" fail -- $UB tree list --bogus --json
js "(--version)" ok -- $UB --json --version
out=$($UB --json frobnicate 2>/dev/null)
check "(contract) an unknown command: error usage, the message names it" eq \
	"$(echo "$out" | jget "[d['error'], d['message']]")" '["usage", "unknown command '"'"'frobnicate'"'"'"]'
out=$($UB --json tree get 2>/dev/null)
check "(contract) a usage error says what and where" eq "$(echo "$out" | jget "[d['error'], d['where']]")" '["usage", "tree get"]'
out=$(ub --json tree export ./DMAcc)
check "(contract) tree export --json: the TNDS document in 'document', as the text export prints it" eq \
	"$(echo "$out" | jget "d['document']")" "$(ub tree export ./DMAcc)"

# every command and subcommand that the help lists ran both ways above
$UB --help | python3 -c '
import re, sys
sec = sys.stdin.read().split("\ncommands:\n", 1)[1].split("\n\n", 1)[0]
for l in sec.splitlines():
    m = re.match(r"^  ([a-z0-9-]+)(?: ([a-z0-9|-]+))?(?:\s|$)", l)
    if m:
        print("\n".join(m.group(1) + " " + s for s in m.group(2).split("|")) if m.group(2) else m.group(1))
' >"$TMP/leaves"
missing=""
while read -r c; do
	[ -n "${seen_ok[$c]:-}" ] && [ -n "${seen_fail[$c]:-}" ] || missing="$missing [$c]"
done <"$TMP/leaves"
check "every command of the help was run with --json in success and in failure" eq "$missing" ""

# ---------------------------------------------------------------------
# help: each command and group its own, exit 0, on stdout
# ---------------------------------------------------------------------
leaves=$(cat "$TMP/leaves")
groups=$(echo "$leaves" | awk 'NF == 2 { print $1 }' | sort -u)
bad=""
while read -r c; do
	[ -z "$c" ] && continue
	# shellcheck disable=SC2086
	$UB $c --help >"$TMP/h.out" 2>"$TMP/h.err"
	rc=$?
	head -1 "$TMP/h.out" | grep -q "^usage: uiccboot \[options\] $c\( \|$\)" &&
		[ $rc = 0 ] && [ ! -s "$TMP/h.err" ] && ! grep -q '^  readers ' "$TMP/h.out" ||
		bad="$bad [$c --help: $rc]"
	# shellcheck disable=SC2086
	$UB $c -h >"$TMP/h2.out" 2>&1 && cmp -s "$TMP/h.out" "$TMP/h2.out" || bad="$bad [$c -h]"
done <<<"$leaves
$groups"
check "(contract) every command and group: its own --help (and -h), exit 0, stdout only" eq "$bad" ""
check "(contract) sms send --help lists its own options" sh -c "$UB sms send --help | grep -q -- '--user-pin-min N'"
check "(contract) tree --help lists the tree commands" sh -c "$UB tree --help | grep -q '^  export '"
check "--help never reads a secret or touches the card" sh -c \
	"UICCBOOT_PIN=1234 $UB -r nosuch --pin-file /nonexistent sms send --help >/dev/null"

# the man page says every option of every --help, and the environment
# every variable the helps name
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' man/uiccboot.1 >"$TMP/man.txt"
sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$TMP/man.txt" >"$TMP/env.txt"
bad="" badenv=""
while read -r c; do
	[ -z "$c" ] && continue
	# shellcheck disable=SC2086
	for o in $($UB $c --help | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u); do
		grep -qE -- "$o([^a-z0-9-]|\$)" "$TMP/man.txt" || bad="$bad [$c $o]"
	done
	# shellcheck disable=SC2086
	for v in $($UB $c --help | grep -oE 'UICCBOOT_[A-Z_]+[A-Z]' | sort -u); do
		grep -q "$v" "$TMP/env.txt" || badenv="$badenv [$c $v]"
	done
done <<<"$leaves"
for o in $($UB --help | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u); do
	grep -qE -- "$o([^a-z0-9-]|\$)" "$TMP/man.txt" || bad="$bad [global $o]"
done
check "uiccboot(1) names every option of every command's --help" eq "$bad" ""
check "uiccboot(1) ENVIRONMENT names every variable the helps name" eq "$badenv" ""
check "no doc promises 'push --dry-run --secrets' (push has no --secrets)" sh -c \
	"! $UB push --help | grep -q -- --secrets && ! grep -rq 'by .push --dry-run., .tree get. and .tree export. unless' docs man README.md"

# ---------------------------------------------------------------------
# options after arguments, POSIXLY_CORRECT or not
# ---------------------------------------------------------------------
for pc in "" 1; do
	e=${pc:+env POSIXLY_CORRECT=1}
	sfx=${pc:+ (POSIXLY_CORRECT)}
	check "(contract) tree list ./DMAcc --json$sfx" sh -c \
		"$e $UB --tree $T tree list ./DMAcc --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"uri\"] == \"./DMAcc\"'"
	acct=$($UB --tree $T tree list ./DMAcc | head -1)
	check "(contract) tree get URI --json$sfx" sh -c \
		"$e $UB --tree $T tree get ./DMAcc/$acct/ServerID --json | python3 -c 'import json,sys; json.load(sys.stdin)[\"value\"]'"
	# (push and sms permuted already, unless POSIXLY_CORRECT)
	check "${pc:+(contract) }push FILE --content-type ... --dry-run$sfx" sh -c \
		"$e $UB --policy $TMP/pin.conf --tree $T push $F/dm12-plain.wbxml --content-type '$CT' --user-pin-file $TMP/pin --dry-run --json >/dev/null"
	check "${pc:+(contract) }sms decode FILE --json$sfx" sh -c "$e $UB sms decode $TMP/p.tpdus --json | python3 -c 'import json,sys; json.load(sys.stdin)[\"messages\"]'"
	check "(contract) policy check FILE --json$sfx" sh -c "$e $UB policy check $TMP/ok.conf --json | grep -q '\"valid\":true'"
done
check "-- ends the options: what follows is an argument" sh -c \
	"out=\$($UB --tree $T tree list -- --json 2>/dev/null); [ \$? = 69 ] && [ -z \"\$out\" ]"

# ---------------------------------------------------------------------
# the policy file
# ---------------------------------------------------------------------
pp() { # pp POLICY: push a USERPIN bootstrap (PIN 1234) against POLICY, dry run: "rc status-or-error"
	out=$($UB --json --tree "$TMP/pp.db" --policy "$1" push $F/dm12-plain.wbxml --content-type "$CT" --user-pin 1234 --dry-run 2>"$TMP/pp.err")
	echo "$? $(echo "$out" | jget "d.get('error') or d['status']" 2>/dev/null)"
}
printf '[push]\nallowed_sec = USERPIN, NETWORKID\n' >"$TMP/evil.conf"
chmod 0666 "$TMP/evil.conf"
check "(attack) a policy others may write (0666) is refused (77), not used" sh -c \
	"[ '$(pp "$TMP/evil.conf")' = '77 policy' ] && grep -q 'mode 0666' $TMP/pp.err"
chmod 0644 "$TMP/evil.conf"
chown nobody "$TMP/evil.conf"
check "(attack) a policy owned by another user (nobody) is refused (77), not used" sh -c \
	"[ '$(pp "$TMP/evil.conf")' = '77 policy' ] && grep -q 'owned by uid' $TMP/pp.err"
chown root "$TMP/evil.conf"
check "... the same file, root's and 0644, is used" eq "$(pp "$TMP/evil.conf")" "0 verified"
printf '[push]\nallowed_sec = USERPIN_NETWORKID_GBA\nallowed_sec = USERPIN\n' >"$TMP/twice2.conf"
check "(attack) allowed_sec given twice: refused (78), file:line:key, not the last one winning" sh -c \
	"[ '$(pp "$TMP/twice2.conf")' = '78 config' ] && grep -q 'twice2.conf:3: \[push\] allowed_sec: given twice (first on line 2)' $TMP/pp.err"
mkdir "$TMP/policy.d"
check "(contract) a directory as the policy: refused (78), not the defaults" sh -c \
	"[ '$(pp "$TMP/policy.d")' = '78 config' ] && grep -q 'a directory' $TMP/pp.err"
printf '[push]\nallowed_sec = USERPIN, MD5\n' >"$TMP/md5.conf"
$UB policy check "$TMP/md5.conf" >/dev/null 2>"$TMP/err"
rc=$?
check "(contract) a bad list value names the bad token and the valid ones; policy check exits 78" sh -c \
	"[ $rc = 78 ] && grep -q \"md5.conf:2: \[push\] allowed_sec: bad value: 'MD5' is not a SEC type (one of: NETWORKID, USERPIN,\" $TMP/err"
check "policy check: a valid file, exit 0" sh -c "$UB policy check $TMP/ok.conf | grep -q 'ok.conf: valid'"
check "policy check: /dev/null is the defaults" sh -c "$UB policy check /dev/null >/dev/null"
check "policy check with --policy FILE checks that file" sh -c "! $UB --policy $TMP/md5.conf policy check 2>/dev/null"

# ---------------------------------------------------------------------
# the sender
# ---------------------------------------------------------------------
D=$W/dm12-plain.xml
$UB sms send $D >/dev/null 2>"$TMP/err"
rc=$?
check "(contract) sms send without --sec: refused (64), says --unsigned" sh -c "[ $rc = 64 ] && grep -q -- --unsigned $TMP/err"
check "(contract) ... with --kannel too: refused before anything is sent" sh -c \
	"$UB sms send $D --kannel http://127.0.0.1:9/ --to 1234 >/dev/null 2>&1; [ \$? = 64 ]"
check "sms send --unsigned: the TPDUs, and a warning" sh -c "$UB sms send $D --unsigned 2>$TMP/err | grep -q '^00' && grep -q 'secure transport' $TMP/err"
$UB sms send $D --sec USERPIN --user-pin 123 >/dev/null 2>"$TMP/err"
rc=$?
check "(contract) a user PIN shorter than the device's default minimum (4): refused (77)" sh -c \
	"[ $rc = 77 ] && grep -q 'user_pin_min' $TMP/err && grep -q -- '--user-pin-min' $TMP/err"
check "... --user-pin-min 3 says the device takes it" sh -c "$UB sms send $D --sec USERPIN --user-pin 123 --user-pin-min 3 >/dev/null"
$UB sms send $D --sec USERPIN_NETWORKID --user-pin 1234 >/dev/null 2>"$TMP/err"
rc=$?
check "(contract) a missing key: which one, and how to give it (64)" sh -c \
	"[ $rc = 64 ] && grep -q 'needs the IMSI' $TMP/err && grep -q -- '--imsi-file' $TMP/err && grep -q UICCBOOT_SEND_IMSI $TMP/err"
s() { $UB sms send $D --sec USERPIN --user-pin 1234 --ref 9 --time 1700000000 "$@"; }
WSP=$(s --wsp)
s --format submit --to +4915112345678 >"$TMP/submit"
s --format parts --to +4915112345678 >"$TMP/parts"
s >"$TMP/deliver"
# SMS-SUBMIT read by an independent reader (TS 23.040 9.2.2.2), its UD
# compared with the SMS-DELIVER's
check "(contract) --format submit: SMS-SUBMIT TPDUs to --to, the same UDH and UD as the SMS-DELIVER ones" python3 - "$TMP/submit" "$TMP/deliver" <<'PY'
import sys
def ud_submit(h):
    b = bytes.fromhex(h); i = 1 + b[0]           # SMSC field
    fo = b[i]; assert fo & 3 == 1 and fo & 0x18 == 0, "not SMS-SUBMIT without VP"
    i += 2                                       # first octet, TP-MR
    n = b[i]; assert b[i + 1] == 0x91 and n == 13; da = b[i + 2:i + 2 + (n + 1) // 2]
    assert "".join("%d%d" % (x & 15, x >> 4) for x in da)[:n] == "4915112345678"
    i += 2 + (n + 1) // 2 + 2                    # DA, PID, DCS
    assert b[i - 1] == 4
    return b[i + 1:i + 1 + b[i]]
def ud_deliver(h):
    b = bytes.fromhex(h); i = 1 + b[0] + 1
    n = b[i]; i += 2 + (n + 1) // 2 + 2 + 7      # OA, PID, DCS, SCTS
    return b[i + 1:i + 1 + b[i]]
s = open(sys.argv[1]).read().split(); d = open(sys.argv[2]).read().split()
assert len(s) == len(d) > 1 and all(ud_submit(a) == ud_deliver(b) for a, b in zip(s, d))
PY
check "(contract) --format parts: JSON lines, UDH (ports, concatenation) and UD; the UDs joined are the push PDU" python3 - "$TMP/parts" "$WSP" <<'PY'
import json, sys
parts = [json.loads(l) for l in open(sys.argv[1])]
assert [p["part"] for p in parts] == list(range(1, len(parts) + 1)) and all(p["parts"] == len(parts) for p in parts)
for p in parts:
    udh = bytes.fromhex(p["udh"])
    assert udh[0] == len(udh) - 1 and udh[1:7] == bytes.fromhex("05040b8423f0") and udh[7:11] == bytes.fromhex("08040009")
    assert p["to"] == "+4915112345678" and p["dcs"] == 4 and len(udh) + len(p["ud"]) // 2 <= 140
assert "".join(p["ud"] for p in parts) == sys.argv[2]
PY
printf 'pin = 1234\n' >"$TMP/k.ok"
printf 'pin = 4321\n' >"$TMP/k.bad"
printf 'imsi = %s\n' $IMSI >"$TMP/k.nopin"
chmod 600 "$TMP"/k.*
check "(contract) sms decode --keys: the MAC verifies with the sender's keys" sh -c \
	"$UB sms decode $TMP/deliver --keys $TMP/k.ok | grep -q 'mac check: SEC=USERPIN: the MAC verifies'"
out=$($UB --json sms decode "$TMP/deliver" --keys "$TMP/k.bad" 2>/dev/null)
rc=$?
check "(contract) ... with other keys: exit 65, mac_verified false" eq "$rc $(echo "$out" | jget "d['messages'][0]['mac_verified']")" "65 false"
$UB sms decode "$TMP/deliver" --keys "$TMP/k.nopin" >/dev/null 2>&1
check "... a keys file without the PIN: exit 64" eq "$?" 64

# secrets off argv and out of the environment, read before the document
# (which may block): the process is looked at while it waits on a FIFO
mkfifo "$TMP/doc.fifo"
KS=000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f
UICCBOOT_SEND_USERPINMAC_KEY=97531 UICCBOOT_KANNEL_PASSWORD=kannelpw \
	$UB sms send "$TMP/doc.fifo" --sec USERPIN_NETWORKID_GBA --user-pin 48151623 \
	--imsi 001019876543210 --ks-ext-naf $KS >/dev/null 2>&1 &
pid=$!
exec 3>"$TMP/doc.fifo" # blocks until uiccboot opens the document
tr '\0' ' ' </proc/$pid/cmdline >"$TMP/cmdline"
tr '\0' '\n' </proc/$pid/environ >"$TMP/environ"
cat $D >&3
exec 3>&-
wait $pid
rc=$?
check "(attack) sms send: --user-pin, --imsi, --ks-ext-naf are not in /proc/PID/cmdline once read" sh -c \
	"! grep -q -e 48151623 -e 001019876543210 -e $KS $TMP/cmdline && grep -q 'sms send' $TMP/cmdline"
check "(attack) ... UICCBOOT_SEND_* and UICCBOOT_KANNEL_PASSWORD are not in /proc/PID/environ" sh -c \
	"grep -q '^PATH=' $TMP/environ && ! grep -q -e 97531 -e kannelpw $TMP/environ"
check "... and the push was built with them (exit 0)" eq "$rc" 0
printf '48151623\n' >"$TMP/upin"
chmod 600 "$TMP/upin"
check "sms send --user-pin-file: the same MAC as --user-pin" eq \
	"$($UB --json sms send $D --sec USERPIN --user-pin-file "$TMP/upin" | jget "d['mac']")" \
	"$($UB --json sms send $D --sec USERPIN --user-pin 48151623 | jget "d['mac']")"
chmod 644 "$TMP/upin"
check "sms send --user-pin-file that others may read: refused (77)" sh -c \
	"$UB sms send $D --sec USERPIN --user-pin-file $TMP/upin >/dev/null 2>&1; [ \$? = 77 ]"
check "--user-pin-file - and the document on standard input: usage (64)" sh -c \
	"$UB sms send - --sec USERPIN --user-pin-file - </dev/null >/dev/null 2>&1; [ \$? = 64 ]"

# --out: 0600 whatever the umask, never through a link
rm -f "$TMP/target"
ln -s "$TMP/target" "$TMP/link.wsp"
(umask 022 && $UB sms send $D --sec USERPIN --user-pin 1234 --wsp --out "$TMP/link.wsp" >/dev/null 2>"$TMP/err")
rc=$?
check "(attack) sms send --out through a symbolic link: refused (77), nothing written where it points" sh -c \
	"[ $rc = 77 ] && [ ! -e $TMP/target ] && [ -L $TMP/link.wsp ]"
(umask 022 && $UB sms send $D --sec USERPIN --user-pin 1234 --wsp --out "$TMP/push.wsp")
check "(attack) sms send --out (a push holds an AAuthSecret): mode 0600 under umask 022" eq \
	"$(stat -c %a "$TMP/push.wsp")" 600
check "... holding the push PDU" eq "$(xxd -p "$TMP/push.wsp" | tr -d '\n' | tr a-f A-F)" "$WSP"

# ---------------------------------------------------------------------
# backups
# ---------------------------------------------------------------------
ub tree export --secrets >"$TMP/backup.ref"
(umask 022 && ub tree export --secrets --out "$TMP/backup.xml")
check "(contract) tree export --secrets --out FILE: mode 0600 under umask 022, the export's bytes" sh -c \
	"[ \$(stat -c %a $TMP/backup.xml) = 600 ] && cmp $TMP/backup.xml $TMP/backup.ref"
echo old >"$TMP/old.xml"
chmod 644 "$TMP/old.xml"
ino=$(stat -c %i "$TMP/old.xml")
ub tree export --secrets --out "$TMP/old.xml"
check "... an old file of ours (0644) is replaced by a new 0600 one, not rewritten in place" sh -c \
	"[ \$(stat -c %a $TMP/old.xml) = 600 ] && [ \$(stat -c %i $TMP/old.xml) != $ino ] && cmp $TMP/old.xml $TMP/backup.ref"
rm -f "$TMP/target"
ln -s "$TMP/target" "$TMP/backup.link"
ub tree export --secrets --out "$TMP/backup.link" >/dev/null 2>&1
rc=$?
check "(attack) tree export --out through a symbolic link: refused (77), nothing written" sh -c \
	"[ $rc = 77 ] && [ ! -e $TMP/target ]"
out=$($UB --tree "$TMP/restore.db" --json tree import - <"$TMP/backup.xml")
check "(contract) tree import - reads standard input" eq "$(echo "$out" | jget "d['status']")" applied
check "... and the restored tree exports the same bytes" sh -c "$UB --tree $TMP/restore.db tree export --secrets | cmp - $TMP/backup.ref"

# ---------------------------------------------------------------------
# docs/wap-push.md: its sample bootstrap and keys, as the page runs them
# ---------------------------------------------------------------------
mkdir "$TMP/doc"
awk -v dir="$TMP/doc" '/^<!-- sample: .* -->$/ { name = $3; next }
	name && /^```/ { if (inb) { inb = 0; name = "" } else inb = 1; next }
	inb { print > (dir "/" name) }' docs/wap-push.md
chmod 600 "$TMP/doc/keys.conf"
check "docs/wap-push.md holds a sample boot.xml and keys.conf" sh -c "grep -q SyncML $TMP/doc/boot.xml && grep -q '^pin = ' $TMP/doc/keys.conf"
(cd "$TMP/doc" && $UBA sms send boot.xml --sec USERPIN_NETWORKID --keys keys.conf >boot.tpdus)
check "the sample: sms send with its keys" test -s "$TMP/doc/boot.tpdus"
check "the sample: sms decode --keys, the MAC verifies" sh -c \
	"$UB sms decode $TMP/doc/boot.tpdus --keys $TMP/doc/keys.conf | grep -q 'the MAC verifies'"
fresh_card
out=$($UB -r "$R0" --tree "$TMP/doc.db" --policy /dev/null --json sms receive "$TMP/doc/boot.tpdus" --user-pin-file "$TMP/samplepin")
check "the sample: received on the device (the card's IMSI, the user's PIN): applied" sh -c \
	"[ \$($UB --tree $TMP/doc.db tree get ./DMAcc/operator/ServerID --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"value\"])') = dm.operator.example ]"
(cd "$TMP/doc" && $UBA sms send boot.xml --sec USERPIN_NETWORKID --keys keys.conf --wsp --out boot.wsp)
out=$($UB -r "$R0" --tree "$TMP/doc2.db" --policy /dev/null --json push --wsp "$TMP/doc/boot.wsp" --user-pin-file "$TMP/samplepin")
check "the sample: push --wsp of its push PDU: applied" eq "$(echo "$out" | jget "[d['status'], d['accounts']]")" \
	'["applied", ["./DMAcc/operator"]]'
done_testing
