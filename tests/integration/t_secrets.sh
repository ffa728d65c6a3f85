# Secrets off the command line, private files, no core dumps, and text
# output that a card or a message cannot use to drive the terminal.
# Every check here is an attack that worked before the fix.
. "$(dirname "$0")/lib.sh"
F=tests/fixtures
P=tests/profiles/test-usim.conf
DM="application/vnd.syncml.dm+wbxml"
CT="$DM; SEC=USERPIN; MAC=1E693C3D758941815B50BD6EC0F053D47A29628C" # PIN 1234
printf '[push]\nallowed_sec = USERPIN\n' >"$TMP/policy.conf"
chmod 600 "$TMP/policy.conf"
# push with SEC=USERPIN needs no card; sets $rc $out $err
push() {
	out=$($UB --json --policy "$TMP/policy.conf" push $F/dm12-plain.wbxml --content-type "$CT" \
		--transport insecure --dry-run "$@" 2>"$TMP/err"); rc=$?
}
res() { echo "$rc $(echo "$out" | jget "d.get('error') or d['status']")"; }
secret_file() { printf "$2" >"$TMP/$1"; chmod "${3:-600}" "$TMP/$1"; }
# wait until $1 (a PID) sleeps reading its standard input (a FIFO)
blocked() {
	local i
	for i in $(seq 200); do
		grep -q '^0 0x0 ' /proc/$1/syscall 2>/dev/null && return 0 # read(0, ...) on x86_64
		grep -q pipe /proc/$1/wchan 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# --- the push user PIN from a file, standard input, the environment ---
secret_file pin '1234\n'
push --user-pin-file "$TMP/pin"
check "--user-pin-file FILE: the USERPIN MAC verifies" eq "$(res)" "0 verified"
out=$(printf '1234\n' | $UB --json --policy "$TMP/policy.conf" push $F/dm12-plain.wbxml \
	--content-type "$CT" --dry-run --user-pin-file - 2>&1); rc=$?
check "--user-pin-file - (standard input)" eq "$(res)" "0 verified"
out=$(UICCBOOT_USER_PIN=1234 $UB --json --policy "$TMP/policy.conf" push $F/dm12-plain.wbxml \
	--content-type "$CT" --dry-run 2>&1); rc=$?
check "UICCBOOT_USER_PIN" eq "$(res)" "0 verified"
secret_file wrong '4321'
push --user-pin-file "$TMP/wrong"
check "the PIN of the file is the one used: a wrong one fails the MAC (65)" eq "$(res)" "65 mac"
push --user-pin 1234
check "--user-pin on argv still works (labs)" eq "$(res)" "0 verified"
secret_file shared '1234\n' 644
push --user-pin-file "$TMP/shared"
check "a PIN file others may read: refused (77), the PIN not echoed" sh -c \
	"[ $rc = 77 ] && grep -q 'mode 0644' $TMP/err && ! grep -q 1234 $TMP/err"
secret_file esc '12\033[2J34\n'
push --user-pin-file "$TMP/esc"
check "a PIN with a control character: refused (65)" eq "$rc" 65
secret_file two '1234\n5678\n'
push --user-pin-file "$TMP/two"
check "a PIN file of two lines: refused (65)" eq "$rc" 65
secret_file long "$(printf '%0300d' 1)"
push --user-pin-file "$TMP/long"
check "a PIN longer than 256 bytes: refused (65)" eq "$rc" 65
push --user-pin 1234 --user-pin-file "$TMP/pin"
check "--user-pin and --user-pin-file together: usage (64)" eq "$rc" 64
out=$(printf '1234\n' | $UB --pin-file - --policy "$TMP/policy.conf" push $F/dm12-plain.wbxml \
	--content-type "$CT" --dry-run --user-pin-file - 2>&1); rc=$?
check "two secrets from standard input: usage (64)" eq "$rc" 64

# --- a bad PIN1 in the policy: the error says what is wrong, never the value ---
printf '[push]\nallowed_sec = USERPIN\n[pin]\npin1 = 123456789\n' >"$TMP/badpin.conf"
chmod 600 "$TMP/badpin.conf"
for j in "" --json; do
	$UB $j --policy "$TMP/badpin.conf" push $F/dm12-plain.wbxml --content-type "$CT" \
		--dry-run --user-pin 1234 >"$TMP/out" 2>"$TMP/err"; rc=$?
	check "a policy's bad [pin] pin1${j:+ ($j)}: refused (78), the rule said, the value in neither stdout nor stderr" sh -c \
		"[ $rc = 78 ] && grep -q 'pin1: bad value (must be 4 to 8 digits' $TMP/out $TMP/err && ! grep -q 12345678 $TMP/out $TMP/err"
done

# --- factory check's secrets the same ways ---
KEY=$TMP/master.key
echo 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$KEY"
chmod 600 "$KEY"
fc() { $UB factory check --key-file "$KEY" --server-id dm.operator.example \
	--device-id IMEI:490154203237518 --client-name u1-c3a899d905c4383e49b5 "$@" >/dev/null 2>&1; }
secret_file cs 'aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ\n'
secret_file ss 'QfqGTUNJ9xi9Zt8A8jQYOjjycwt0CDFw\n'
fc --client-secret-file "$TMP/cs" --server-secret-file "$TMP/ss"
check "factory check: --client-secret-file and --server-secret-file" eq $? 0
echo QfqGTUNJ9xi9Zt8A8jQYOjjycwt0CDFx | fc --client-secret-file "$TMP/cs" --server-secret-file -
check "factory check: a wrong server secret on stdin fails (65)" eq $? 65
UICCBOOT_CLIENT_SECRET=aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ UICCBOOT_SERVER_SECRET=QfqGTUNJ9xi9Zt8A8jQYOjjycwt0CDFw fc
check "factory check: UICCBOOT_CLIENT_SECRET and UICCBOOT_SERVER_SECRET" eq $? 0
chmod 640 "$TMP/cs"
fc --client-secret-file "$TMP/cs"
check "factory check: a secret file readable by the group: refused (77)" eq $? 77
fc --client-secret-file "$KEY" --server-secret-file "$TMP/ss"
check "factory check: a wrong client secret from a file fails (65)" eq $? 65

# --- a running uiccboot: no PIN in /proc/PID/cmdline or environ, no core ---
# As nobody, so that "not dumpable" shows as /proc/PID owned by root (for
# a root process it is root's anyway); the soft core limit raised first so
# that only uiccboot can bring it to 0.
NB=$TMP/nobody
# under make valgrind $UB is a wrapper script whose logs nobody cannot write
NUB=$UB
[ "$(head -c2 $UB)" = '#!' ] && NUB=build/uiccboot
chmod 711 "$TMP"
mkdir -m 755 "$NB"
cp "$TMP/policy.conf" "$NB/policy.conf"
chmod 644 "$NB/policy.conf"
mkfifo -m 600 "$NB/fifo"
exec 3<>"$NB/fifo"
(
	ulimit -S -c unlimited 2>/dev/null
	UICCBOOT_PIN=97531 exec setpriv --reuid=65534 --regid=65534 --clear-groups \
		$NUB --json --pin 86420 --policy "$NB/policy.conf" push $F/dm12-plain.wbxml \
		--content-type "$CT" --dry-run --user-pin-file - <"$NB/fifo" >"$NB/out" 2>&1
) &
pid=$!
if blocked $pid; then
	check "blocked on the FIFO: /proc/PID/cmdline holds neither PIN ('--pin' shows x's)" sh -c \
		"tr '\0' ' ' </proc/$pid/cmdline | grep -q -- '--pin xxxxx' && ! grep -aq -e 86420 -e 1234 /proc/$pid/cmdline"
	check "UICCBOOT_PIN is wiped from /proc/PID/environ" sh -c "! grep -aq 97531 /proc/$pid/environ"
	check "core file size limit 0 (soft and hard) in /proc/PID/limits" sh -c \
		"grep -E '^Max core file size +0 +0 ' /proc/$pid/limits"
	# proc(5): the files of /proc/PID belong to root when not dumpable
	check "not dumpable: /proc/PID/environ is root's while the process runs as uid 65534" sh -c \
		"[ \"\$(stat -c %u /proc/$pid/environ)\" = 0 ] && grep -qE '^Uid:\s+65534' /proc/$pid/status"
else
	echo "not ok - uiccboot did not block reading the FIFO"
	cat "$NB/out" | sed 's/^/#   /'
fi
echo 1234 >&3
exec 3>&-
wait $pid
chmod 700 "$TMP"
check "... and the PIN written to the FIFO then verifies the push" sh -c \
	"grep -q '\"status\":\"verified\"' $NB/out || { cat $NB/out; false; }"

# --- the card PIN from a file (PIN1 enabled) ---
sed 's/^pin1_enabled = no/pin1_enabled = yes/' $P >"$TMP/pin.conf"
$LAB sim 0 "$TMP/pin.conf"
$UB --json info >/dev/null 2>&1
check "PIN1 enabled, no PIN: 77" eq $? 77
$UB --json --pin-file "$TMP/pin" info >/dev/null
check "--pin-file FILE verifies PIN1" eq $? 0
echo 1234 | $UB --json --pin-file - info >/dev/null
check "--pin-file - verifies PIN1" eq $? 0
UICCBOOT_PIN=1234 $UB --json info >/dev/null
check "UICCBOOT_PIN verifies PIN1" eq $? 0

# --- --trace FILE: 0600, no symlink, no file of another user ---
$LAB sim 0 $P
echo keep >"$TMP/victim"
chmod 644 "$TMP/victim"
ln -s "$TMP/victim" "$TMP/trace-link"
$UB --trace "$TMP/trace-link" info >/dev/null 2>"$TMP/err"; rc=$?
check "--trace to a planted symlink: refused (77), its target untouched" sh -c \
	"[ $rc = 77 ] && [ \"\$(cat $TMP/victim)\" = keep ] && [ \"\$(stat -c %a $TMP/victim)\" = 644 ] && grep -q 'symbolic link' $TMP/err"
ln -s "$TMP/made-by-link" "$TMP/dangling"
$UB --trace "$TMP/dangling" info >/dev/null 2>&1; rc=$?
check "--trace to a dangling symlink: refused, nothing created where it points" sh -c \
	"[ $rc = 77 ] && [ ! -e $TMP/made-by-link ]"
(umask 022 && $UB --trace "$TMP/new.trace" info >/dev/null)
check "--trace creates the file 0600 (umask 022) and writes the trace" sh -c \
	"[ \"\$(stat -c %a $TMP/new.trace)\" = 600 ] && grep -q '^> 00 A4' $TMP/new.trace"
echo old >"$TMP/old.trace"
chmod 644 "$TMP/old.trace"
$UB --trace "$TMP/old.trace" info >/dev/null
check "--trace over an existing 0644 file of ours: now 0600, truncated" sh -c \
	"[ \"\$(stat -c %a $TMP/old.trace)\" = 600 ] && ! grep -q old $TMP/old.trace && grep -q '^> ' $TMP/old.trace"
echo theirs >"$TMP/their.trace"
chown 65534 "$TMP/their.trace"
$UB --trace "$TMP/their.trace" info >/dev/null 2>&1; rc=$?
check "--trace over another user's file: refused (77), not truncated" sh -c \
	"[ $rc = 77 ] && [ \"\$(cat $TMP/their.trace)\" = theirs ]"

# --- the device tree: no symlinks, 0600, -wal and -shm too ---
DB=$TMP/tree/dmtree.db
mkdir -p "$TMP/tree"
tree() { $UB --tree "$DB" "$@"; }
apply_push() { tree --policy /dev/null push $F/dm12-plain.wbxml --content-type "$DM" --transport secure >/dev/null 2>&1; }
# a tree import blocked on a FIFO keeps the tree open: its -wal and -shm
# stay after the other commands end (the last connection deletes them)
hold_open() {
	rm -f "$TMP/tree/hold"
	mkfifo -m 600 "$TMP/tree/hold"
	(umask 000 && exec $UB --tree "$DB" tree import "$TMP/tree/hold" >/dev/null 2>&1) &
	holder=$!
	for i in $(seq 100); do [ -e "$DB-shm" ] && break; sleep 0.05; done
}
release() { echo >"$TMP/tree/hold"; wait $holder; }
modes() { stat -c %a "$DB" "$DB-wal" "$DB-shm" | tr '\n' ' '; }
rm -f "$DB"*
hold_open
apply_push
check "a new tree: the -wal and -shm SQLite made (umask 000) are 0600 after an apply" eq \
	"$(modes)" "600 600 600 "
chmod 644 "$DB" "$DB-wal" "$DB-shm"
apply_push
check "a tree, -wal and -shm left 0644: made 0600 by the next open" eq "$(modes)" "600 600 600 "
release
echo keep >"$TMP/victim2"
rm -f "$DB"*
ln -s "$TMP/victim2" "$DB"
tree tree list >/dev/null 2>"$TMP/err"; rc=$?
check "the tree path a planted symlink: refused (77), its target untouched" sh -c \
	"[ $rc = 77 ] && [ \"\$(cat $TMP/victim2)\" = keep ] && grep -q 'symbolic link' $TMP/err"
rm -f "$DB"
apply_push # a tree (only the commands that write make one)
ln -s "$TMP/victim2" "$DB-wal"
tree tree list >/dev/null 2>"$TMP/err"; rc=$?
check "a planted dmtree.db-wal symlink: refused (77), its target untouched" sh -c \
	"[ $rc = 77 ] && [ \"\$(cat $TMP/victim2)\" = keep ] && grep -q 'db-wal' $TMP/err"
rm -f "$DB-wal"
chmod 644 "$DB"
chown 65534 "$DB"
tree tree list >/dev/null 2>"$TMP/err"; rc=$?
check "another user's tree readable by others: refused (77), the message names file and mode" sh -c \
	"[ $rc = 77 ] && grep -q 'dmtree.db: mode 0644' $TMP/err && [ \"\$(stat -c %a $DB)\" = 644 ]"

# --- control characters from the card and from messages, in text output ---
# EF_GBABP (TS 31.102 4.2.79, 31.103 4.2.16) with a B-TID and a lifetime
# that carry terminal controls; EF_DIR labels too (TS 102 221 13.1)
python3 - $P "$TMP/hostile.conf" <<'PY'
import sys
btid, life = b'AAAA\x1b[2J\x07@bsf.example.org', b'2030-01-01T00:00:00Z\x1b]0;owned\x07'
gbabp = bytes([16]) + b'\x11' * 16 + bytes([len(btid)]) + btid + bytes([len(life)]) + life
def rec(aid):
    t = b'\x4f' + bytes([len(aid)]) + aid + b'\x50\x06U\x1b[2J\x07'
    return (b'\x61' + bytes([len(t)]) + t).ljust(38, b'\xff').hex()
usim = bytes.fromhex('a0000000871002ffffffff8907090000')
isim = bytes.fromhex('a0000000871004ffffffff8907090000')
with open(sys.argv[2], 'w') as f:
    f.write(open(sys.argv[1]).read())
    f.write('\n[ef 3F00/2F00]\nstructure = linear\nrecord_len = 38\ndata = %s%s\n' % (rec(usim), rec(isim)))
    f.write('\n[ef ADF.USIM/6FD6]\ndata = %s\n\n[ef ADF.ISIM/6FD5]\ndata = %s\n' % (gbabp.hex(), gbabp.hex()))
PY
$LAB sim 0 "$TMP/hostile.conf"
$UB info >"$TMP/info.txt" 2>&1
check "info: a B-TID with ESC [ 2 J and BEL reaches the terminal escaped" sh -c \
	"grep -qF 'AAAA\\x1b[2J\\x07@bsf.example.org' $TMP/info.txt"
check "info: no raw ESC or BEL in the text output (od)" sh -c \
	"! od -An -tx1 $TMP/info.txt | grep -qE '(^| )(1b|07)( |\$)'"
$UB gba status >"$TMP/gba.txt" 2>&1
$UB gba status --app usim >>"$TMP/gba.txt" 2>&1
check "gba status (ISIM, USIM): B-TID and lifetime escaped, no raw ESC or BEL" sh -c \
	"grep -qF '\\x1b]0;owned\\x07' $TMP/gba.txt && ! od -An -tx1 $TMP/gba.txt | grep -qE '(^| )(1b|07)( |\$)'"
check "--json info: json-c escapes them as \\u001b and \\u0007" sh -c \
	"$UB --json info | grep -qF 'AAAA\\u001b[2J\\u0007@bsf' && ! $UB --json info | od -An -tx1 | grep -qE '(^| )(1b|07)( |\$)'"

# a message's value with a newline (XML allows it) cannot forge an output
# line; a C1 CSI (U+009B, also legal XML) is not sent raw
python3 - "$TMP" $F/dm12-plain.wbxml <<'PY'
import sys
d = bytearray(open(sys.argv[2], 'rb').read())
i = d.index(b'\xc3\x03cli') + 2  # OPAQUE, 3 bytes
d[i:i + 3] = b'a\nb'
open(sys.argv[1] + '/nl.wbxml', 'wb').write(d)
d[i:i + 3] = b'\xc2\x9bJ'
open(sys.argv[1] + '/c1.wbxml', 'wb').write(d)
d = bytearray(open(sys.argv[2], 'rb').read())
i = d.index(b'DM/1.2')
d[i:i + 6] = b'D\nowne'  # an unsupported VerProto: the refusal quotes it
open(sys.argv[1] + '/sid.wbxml', 'wb').write(d)
PY
$UB --policy /dev/null push "$TMP/nl.wbxml" --content-type "$DM" --transport secure --dry-run >"$TMP/nl.txt"
check "push --dry-run: a newline in a value is shown as \\x0a, no forged line" sh -c \
	"grep -qF 'AAuthName = a\\x0ab' $TMP/nl.txt && ! grep -q '^b' $TMP/nl.txt"
$UB --policy /dev/null push "$TMP/c1.wbxml" --content-type "$DM" --transport secure --dry-run >"$TMP/c1.txt"
check "push --dry-run: a UTF-8 C1 CSI is shown as \\xc2\\x9b" sh -c \
	"grep -qF 'AAuthName = \\xc2\\x9bJ' $TMP/c1.txt && ! od -An -tx1 $TMP/c1.txt | grep -qE '(^| )9b( |\$)'"
printf '[servers]\nallow = dm.example.com\n' >"$TMP/servers.conf"
$UB --policy "$TMP/servers.conf" push "$TMP/sid.wbxml" --content-type "$DM" --transport secure \
	--dry-run >"$TMP/sid.txt" 2>"$TMP/sid.err"; rc=$?
check "a refusal quoting a hostile value with a newline: the reason (stdout, stderr) shows \\x0a" sh -c \
	"[ $rc != 0 ] && grep -qF 'D\\x0aowne' $TMP/sid.err && ! grep -q '^owne' $TMP/sid.txt $TMP/sid.err"
done_testing
