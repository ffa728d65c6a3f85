#!/bin/bash
# make stress: the long forms of the robustness tests (minutes, not part of
# make check, which runs the short forms):
#   - the removal and reset sweeps on the demo card over T=1 and T=0
#   - kill -9 during an apply, 1000 times
#   - the whole test suite under valgrind
#   - every libFuzzer target for FUZZ_SECONDS (default 60) each
set -u
cd "$(dirname "$0")/.."
W=$(mktemp -d /tmp/uiccboot-stress.XXXXXX)
trap 'rm -rf "$W"' EXIT
cp -r tests/profiles/boot "$W/"
for p in T0 T1; do
	sed "s/^protocol = .*/protocol = $p/" tests/profiles/demo.conf >"$W/demo-$p.conf"
done
status=0
echo "### sweeps (T=0 and T=1) and 1000 kills"
UB_SWEEP_PROFILES="$W/demo-T0.conf $W/demo-T1.conf" UB_CRASH_RUNS=1000 \
	tests/run-integration.sh t_sweep t_tree || status=1
echo "### the test suite under valgrind"
tests/valgrind.sh || status=1
echo "### fuzzing, ${FUZZ_SECONDS:-60} s per target"
tests/fuzz/run.sh "${FUZZ_SECONDS:-60}" || status=1
echo "stress: $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
