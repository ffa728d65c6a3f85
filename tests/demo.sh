#!/bin/bash
# make demo: pcscd + vpcd + the demo card, then what uiccboot sees on it.
set -eu
cd "$(dirname "$0")/.."
export UB_LAB_DIR=${UB_LAB_DIR:-/tmp/uiccboot-demo}
UB=build/uiccboot
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

tests/lab.sh start 2
trap 'tests/lab.sh stop >/dev/null' EXIT
tests/lab.sh sim 0 tests/profiles/demo.conf
R=$(tests/lab.sh reader 0)

say "uiccboot readers"
$UB readers
say "uiccboot -r '$R' --reset info"
$UB -r "$R" --reset info
say "the same as JSON (note \"apdus\")"
$UB -r "$R" --json info
say "APDU trace (scriptor format; secrets would show as XX)"
$UB -r "$R" --reset -v info 2>&1 >/dev/null | head -12
echo
echo "The power-on bootstrap into the device tree (R-BOOT) is not implemented yet;"
echo "this demo shows the card layer it will build on. The lab is stopped on exit;"
echo "to keep exploring:  tests/lab.sh start; tests/lab.sh sim 0 tests/profiles/demo.conf"
