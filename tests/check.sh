#!/bin/bash
# make check: format, normal build + unit tests, sanitizer build (ASan+UBSan)
# + unit tests, unit tests under valgrind, fuzz corpus replay, then the
# integration tests with the sanitizer binaries (including the short forms
# of the removal/reset sweeps and the kill -9 crash loop).
#
# Everything after the normal build runs at once, each phase into a file of
# its own: unit, the ABI, valgrind and the fuzz replay at once; the
# sanitizer build, then its unit tests and the integration tests (the one
# lab, several tests at a time: tests/run-integration.sh).  The outputs are
# printed in a fixed order when all are done.  Warnings are errors here
# (WERROR), not in a user's make.
set -u
cd "$(dirname "$0")/.."
J=-j$(nproc)
export WERROR=-Werror
L=build/check
rm -rf "$L" && mkdir -p "$L"
total_p=0 total_f=0 status=0
count() { # $1: output with an "X: N passed, N failed" line; $2: the step's exit code
	local l p f
	l=$(echo "$1" | grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed$' | tail -1)
	p=$(echo "$l" | awk '{print $2}')
	f=$(echo "$l" | awk '{print $4}')
	total_p=$((total_p + ${p:-0}))
	total_f=$((total_f + ${f:-0}))
	if [ "$2" -ne 0 ] || [ -z "$l" ]; then
		echo "check: step failed (exit $2)"
		status=1
	fi
}
step() { echo "### $*"; }
now() { date +%s; }
t_start=$(now)

step "format"
make -s format-check || status=1
step "build"
make -s $J all unit-bins || { echo "check: build failed"; exit 1; }

# --- the phases, at once; phase NAME CMD... ---
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
phase() {
	local name=$1
	shift
	(
		t0=$(now)
		"$@" >"$L/$name.out" 2>&1
		echo $? >"$L/$name.rc"
		echo $(($(now) - t0)) >"$L/$name.secs"
	) &
}
# the sanitizer build first: its unit tests and the integration tests
# both wait for it (a marker file says how it ended)
asan_build() {
	if make -s $J all unit-bins B=build/asan CFLAGS="-O1 -g" EXTRA_CFLAGS="$SAN" LDFLAGS="$SAN"; then
		touch "$L/asan.built"
	else
		touch "$L/asan.broken"
		echo "check: sanitizer build failed"
		return 1
	fi
}
asan_wait() {
	while [ ! -e "$L/asan.built" ] && [ ! -e "$L/asan.broken" ]; do sleep 1; done
	[ -e "$L/asan.built" ] || { echo "check: no sanitizer build"; return 1; }
}
asan() {
	asan_build || return 1
	make -s $J check-unit B=build/asan CFLAGS="-O1 -g" EXTRA_CFLAGS="$SAN" LDFLAGS="$SAN"
}
integration() {
	asan_wait || return 1
	UB_BUILD=build/asan tests/run-integration.sh
}
# The sanitizer build and then the integration tests are the longest
# path: they run at normal priority, the other phases at nice 10, in the
# CPU time those two leave (on 2 cores: 7.5 minutes instead of 9)
phase asan asan
phase integration integration
phase layers nice -n 10 tests/layers.sh
phase unit nice -n 10 make -s check-unit
phase abi nice -n 10 tests/abi.sh
phase valgrind nice -n 10 tests/valgrind.sh unit
phase fuzz nice -n 10 tests/fuzz/run.sh replay
wait
title() {
	case $1 in
	layers) echo "layers: includes and calls only go down, no circles; each header its own folder's; the CLI a client of the public API" ;;
	unit) echo "unit tests" ;;
	abi) echo "the library's exports: the public headers' functions, nothing else; headers as C and C++" ;;
	asan) echo "sanitizer build (ASan + UBSan) and the unit tests under it" ;;
	valgrind) echo "unit tests under valgrind (memcheck: errors and leaks)" ;;
	fuzz) echo "fuzz targets: replay of the checked-in corpora" ;;
	integration) echo "integration tests (pcscd + vpcd + uicc-sim, sanitizer binaries)" ;;
	esac
}
for p in layers unit abi asan valgrind fuzz integration; do # the order they are read in
	step "$(title "$p") ($(cat "$L/$p.secs") s)"
	out=$(grep -v '^  \(CC\|LD\) ' "$L/$p.out")
	echo "$out"
	if [ "$p" = layers ]; then # a verdict, not a count
		[ "$(cat "$L/$p.rc")" = 0 ] || { echo "check: step failed"; status=1; }
	else
		count "$out" "$(cat "$L/$p.rc")"
	fi
done
[ $total_f -eq 0 ] || status=1
[ $total_p -gt 0 ] || status=1
echo "check: $total_p passed, $total_f failed ($(($(now) - t_start)) s)"
exit $status
