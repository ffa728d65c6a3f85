#!/bin/bash
# Integration tests through pcscd + vsmartcard-vpcd + uicc-sim.
# Each tests/integration/t_*.sh prints "ok - ..." / "not ok - ..." lines.
# Usage: tests/run-integration.sh [t_name ...]; UB_BUILD picks the binaries.
set -u
cd "$(dirname "$0")/.."
export UB_BUILD=${UB_BUILD:-build}
export UB_LAB_DIR=${UB_LAB_DIR:-/tmp/uiccboot-lab.$$}
tests/lab.sh start 2 || exit 1
trap 'tests/lab.sh stop; rm -rf "$UB_LAB_DIR"' EXIT
pass=0 fail=0
if [ $# -gt 0 ]; then
	list=$(for t in "$@"; do echo tests/integration/$t.sh; done)
else
	list=$(ls tests/integration/t_*.sh)
fi
for t in $list; do
	echo "== ${t##*/}"
	out=$(bash "$t" 2>&1)
	echo "$out" | grep -v '^#' | sed 's/^/  /'
	p=$(echo "$out" | grep -c '^ok ')
	f=$(echo "$out" | grep -c '^not ok ')
	if ! echo "$out" | grep -q '^DONE'; then
		echo "  not ok - ${t##*/} did not finish"
		f=$((f + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	tests/lab.sh simstop 0 >/dev/null 2>&1
	tests/lab.sh simstop 1 >/dev/null 2>&1
done
echo "integration: $pass passed, $fail failed"
[ $fail -eq 0 ]
