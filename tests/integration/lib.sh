# Helpers for integration tests: TAP-like "ok - x" / "not ok - x" lines.
# shellcheck shell=bash
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
UB_BUILD=${UB_BUILD:-build}
# Debian's python3 (tests/deps.sh installs it) before a version manager's
# shim on PATH: a pyenv shim is a chain of shell scripts that costs about
# 0.5 s of CPU a call, and the tests call python3 over a thousand times
[ -x /usr/bin/python3 ] && PATH=/usr/bin:$PATH
UB=$UB_BUILD/uiccboot
LAB=tests/lab.sh
LABDIR=${UB_LAB_DIR:-/tmp/uiccboot-lab}
R0=$($LAB reader 0)
R1=$($LAB reader 1)
# run beside other tests on one pcscd (tests/run-integration.sh): a command
# without -r takes this worker's reader, never another test's card
[ -n "${UB_LAB_SHARED:-}" ] && export UICCBOOT_READER=$R0
TMP=$(mktemp -d)
trap 'modem_stop; rm -rf "$TMP"' EXIT
# no test reads or writes the machine's own tree: a command without
# --tree (a dry run too, which decides against the tree) gets this one
export UICCBOOT_TREE=$TMP/default-tree.db

# check "description" command...: runs the command, ok when it exits 0.
check() {
	local d=$1
	shift
	if "$@" >"$TMP/check.out" 2>&1; then
		echo "ok - $d"
	else
		echo "not ok - $d"
		sed 's/^/#   /' "$TMP/check.out" | head -20 | sed 's/^#/ /'
	fi
}

# eq A B: equal strings, else say what differs.
eq() {
	[ "$1" = "$2" ] && return 0
	echo "expected: '$2'"
	echo "got:      '$1'"
	return 1
}

# jq-like lookup in JSON from stdin with a Python expression on d.
jget() { python3 -c "import json,sys; d=json.load(sys.stdin); v=$1; print(json.dumps(v) if isinstance(v,(dict,list,bool)) or v is None else v)"; }

# hex with a space between bytes, for scriptor
spaced() { echo "$1" | sed 's/ //g; s/../& /g; s/ $//'; }

# scriptor: send APDUs (args, hex) to reader $R; print the responses, one a line, spaceless lowercase
apdus() {
	local r=$1 a
	shift
	for a in "$@"; do spaced "$a"; done >"$TMP/script"
	scriptor -r "$r" "$TMP/script" 2>&1 | awk '
		/^< / { resp = ""; sub(/^< /, ""); collecting = 1 }
		collecting { line = $0; sub(/ : .*/, "", line); resp = resp " " line
			if ($0 ~ / : /) { gsub(/ /, "", resp); print tolower(resp); collecting = 0 } }'
}

# The test modem (uicc-modem) in front of slot 0's card, its pty at $TMP/modem
# (the reader spec $M), its AT log in $ML; $MODEM_ARGS go to every start.
MODEM=$UB_BUILD/uicc-modem
M=at:$TMP/modem
ML=$TMP/modem.log
MODEM_ARGS=
MPID=
modem_stop() {
	if [ -n "$MPID" ]; then
		kill "$MPID" 2>/dev/null
		wait "$MPID" 2>/dev/null
	fi
	MPID=
	rm -f "$TMP/modem"
}
# modem_start [uicc-modem options]
modem_start() {
	local i
	modem_stop
	: >"$ML"
	# shellcheck disable=SC2086
	$MODEM --reader "$R0" --link "$TMP/modem" --log "$ML" $MODEM_ARGS "$@" \
		>"$TMP/modem.out" 2>"$TMP/modem.err" &
	MPID=$!
	for ((i = 0; i < 100; i++)); do
		[ -e "$TMP/modem" ] && return 0
		sleep 0.05
	done
	echo "# uicc-modem did not come up: $(cat "$TMP/modem.err")"
}

# kill -9 PID (a child of this shell) once the test modem holds an answer
# back (its fault hold:K: "# held" in its log ML), then reap it
kill_when_held() {
	local i
	for ((i = 0; i < 200; i++)); do
		grep -q '^# held' "$ML" && break
		sleep 0.02
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

done_testing() { echo "DONE"; }
