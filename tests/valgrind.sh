#!/bin/bash
# make valgrind: the tests under valgrind (memcheck), which fails on any
# error or definite/indirect leak.
#   tests/valgrind.sh unit          the unit tests (part of make check)
#   tests/valgrind.sh [t_name ...]  the unit tests, then the integration tests
#                                   with uiccboot and uicc-sim under valgrind
set -u
cd "$(dirname "$0")/.."
V=build/valgrind
rm -rf "$V" && mkdir -p "$V/logs"
make -s -j"$(nproc)" all $(ls tests/unit/test_*.c | sed 's|tests/unit/\(.*\)\.c|build/tests/\1|') ||
	exit 1
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
	--error-exitcode=99 --log-file="$PWD/$V/logs/%p.log")
pass=0 fail=0
for t in build/tests/test_*; do
	if "${VG[@]}" "$t" >"$V/$(basename "$t").out" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "not ok - $t under valgrind"
		tail -20 "$V/$(basename "$t").out"
	fi
done
if [ "${1:-}" != unit ]; then
	# the binaries the integration tests use, each run under valgrind
	for b in uiccboot uicc-sim; do
		printf '#!/bin/sh\nexec %s %s "$@"\n' "${VG[*]}" "$PWD/build/$b" >"$V/$b"
		chmod +x "$V/$b"
	done
	# valgrind is ~30x slower: fewer kills in the crash loop (each one is
	# still a full apply); make stress runs the long forms without it
	UB_CRASH_RUNS=${UB_CRASH_RUNS:-10} UB_BUILD=$V tests/run-integration.sh "$@" | tee "$V/integration.out"
	rc=${PIPESTATUS[0]}
	pass=$((pass + $(grep -c '^  ok ' "$V/integration.out")))
	[ $rc = 0 ] || fail=$((fail + 1))
fi
# TIOCEXCL and TIOCNXCL (ioctls 0x540c, 0x540d: the modem port's exclusive
# lock) take no argument, and valgrind has no wrapper for them: its warning
# of the three lines below is no report of ours
for f in "$V"/logs/*.log; do
	[ -s "$f" ] || continue
	awk '/Warning: noted but unhandled ioctl 0x540[cd] /{skip=2; next}
	     skip && /This could cause|See README_MISSING_SYSCALL/{skip--; next}
	     {skip=0; print}' "$f" >"$f.kept" && mv "$f.kept" "$f"
done
# every process writes its own log; an empty log is a clean run
bad=$(find "$V/logs" -name '*.log' -size +0 | wc -l)
if [ "$bad" -gt 0 ]; then
	fail=$((fail + bad))
	for f in $(find "$V/logs" -name '*.log' -size +0 | head -5); do
		echo "# $f:"
		head -30 "$f"
	done
fi
echo "# $(ls "$V/logs" | wc -l) processes checked, $bad with reports"
echo "valgrind: $pass passed, $fail failed"
[ $fail -eq 0 ]
