#!/bin/bash
# The test lab: pcscd with vsmartcard-vpcd readers and uicc-sim cards.
#
#   tests/lab.sh start [READERS]          pcscd with READERS vpcd slots (default 2);
#                                         reuses a running pcscd that has vpcd readers
#   tests/lab.sh sim SLOT PROFILE [ARGS]  start uicc-sim in SLOT (0..), wait for the card
#   tests/lab.sh simstop SLOT             stop that simulator, wait for the empty reader
#   tests/lab.sh reader SLOT              print the reader name of SLOT
#   tests/lab.sh stop                     stop what this lab started, by PID, nothing else
#
# Environment: UB_LAB_DIR (state, default /tmp/uiccboot-lab), UB_VPCD_PORT (first
# vpcd port, default 35963), UB_BUILD (binaries, default build), UB_SLOT_BASE
# (added to every SLOT of sim, simstop and reader: a test runner's worker that
# owns slots BASE and BASE+1 of a shared pcscd, with a UB_LAB_DIR of its own,
# runs a test written for slots 0 and 1 unchanged).
set -euo pipefail
LAB=${UB_LAB_DIR:-/tmp/uiccboot-lab}
PORT=${UB_VPCD_PORT:-35963}
BASE=${UB_SLOT_BASE:-0}
BUILD=${UB_BUILD:-build}
SIM=${UB_SIM:-$BUILD/uicc-sim}
mkdir -p "$LAB"

die() { echo "lab: $*" >&2; exit 1; }

# pcscd numbers readers of the same FRIENDLYNAME per driver instance, so every
# vpcd block (two slots, one port each) gets a name of its own
block_name() { if [ "$1" = 0 ]; then echo "Virtual PCD"; else echo "Virtual PCD $1"; fi; }
VPCD_LIB=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
reader_name() { printf '%s 00 %02d' "$(block_name $(($1 / 2)))" $(($1 % 2)); }

# The readers and whether each holds a card, "Yes|NAME" or "No|NAME" a
# line, as pcscd's reader states say (opensc-tool -l connects to no card:
# polling never powers on, nor logs into, a card another test is using,
# as `uiccboot readers`, which asks each card for its protocol, would).
readers_states() {
	opensc-tool -l 2>/dev/null | awk '
		/^Nr\. / { c = index($0, "Card"); n = index($0, "Name"); next }
		c && n { s = substr($0, c, 3); sub(/ +$/, "", s); print s "|" substr($0, n) }'
}
has_reader() { readers_states | awk -F'|' -v r="$1" '$2 == r { f = 1 } END { exit !f }'; }

# Is there a reader named $1 with (want=true) or without (false) a card?
reader_state() {
	local want=No
	[ "$2" = true ] && want=Yes
	readers_states | grep -qxF "$want|$1"
}

# wait_state NAME true|false MS: wait up to MS milliseconds (0: one look)
# for the reader NAME to hold a card (true) or be empty (false).  pcsc-wait
# sleeps in pcscd until the state changes; without it, a look every 50 ms.
# (the plain build's: a sanitizer's start-up costs 13 ms of CPU a wait)
WAITER=build/pcsc-wait
[ -x "$WAITER" ] || WAITER=$BUILD/pcsc-wait
wait_state() {
	local want=absent i
	[ "$2" = true ] && want=present
	if [ -x "$WAITER" ]; then
		"$WAITER" "$1" $want "$3"
		return
	fi
	for ((i = 0; i <= $3 / 50; i++)); do
		reader_state "$1" "$2" && return 0
		[ "$3" = 0 ] || sleep 0.05
	done
	return 1
}

pcscd_alive() { [ -S /run/pcscd/pcscd.comm ] && pgrep -x pcscd >/dev/null; }

start() {
	local n=${1:-2} blocks i
	if pcscd_alive; then
		if has_reader "$(reader_name $((n - 1)))"; then
			echo "lab: reusing running pcscd (pid $(pgrep -x pcscd | head -1))"
			return 0
		fi
		if [ -f "$LAB/pcscd.pid" ]; then
			stop_pcscd # ours, but with too few readers
		else
			die "a pcscd not started by this lab is running without $n vpcd readers; stop it first"
		fi
	fi
	mkdir -p "$LAB/reader.conf.d"
	: >"$LAB/reader.conf.d/vpcd"
	blocks=$(((n + 1) / 2))
	for ((i = 0; i < blocks; i++)); do
		# the vpcd driver keeps its two slots in global state: a second
		# block loaded from the same file would share them, so every
		# block beyond the first loads its own copy of the library
		lib=$VPCD_LIB
		if [ $i -gt 0 ]; then
			mkdir -p "$LAB/drivers"
			lib=$LAB/drivers/libifdvpcd-$i.so
			cp "$VPCD_LIB" "$lib"
		fi
		printf 'FRIENDLYNAME "%s"\nDEVICENAME /dev/null:0x%X\nLIBPATH %s\nCHANNELID 0x%X\n\n' \
			"$(block_name $i)" $((PORT + 2 * i)) "$lib" $((PORT + 2 * i)) >>"$LAB/reader.conf.d/vpcd"
	done
	rm -f /run/pcscd/pcscd.comm
	pcscd -f -c "$LAB/reader.conf.d" >"$LAB/pcscd.log" 2>&1 &
	echo $! >"$LAB/pcscd.pid"
	for ((i = 0; i < 100; i++)); do
		if has_reader "$(reader_name $((n - 1)))"; then
			echo "lab: started pcscd (pid $(cat "$LAB/pcscd.pid")) with $n vpcd readers"
			return 0
		fi
		sleep 0.1
	done
	stop_pcscd
	die "pcscd did not come up with $n readers; see $LAB/pcscd.log"
}

sim() {
	local slot=$1 profile=$2 name i try
	shift 2
	name=$(reader_name $((slot + BASE)))
	[ -f "$LAB/sim$slot.pid" ] && simstop "$slot"
	wait_state "$name" true 0 &&
		die "\"$name\" already holds a card that this lab did not start (stop that simulator first)"
	for try in 1 2; do
		"$SIM" --profile "$profile" --vpcd "127.0.0.1:$((PORT + BASE + slot))" --reader "$name" \
			--log "$LAB/sim$slot.log" "$@" >/dev/null 2>"$LAB/sim$slot.err" &
		echo $! >"$LAB/sim$slot.pid"
		for ((i = 0; i < 20; i++)); do
			wait_state "$name" true 250 && return 0
			kill -0 "$(cat "$LAB/sim$slot.pid")" 2>/dev/null ||
				die "uicc-sim exited: $(cat "$LAB/sim$slot.err")"
		done
		# seen once in make check after a reset fault: pcscd did not take
		# the new simulator's connection; say so and try once more
		echo "lab: no card in \"$name\" after 5 s (try $try; uicc-sim says: $(tr '\n' ' ' <"$LAB/sim$slot.err"))" >&2
		simstop "$slot"
	done
	die "no card in \"$name\""
}

# Running, and not a zombie: an orphan is reaped only when PID 1 gets to it
# (about a second in some containers).
alive() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

simstop() {
	local slot=$1 pid i
	[ -f "$LAB/sim$slot.pid" ] || return 0
	pid=$(cat "$LAB/sim$slot.pid")
	kill "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		alive "$pid" || break
		sleep 0.02
	done
	rm -f "$LAB/sim$slot.pid"
	wait_state "$(reader_name $((slot + BASE)))" false 5000 || true
}

stop_pcscd() {
	local pid i
	pid=$(cat "$LAB/pcscd.pid")
	kill "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		alive "$pid" || break
		sleep 0.02
	done
	rm -f "$LAB/pcscd.pid"
}

stop() {
	local f
	for f in "$LAB"/sim*.pid; do
		[ -e "$f" ] || continue
		f=${f##*/sim}
		simstop "${f%.pid}"
	done
	[ -f "$LAB/pcscd.pid" ] && stop_pcscd
	return 0
}

case "${1:-}" in
start) start "${2:-2}" ;;
sim) shift; sim "$@" ;;
simstop) simstop "$2" ;;
reader) reader_name $(($2 + BASE)); echo ;;
stop) stop ;;
*) sed -n '2,13p' "$0" >&2; exit 64 ;;
esac
