#!/bin/bash
# Integration tests through pcscd + vsmartcard-vpcd + uicc-sim.
# Each tests/integration/t_*.sh prints "ok - ..." / "not ok - ..." lines
# and DONE at its end.
#
# The tests run UB_IT_JOBS at a time (default 3) on the one pcscd of the
# machine: worker W owns the reader slots 2W and 2W+1 (UB_SLOT_BASE: a test
# written for slots 0 and 1 runs unchanged), a lab directory of its own, and
# its commands without -r take its reader (UICCBOOT_READER), never another
# test's card.  A test marked "# lab: alone" near its top (it counts or
# takes every reader of the pcscd) runs after them, by itself; the ones
# marked "# lab: long" start first.  The output is printed in the order of
# the list, a test's lines together.
#
# With a sanitizer build, LeakSanitizer's check at every exit costs about
# 0.1 s of CPU a process (a short command takes 0.06 s without it), so it
# runs in the tests marked "# lab: leaks" (t_cli runs every command on
# its success and its failure path) and not in the others; the unit tests
# under ASan and valgrind check leaks in full.
#
# Usage: tests/run-integration.sh [t_name ...]; UB_BUILD picks the binaries.
set -u
cd "$(dirname "$0")/.."
export UB_BUILD=${UB_BUILD:-build}
export UB_LAB_DIR=${UB_LAB_DIR:-/tmp/uiccboot-lab.$$}
JOBS=${UB_IT_JOBS:-3}
if [ $# -gt 0 ]; then
	list=$(for t in "$@"; do echo tests/integration/$t.sh; done)
else
	list=$(ls tests/integration/t_*.sh)
fi
marked() { sed -n 1,20p "$1" | grep -q "^# lab: $2"; }
shared=() alone=()
# the long ones ("# lab: long") first: the last to start are short, so
# the workers end at about the same time
for t in $list; do
	if marked "$t" alone; then alone+=("$t"); elif marked "$t" long; then shared+=("$t"); fi
done
for t in $list; do
	marked "$t" alone || marked "$t" long || shared+=("$t")
done
[ ${#shared[@]} -lt "$JOBS" ] && JOBS=${#shared[@]}
[ "$JOBS" -lt 1 ] && JOBS=1
tests/lab.sh start $((2 * JOBS)) || exit 1
trap 'tests/lab.sh stop; rm -rf "$UB_LAB_DIR"' EXIT
OUT=$UB_LAB_DIR/out
mkdir -p "$OUT"

# run_one TEST [WORKER]: the test's output and seconds into $OUT
run_one() {
	local t=$1 name=${1##*/} t0 asan=${ASAN_OPTIONS:-}
	t0=$(date +%s)
	marked "$t" leaks || asan=${asan:+$asan:}detect_leaks=0
	( # a subshell: what times says of its children is this test's
		if [ $# -gt 1 ]; then
			ASAN_OPTIONS=$asan UB_SLOT_BASE=$((2 * $2)) UB_LAB_DIR=$UB_LAB_DIR/w$2 UB_LAB_SHARED=1 \
				bash "$t" >"$OUT/$name.out" 2>&1
		else
			ASAN_OPTIONS=$asan bash "$t" >"$OUT/$name.out" 2>&1
		fi
		# the CPU seconds (user + sys) of the test and of what it waited for
		# (times itself, not in a pipe: a pipe's subshell has no children)
		times >"$OUT/$name.times"
		awk 'NR == 2 { for (i = 1; i <= 2; i++) { sub(/s$/, "", $i); split($i, m, "m"); c += m[1] * 60 + m[2] } printf "%.1f\n", c }' "$OUT/$name.times" >"$OUT/$name.cpu"
	)
	echo $(($(date +%s) - t0)) >"$OUT/$name.secs"
	UB_SLOT_BASE=$((2 * ${2:-0})) UB_LAB_DIR=$UB_LAB_DIR${2:+/w$2} tests/lab.sh simstop 0 >/dev/null 2>&1
	UB_SLOT_BASE=$((2 * ${2:-0})) UB_LAB_DIR=$UB_LAB_DIR${2:+/w$2} tests/lab.sh simstop 1 >/dev/null 2>&1
}

# worker W: takes the next test of the shared list until none is left
worker() {
	local i
	while :; do
		i=$(flock "$OUT/next" sh -c 'n=$(cat "$1"); n=${n:-0}; echo $((n + 1)) >"$1"; echo "$n"' _ "$OUT/next")
		[ "$i" -lt ${#shared[@]} ] || return 0
		run_one "${shared[$i]}" "$1"
	done
}

for ((w = 0; w < JOBS; w++)); do worker $w & done
wait
for t in "${alone[@]}"; do run_one "$t"; done

pass=0 fail=0
for t in $list; do
	name=${t##*/}
	echo "== $name ($(cat "$OUT/$name.secs" 2>/dev/null || echo '?') s, $(cat "$OUT/$name.cpu" 2>/dev/null || echo '?') s CPU)"
	out=$(cat "$OUT/$name.out" 2>/dev/null)
	echo "$out" | grep -v '^#' | sed 's/^/  /'
	p=$(echo "$out" | grep -c '^ok ')
	f=$(echo "$out" | grep -c '^not ok ')
	if ! echo "$out" | grep -q '^DONE'; then
		echo "  not ok - $name did not finish"
		f=$((f + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "($JOBS tests at a time, then ${#alone[@]} alone)"
echo "integration: $pass passed, $fail failed"
[ $fail -eq 0 ]
