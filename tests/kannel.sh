#!/bin/bash
# Kannel on loopback, as the independent SMS/WAP push peer of the wire tests:
# bearerbox with a fake SMSC, smsbox (sendsms, sendota, an sms-service that
# hands MO messages to a capture endpoint), wapbox with the PPG (PAP), and
# fakesmsc as the "handset" side that prints every MT message it receives.
#
#   tests/kannel.sh start    write the configuration, start everything, wait until up
#   tests/kannel.sh stop     stop what start started, by PID, nothing else
#   tests/kannel.sh env      print the ports and files (KANNEL_*=...) for a test to source
#   tests/kannel.sh mo FILE  send each line of FILE ("SENDER RECEIVER udh-data UDH DATA",
#                            fakesmsc's message syntax) as a mobile-originated SMS, in order
#
# Environment: UB_KANNEL_DIR (state, default ${UB_LAB_DIR:-/tmp/uiccboot-lab}/kannel),
# UB_KANNEL_BASE (first port, default 23000; the others follow), UB_KANNEL_USER /
# UB_KANNEL_PASSWORD (the sendsms user).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${UB_KANNEL_DIR:-${UB_LAB_DIR:-/tmp/uiccboot-lab}/kannel}
BASE=${UB_KANNEL_BASE:-23000}
ADMIN=$((BASE)) SMSBOX=$((BASE + 1)) WAPBOX=$((BASE + 2)) FAKE=$((BASE + 3))
SENDSMS=$((BASE + 13)) PPG=$((BASE + 80)) CAPTURE=$((BASE + 90))
USER_=${UB_KANNEL_USER:-tester}
PASS=${UB_KANNEL_PASSWORD:-testerpw}
ADMINPW=adminpw
FAKESMSC=/usr/lib/kannel/test/fakesmsc
KANNEL_PROCS="capture bearerbox smsbox wapbox fakesmsc"

die() { echo "kannel: $*" >&2; exit 1; }

status() { curl -s --max-time 2 "http://127.0.0.1:$ADMIN/status.txt?password=$ADMINPW" 2>/dev/null || true; }

# wait_for WHAT CMD...: poll CMD (at most 10 s, every 0.1 s)
wait_for() {
	local what=$1 i
	shift
	for ((i = 0; i < 100; i++)); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	stop
	die "$what did not come up; logs in $DIR"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

config() {
	cat >"$DIR/kannel.conf" <<CONF
group = core
admin-port = $ADMIN
admin-password = $ADMINPW
status-password = $ADMINPW
admin-allow-ip = "127.0.0.1"
smsbox-port = $SMSBOX
wapbox-port = $WAPBOX
box-allow-ip = "127.0.0.1"
log-file = "$DIR/bearerbox.log"
log-level = 0
access-log = "$DIR/access.log"
sms-combine-concatenated-mo = true

group = smsc
smsc = fake
smsc-id = fake
port = $FAKE
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = $SENDSMS
sendsms-interface = 127.0.0.1
global-sender = 1234
log-file = "$DIR/smsbox.log"
log-level = 0
mo-recode = false

group = sendsms-user
username = $USER_
password = $PASS
max-messages = 10
concatenation = true

group = sms-service
keyword = default
get-url = "http://127.0.0.1:$CAPTURE/mo?from=%p&to=%P&udh=%u&data=%b&coding=%c"
catch-all = true
max-messages = 0
omit-empty = true

group = wapbox
bearerbox-host = 127.0.0.1
log-file = "$DIR/wapbox.log"
log-level = 0
syslog-level = none

group = ppg
ppg-port = $PPG
ppg-url = /wappush
ppg-allow-ip = "127.0.0.1"
trusted-pi = true
concurrent-pushes = 10
users = 10
global-sender = 1234
service-name = ppg
CONF
	cat >"$DIR/env" <<ENV
KANNEL_DIR=$DIR
KANNEL_SENDSMS=http://127.0.0.1:$SENDSMS/cgi-bin/sendsms
KANNEL_SENDOTA=http://127.0.0.1:$SENDSMS/cgi-bin/sendota
KANNEL_PPG=http://127.0.0.1:$PPG/wappush
KANNEL_USER=$USER_
KANNEL_PASSWORD=$PASS
KANNEL_FAKE_PORT=$FAKE
KANNEL_MT=$DIR/fakesmsc.out
KANNEL_MO=$DIR/mo.txt
ENV
}

running() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

launch() { # launch NAME CMD...: in the background, PID recorded
	local name=$1
	shift
	"$@" >"$DIR/$name.out" 2>&1 &
	echo $! >"$DIR/$name.pid"
}

start() {
	local p
	command -v bearerbox >/dev/null || [ -x /usr/sbin/bearerbox ] || die "bearerbox missing: apt-get install kannel"
	[ -x "$FAKESMSC" ] || die "fakesmsc missing: apt-get install kannel-extras"
	for p in $KANNEL_PROCS; do
		running "$p" && die "already running ($p, pid $(cat "$DIR/$p.pid")); tests/kannel.sh stop first"
	done
	mkdir -p "$DIR"
	rm -f "$DIR"/*.log "$DIR/mo.txt" "$DIR/fakesmsc.out"
	: >"$DIR/mo.txt"
	config
	launch capture python3 tests/integration/kannel_capture.py "$CAPTURE" "$DIR/mo.txt"
	wait_for "the MO capture endpoint" port_open "$CAPTURE"
	launch bearerbox /usr/sbin/bearerbox -v 0 "$DIR/kannel.conf"
	wait_for bearerbox sh -c "curl -sf --max-time 1 'http://127.0.0.1:$ADMIN/status.txt?password=$ADMINPW' | grep -q 'Status: running'"
	launch smsbox /usr/sbin/smsbox -v 0 "$DIR/kannel.conf"
	wait_for smsbox port_open "$SENDSMS"
	launch wapbox /usr/sbin/wapbox -v 0 "$DIR/kannel.conf"
	wait_for wapbox port_open "$PPG"
	# the handset side: -m 0 sends nothing, it only prints what it gets
	launch fakesmsc "$FAKESMSC" -H 127.0.0.1 -r "$FAKE" -m 0 "1 2 text nothing"
	wait_for "fakesmsc (the fake SMSC online)" sh -c "curl -sf --max-time 1 'http://127.0.0.1:$ADMIN/status.txt?password=$ADMINPW' | grep -q 'online'"
	echo "kannel: up (bearerbox, smsbox, wapbox, fakesmsc; ports from $BASE; $DIR)"
}

stop() {
	local p pid i
	for p in mo-fakesmsc fakesmsc wapbox smsbox bearerbox capture; do
		[ -f "$DIR/$p.pid" ] || continue
		pid=$(cat "$DIR/$p.pid")
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			for ((i = 0; i < 50; i++)); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
		fi
		rm -f "$DIR/$p.pid"
	done
	return 0
}

# bearerbox logs (at log-level 0) every message the fake SMSC takes,
# concatenated parts too (its access log waits for the whole message)
mo_taken() { grep -c 'smsc_fake: new message received' "$DIR/bearerbox.log" 2>/dev/null || true; }

# The fake SMSC takes one client at a time: the listening fakesmsc makes
# way for one fakesmsc per message (fakesmsc picks among several messages
# at random, so one each keeps the order), then comes back.
mo() {
	local file=$1 line before i pid
	running fakesmsc || die "not started"
	pid=$(cat "$DIR/fakesmsc.pid")
	kill "$pid"
	for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$DIR/fakesmsc.pid"
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		before=$(mo_taken)
		launch mo-fakesmsc "$FAKESMSC" -H 127.0.0.1 -r "$FAKE" -m 1 "$line"
		wait_for "bearerbox taking an MO message" sh -c "[ \$(grep -c 'smsc_fake: new message received' '$DIR/bearerbox.log') -gt $before ]"
		kill "$(cat "$DIR/mo-fakesmsc.pid")" 2>/dev/null || true
		wait "$(cat "$DIR/mo-fakesmsc.pid")" 2>/dev/null || true
		rm -f "$DIR/mo-fakesmsc.pid"
	done <"$file"
	launch fakesmsc "$FAKESMSC" -H 127.0.0.1 -r "$FAKE" -m 0 "1 2 text nothing"
}

case "${1:-}" in
start) start ;;
mo) mo "${2:?usage: tests/kannel.sh mo FILE}" ;;
stop) stop ;;
env) cat "$DIR/env" ;;
*) echo "usage: tests/kannel.sh start|stop|env" >&2; exit 64 ;;
esac
