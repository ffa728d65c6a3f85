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
say "uiccboot bootstrap --dry-run: the card's DM Bootstrap, decoded and checked"
$UB -r "$R" bootstrap --dry-run
say "uiccboot gba bootstrap + naf-key: GBA_U with the card's keys"
$UB -r "$R" gba bootstrap --rand 23553cbe9637a89d218ae64dae47bf35 \
	--autn 55f328b43577b9b94a9ffac354dfafb3 --bsf bsf.example.org
$UB -r "$R" gba naf-key --naf dm.operator.example --ua 0300000099
echo
echo "Applying to the device tree (R-BOOT 6-9) is not implemented yet; the commands"
echo "above verify and show what would be applied. The lab is stopped on exit;"
echo "to keep exploring:  tests/lab.sh start; tests/lab.sh sim 0 tests/profiles/demo.conf"
