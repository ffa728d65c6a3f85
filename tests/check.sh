#!/bin/bash
# make check: format, normal build + unit tests, sanitizer build (ASan+UBSan)
# + unit tests, unit tests under valgrind, fuzz corpus replay, then the
# integration tests with the sanitizer binaries (including the short forms
# of the removal/reset sweeps and the kill -9 crash loop).
set -u
cd "$(dirname "$0")/.."
J=-j$(nproc)
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

step "format"
make -s format-check || status=1
step "build"
make -s $J all || { echo "check: build failed"; exit 1; }
step "layers: includes and calls only go down, no circles"
tests/layers.sh || status=1
step "unit tests"
out=$(make -s $J check-unit 2>&1); rc=$?; echo "$out"; count "$out" $rc
step "the library's exports: the public headers' functions, nothing else; headers as C and C++"
out=$(tests/abi.sh 2>&1); rc=$?; echo "$out"; count "$out" $rc

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
step "sanitizer build (ASan + UBSan)"
make -s $J all B=build/asan CFLAGS="-O1 -g" EXTRA_CFLAGS="$SAN" LDFLAGS="$SAN" ||
	{ echo "check: sanitizer build failed"; exit 1; }
step "unit tests under ASan + UBSan"
out=$(make -s $J check-unit B=build/asan CFLAGS="-O1 -g" EXTRA_CFLAGS="$SAN" LDFLAGS="$SAN" 2>&1)
rc=$?; echo "$out"; count "$out" $rc

step "unit tests under valgrind (memcheck: errors and leaks)"
out=$(tests/valgrind.sh unit 2>&1); rc=$?; echo "$out" | grep -v '^  \(CC\|LD\) '; count "$out" $rc

step "fuzz targets: replay of the checked-in corpora"
out=$(tests/fuzz/run.sh replay 2>&1); rc=$?; echo "$out"; count "$out" $rc

step "integration tests (pcscd + vpcd + uicc-sim, sanitizer binaries)"
out=$(UB_BUILD=build/asan tests/run-integration.sh 2>&1); rc=$?; echo "$out"; count "$out" $rc

[ $total_f -eq 0 ] || status=1
[ $total_p -gt 0 ] || status=1
echo "check: $total_p passed, $total_f failed"
exit $status
