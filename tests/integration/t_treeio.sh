# The device tree's file as the command meets it: the commands that only
# read never create a tree, and a tree that cannot be opened is said with
# its name, the real cause and what to do, under its sysexits code (66 no
# input, 73 cannot create, 74 I/O, 65 not a database, 78 a policy file).
# lab: leaks (every tree command against every kind of file: LeakSanitizer on)
. "$(dirname "$0")/lib.sh"
T=$TMP/dmtree.db
F=tests/fixtures

# --- reads never create ---
reads() { # each command that only reads the tree, one a line
	cat <<-'EOF'
		tree list
		tree list ./DMAcc
		tree get ./DMAcc
		tree export
		sms list
		sms pending
		lwm2m list
		lwm2m export
	EOF
}
while read -r cmd; do
	# shellcheck disable=SC2086
	$UB --tree "$T" $cmd >/dev/null 2>"$TMP/err"
	rc=$?
	check "$cmd on a tree that is not there: 66, the file named, no tree made" sh -c \
		"[ $rc = 66 ] && grep -q 'dmtree.db: no such file' $TMP/err && grep -q '\\[no-input\\]' $TMP/err && ! test -e $T"
done < <(reads)
$UB --tree "$TMP/none/dmtree.db" tree list >/dev/null 2>"$TMP/err"; rc=$?
check "tree list in a directory that is not there: 66, the directory named" sh -c \
	"[ $rc = 66 ] && grep -q 'the directory $TMP/none does not exist' $TMP/err"
$UB --tree "$TMP/none/dmtree.db" tree import $F/factory-image.xml >/dev/null 2>"$TMP/err"; rc=$?
check "tree import there: 73 (cannot create), the directory named and what to do" sh -c \
	"[ $rc = 73 ] && grep -q 'cannot create $TMP/none/dmtree.db: the directory $TMP/none does not exist (make it' $TMP/err &&
	 grep -q '\\[cannot-create\\]' $TMP/err && ! test -e $TMP/none"
# the commands that write make it
$UB --tree "$T" tree import $F/factory-image.xml >/dev/null
check "tree import makes the tree (0600); then the reads read it" sh -c \
	"[ \"\$(stat -c %a $T)\" = 600 ] && $UB --tree $T tree list ./DMAcc | grep -q OEMFactory && $UB --tree $T sms list >/dev/null"
$UB --tree "$TMP/s.db" --policy /dev/null sms receive </dev/null >/dev/null; rc=$?
check "sms receive makes one too" sh -c "[ $rc = 0 ] && test -f $TMP/s.db"

# --- a file that is not a database ---
printf 'this is not a device tree, it is a text file that happens to be here\n' >"$TMP/text.db"
chmod 600 "$TMP/text.db"
$UB --tree "$TMP/text.db" tree list >/dev/null 2>"$TMP/err"; rc=$?
check "a file that is not a database: 65, said so with its name, no stale errno" sh -c \
	"[ $rc = 65 ] && grep -q 'text.db: not an SQLite database' $TMP/err && ! grep -q 'No such file' $TMP/err"
$UB --tree "$TMP/text.db" tree import $F/factory-image.xml >/dev/null 2>"$TMP/err"; rc=$?
check "... and for a write: 65, the file untouched" sh -c \
	"[ $rc = 65 ] && grep -q 'not an SQLite database' $TMP/err && grep -q 'happens to be here' $TMP/text.db"

# --- another user's tree (0600): we are nobody ---
chmod 755 "$TMP"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nobody $UB --tree "$T" tree list >/dev/null 2>"$TMP/err"; rc=$?
check "another user's tree, read: 66, mode and owner said, what to do" sh -c \
	"[ $rc = 66 ] && grep -q 'dmtree.db: not readable by us (uid 65534): mode 0600, owned by uid 0; run as its owner' $TMP/err"
nobody $UB --tree "$T" tree import $F/factory-image.xml >/dev/null 2>"$TMP/err"; rc=$?
check "another user's tree, write: 73" sh -c \
	"[ $rc = 73 ] && grep -q 'dmtree.db: not writable by us (uid 65534)' $TMP/err"
nobody $UB --tree "$TMP/new.db" tree import $F/factory-image.xml >/dev/null 2>"$TMP/err"; rc=$?
check "a new tree in another user's directory: 73, the directory's mode and owner said" sh -c \
	"[ $rc = 73 ] && grep -q 'cannot create $TMP/new.db: its directory $TMP is not writable by us (uid 65534; the directory: mode 0755, uid 0)' $TMP/err && ! test -e $TMP/new.db"
chmod 700 "$TMP"

# --- a tree that cannot be written ---
chattr +i "$T" 2>/dev/null && immutable=yes || immutable=
if [ -n "$immutable" ]; then
	$UB --tree "$T" tree import $F/factory-image.xml >/dev/null 2>"$TMP/err"; rc=$?
	check "an immutable tree, write: 73, said" sh -c "[ $rc = 73 ] && grep -q 'dmtree.db: cannot be written: an immutable file' $TMP/err"
	check "... read: fine" sh -c "$UB --tree $T tree list ./DMAcc | grep -q OEMFactory"
	chattr -i "$T"
else
	echo "ok - an immutable tree (skipped: chattr +i not possible here)"
fi
# a read-only file system: a bind mount made read-only, in a mount namespace
mkdir -m 700 "$TMP/ro"
cp "$T" "$TMP/ro/dmtree.db"
cat >"$TMP/ro.sh" <<EOF
mount --bind $TMP/ro $TMP/ro && mount -o remount,bind,ro $TMP/ro || exit 99
$UB --tree $TMP/ro/dmtree.db tree import $F/factory-image.xml >/dev/null 2>$TMP/err-w; echo \$?
$UB --tree $TMP/ro/new.db tree import $F/factory-image.xml >/dev/null 2>$TMP/err-n; echo \$?
$UB --tree $TMP/ro/dmtree.db tree list >/dev/null 2>$TMP/err-r; echo \$?
EOF
out=$(unshare --mount --propagation private sh "$TMP/ro.sh" 2>&1 | tr '\n' ' ')
check "a read-only file system: writes 73, a new tree 73, a read 66 (SQLite's -shm cannot be made)" sh -c \
	"[ '$out' = '73 73 66 ' ] && grep -q 'dmtree.db: cannot be written: it is on a read-only file system' $TMP/err-w &&
	 grep -q 'cannot create $TMP/ro/new.db: $TMP/ro is on a read-only file system' $TMP/err-n &&
	 grep -q 'cannot be read here: SQLite needs to create its -shm' $TMP/err-r"

# --- an I/O error: a full file system ---
python3 tests/bench/gen_tnds.py "$TMP/big.xml" s 900
cat >"$TMP/full.sh" <<EOF
mount -t tmpfs -o size=160k,mode=0700 tmpfs $TMP/full || exit 99
$UB --tree $TMP/full/t.db tree import $TMP/big.xml >/dev/null 2>$TMP/err; echo \$?
$UB --tree $TMP/full/t.db tree list >/dev/null 2>&1; echo \$?
EOF
mkdir -m 700 "$TMP/full"
out=$(unshare --mount --propagation private sh "$TMP/full.sh" 2>&1 | tr '\n' ' ')
check "an import into a full file system: 74 (I/O), nothing half-applied (the tree reads)" eq "$out" "74 0 "

# --- the codes, in the usage text ---
check "--help lists the exit codes" sh -c \
	"$UB --help | tr '\n' ' ' | grep -q '66 no input.*73 cannot create.*74 I/O.*78 configuration'"
done_testing
