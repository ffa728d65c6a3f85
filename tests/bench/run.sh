#!/bin/bash
# make bench: every figure measured in this one run, on this machine, peers
# side by side.  Prints a table and writes tests/bench/RESULTS.md.  No
# thresholds: the goals are shown beside the figures.
set -eu
cd "$(dirname "$0")/../.."
# Debian's python3 before a version manager's shim (tests/integration/lib.sh says why)
[ -x /usr/bin/python3 ] && PATH=/usr/bin:$PATH
export UB_LAB_DIR=${UB_LAB_DIR:-/tmp/uiccboot-bench.$$}
UB=$PWD/build/uiccboot
LAB=tests/lab.sh
W=$(mktemp -d /tmp/uiccboot-bench-work.XXXXXX)
RUNS=${BENCH_RUNS:-15}
# BENCH_ONLY="3 6": only those sections (numbered as below), and no
# RESULTS.md; 1b, 2 and 2b need 1, 7 and 9 need 4
want() { [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $1 "* ]]; }
$LAB start 8 >/dev/null
trap '$LAB stop >/dev/null; rm -rf "$W" "$UB_LAB_DIR"' EXIT
rows=()
row() { rows+=("| $1 | $2 | $3 | $4 | $5 |"); printf '%-48s %-22s %-22s %-8s %s\n' "$1" "$2" "$3" "$4" "$5"; }
ms() { date +%s%N; }
# median of "$@" run RUNS times, in ms with one decimal
median_ms() {
	local i t0 t1 ts=()
	for ((i = 0; i < RUNS; i++)); do
		t0=$(ms)
		"$@" >/dev/null 2>&1
		t1=$(ms)
		ts+=($((t1 - t0)))
	done
	printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1e6}'
}
simlog_apdus() { grep -c '^> ' "$UB_LAB_DIR/sim$1.log" || true; }
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
R0=$($LAB reader 0)
printf '%-48s %-22s %-22s %-8s %s\n' measure uiccboot "peer / bound" ratio note

# --- 1. APDUs of the power-on bootstrap against the layout's minimum ---
if want 1; then
# The demo card holds a DM and an LwM2M bootstrap; the DM-only rows use it
# without its LwM2M file.
for proto in T1 T0; do
	sed "s/^protocol = .*/protocol = $proto/" tests/profiles/demo.conf >"$W/both-$proto.conf"
	sed '/^lwm2m_/d' "$W/both-$proto.conf" >"$W/demo-$proto.conf"
	cp -r tests/profiles/boot "$W/"
	# the minimum the layout allows: EF_ICCID by SFI (after a reset the MF
	# is current; else SELECT MF first), MANAGE CHANNEL (LwM2M Core G.2.1:
	# the PKCS#15 application on a logical channel), SELECT the PKCS#15
	# application there by its well-known AID (EF_DIR is read only when the
	# card refuses that), ODF and DODF (SELECT + READ each), SELECT the
	# bootstrap EFs (the DM and the CP one: every object is read) and read
	# each in 256-byte pieces, MANAGE CHANNEL to close.  T=0 cannot ask for
	# "whatever there is": a length not known in advance costs one more
	# exchange (6Cxx, or GET RESPONSE for an FCP): the ODF, the DODF and
	# each bootstrap EF.  With the LwM2M file: SELECT it with its FCP (its
	# size, G.3.4; GET RESPONSE on T=0), READ it in 256-byte pieces.
	size=$(($(stat -c %s tests/profiles/boot/dm-bootstrap.wbxml) + 16)) # uicc-sim: 16 bytes unused
	csize=$(($(stat -c %s tests/profiles/boot/cp-bootstrap.wbxml) + 16))
	lsize=$(($(stat -c %s tests/profiles/boot/lwm2m-bootstrap.bin) + 16))
	for card in demo both; do
		$LAB sim 0 "$W/$card-$proto.conf"
		min=$(python3 -c "s=$size; c=$csize; print(1 + 1 + 1 + 2 + 2 + 1 + -(-s // 256) + 1 + -(-c // 256) + 1 + ('$proto' == 'T0') * 4)")
		[ $card = both ] && min=$(python3 -c "print($min + 1 + ('$proto' == 'T0') + -(-$lsize // 256))")
		what=$([ $card = both ] && echo "DM + LwM2M bootstrap" || echo "bootstrap")
		for reset in --reset ""; do
			rm -f "$W/t.db"*
			a0=$(simlog_apdus 0)
			n=$($UB -r "$R0" $reset --tree "$W/t.db" --policy /dev/null --json bootstrap | python3 -c "import json,sys; print(json.load(sys.stdin)['apdus'])")
			a1=$(simlog_apdus 0)
			m=$min
			[ -z "$reset" ] && m=$((min + 1)) # SELECT MF: nothing is known of the selection
			t=$(median_ms $UB -r "$R0" $reset --tree "$W/t.db" --policy /dev/null bootstrap)
			row "power-on $what APDUs, $proto${reset:+, after --reset}" "$((a1 - a0)) (ours: $n); ${t} ms" "minimum $m" "$(ratio $((a1 - a0)) $m)" "card log; median wall time of $RUNS, tree unchanged"
		done
	done
done

fi
# --- 1b. the same power-on through a modem (AT+CSIM on a pseudo-terminal) ---
if want 1b; then
# The test modem forwards each AT+CSIM to the same card through pcscd, so
# the modem's time is PC/SC's plus the AT round trips.  Without --reset the
# APDUs are the same; its --reset is a SELECT MF (no cold reset through AT),
# one APDU more than PC/SC's reset.
$LAB sim 0 "$W/demo-T0.conf"
build/uicc-modem --reader "$R0" --link "$W/modem" >/dev/null 2>&1 &
mpid=$!
for ((i = 0; i < 100; i++)); do [ -e "$W/modem" ] && break; sleep 0.05; done
for reset in "" --reset; do
	for link in "$R0" "at:$W/modem"; do
		rm -f "$W/t.db"*
		a0=$(simlog_apdus 0)
		$UB -r "$link" $reset --tree "$W/t.db" --policy /dev/null bootstrap >/dev/null
		a1=$(simlog_apdus 0)
		t=$(median_ms $UB -r "$link" $reset --tree "$W/t.db" --policy /dev/null bootstrap)
		case $link in at:*) am=$((a1 - a0)) tm=$t ;; *) ap=$((a1 - a0)) tp=$t ;; esac
	done
	eqn="APDUs $([ "$am" = "$ap" ] && echo equal || echo "NOT equal")"
	[ -n "$reset" ] && eqn="one APDU more: the SELECT MF that stands in for the reset"
	row "power-on bootstrap through a modem, T=0${reset:+, --reset}" "$am APDUs; $tm ms" "PC/SC $ap APDUs; $tp ms" "$(ratio $tm $tp)" "card log; $eqn; ratio of median wall times ($RUNS runs), uicc-modem on a pty"
done
kill $mpid
wait $mpid 2>/dev/null || true

fi
# --- 2. IMSI + N GSM authentications: uiccboot vs eapol_test (T=0) ---
if want 2; then
N=3
$LAB sim 0 "$W/demo-T0.conf"
rands=()
for ((i = 0; i < N; i++)); do rands+=(--rand "$(printf '%02x' $i | sed 's/../&&&&&&&&&&&&&&&&/')"); done
a0=$(simlog_apdus 0)
ours=$($UB -r "$R0" --json auth --gsm --imsi --secrets "${rands[@]}")
a1=$(simlog_apdus 0)
peer=$(timeout 30 eapol_test -R "$R0" sim 1234 $N 2>&1 | grep '^001010123456789:' | tr A-F a-f)
a2=$(simlog_apdus 0)
same=$(python3 -c "
import json,sys
d=json.loads(sys.argv[1]); p=sys.argv[2].split()
ours=['%s:%s:%s:%s' % (d['imsi'], t['kc'], t['sres'], t['rand']) for t in d['triplets']]
print('same triplets' if ours == p else 'DIFFERENT: %s vs %s' % (ours, p))" "$ours" "$peer")
tu=$(median_ms $UB -r "$R0" auth --gsm --imsi --secrets "${rands[@]}")
te=$(median_ms timeout 30 eapol_test -R "$R0" sim 1234 $N)
row "IMSI + $N GSM auths: APDUs" "$((a1 - a0))" "eapol_test $((a2 - a1))" "$(ratio $((a1 - a0)) $((a2 - a1)))" "$same"
row "IMSI + $N GSM auths: median wall time" "$tu ms" "eapol_test $te ms" "$(ratio $tu $te)" "through pcscd, $RUNS runs each"

fi
# --- 2b. one AUTHENTICATE on a card in an unknown state: ours vs the minimum ---
if want 2b; then
# The minimum: SELECT of the USIM by the registered part of its AID (TS 102
# 221 11.1.1, a partial DF name), AUTHENTICATE, and on T=0 the GET RESPONSE
# its answer needs.  Each run on a freshly started card (an AUTN is good once).
RAND1=23553cbe9637a89d218ae64dae47bf35 AUTN1=55f328b43577b9b94a9ffac354dfafb3
for proto in T0 T1; do
	for kind in gsm 3g; do
		$LAB sim 0 "$W/demo-$proto.conf"
		args=(--rand $RAND1 --autn $AUTN1)
		[ $kind = gsm ] && args=(--gsm --rand $RAND1)
		a0=$(simlog_apdus 0)
		rc=0
		$UB -r "$R0" auth "${args[@]}" >/dev/null 2>&1 || rc=$?
		a1=$(simlog_apdus 0)
		[ $proto = T0 ] && m=3 || m=2
		row "$(echo $kind | tr a-z A-Z) AUTHENTICATE APDUs, $proto, card state unknown" "$((a1 - a0))" "minimum $m" "$(ratio $((a1 - a0)) $m)" "card log (uiccboot auth exit $rc)"
	done
done

fi
# --- 3. peak RSS ---
if want 3; then
$LAB sim 0 tests/profiles/demo.conf
rm -f "$W/t.db"*
rss=$(/usr/bin/time -f %M $UB -r "$R0" --tree "$W/t.db" --policy /dev/null bootstrap 2>&1 >/dev/null | tail -1)
base=$(/usr/bin/time -f %M $UB readers 2>&1 >/dev/null | tail -1)
rm -f "$W/t.db"*
valgrind --tool=massif --massif-out-file="$W/massif" $UB -r "$R0" --tree "$W/t.db" --policy /dev/null bootstrap >/dev/null 2>&1
heap=$(grep -o 'mem_heap_B=[0-9]*' "$W/massif" | cut -d= -f2 | sort -n | tail -1)
# private dirty memory at exit (/proc/self/smaps_rollup, read by a preloaded
# destructor after the program's own exit handlers); sync first: the pages
# of a binary just written are dirty in the page cache and would count
cc -shared -fPIC -O2 -o "$W/smaps_exit.so" tests/bench/smaps_exit.c
sync
rm -f "$W/t.db"*
SMAPS_ROLLUP_OUT="$W/rollup" SMAPS_OUT="$W/smaps" LD_PRELOAD="$W/smaps_exit.so" \
	$UB -r "$R0" --tree "$W/t.db" --policy /dev/null bootstrap >/dev/null
pd=$(awk '/^Private_Dirty:/ {print $2}' "$W/rollup")
top=$(python3 tests/bench/smaps_sum.py "$W/smaps" 5 | grep -v '^total' | awk '{printf "%s%s %s KiB", (NR > 1 ? ", " : ""), $2, $1}')
row "private dirty memory at exit, uiccboot bootstrap (first apply)" "$pd KiB" "goal 1024 KiB" "$(ratio $pd 1024)" "smaps_rollup at exit; largest: $top"
row "peak RSS, uiccboot bootstrap (first apply)" "$(python3 -c "print('%.1f MiB' % ($rss / 1024))")" "goal 4 MiB" "$(ratio $rss 4096)" "/usr/bin/time -f %M; shared library pages included"
row "  of which: RSS of \`uiccboot readers\` (libraries, no work)" "$(python3 -c "print('%.1f MiB' % ($base / 1024))")" "" "" "libcrypto, libsqlite3, libwbxml2, libpcsclite, json-c mapped and relocated"
row "  of which: peak heap (valgrind massif)" "$(python3 -c "print('%.0f KiB' % ($heap / 1024))")" "" "" "the card object buffer (68 KiB) is the largest block"

fi
# --- 4. a 1000-node bootstrap into trees of 0, 10k, 100k nodes ---
if want 4; then
python3 tests/bench/gen_tnds.py "$W/plan.xml" new 249 # 1002 nodes
for size in 0 10000 100000; do
	rm -f "$W/base.db"*
	$UB --tree "$W/base.db" --policy /dev/null sms receive </dev/null >/dev/null # an empty tree (read-only commands make none)
	for ((k = 0; k < size / 4000; k++)); do
		python3 tests/bench/gen_tnds.py "$W/seed.xml" "s$k" 998
		$UB --tree "$W/base.db" tree import "$W/seed.xml" >/dev/null
	done
	rest=$(((size % 4000 - 6) / 4))
	if [ "$rest" -gt 0 ]; then
		python3 tests/bench/gen_tnds.py "$W/seed.xml" rest "$rest"
		$UB --tree "$W/base.db" tree import "$W/seed.xml" >/dev/null
	fi
	nodes=$(python3 -c "import sqlite3; print(sqlite3.connect('$W/base.db').execute('select count(*) from node').fetchone()[0])")
	import_once() { # a fresh copy of the base tree each run
		cp "$W/base.db" "$W/run.db"
		rm -f "$W/run.db-wal" "$W/run.db-shm"
		$UB --tree "$W/run.db" tree import "$W/plan.xml"
	}
	t=$(median_ms import_once)
	cp_t=$(median_ms cp "$W/base.db" "$W/run.db")
	tt=$(python3 -c "print('%.1f' % ($t - $cp_t))")
	[ "$size" = 0 ] && t0=$tt
	row "1000-node bootstrap into a tree of $nodes nodes" "$tt ms" "" "$(ratio $tt $t0)" "whole command (parse + one transaction, synchronous FULL); ratio to the empty tree"
done

fi
# --- 5. factory derive against openssl speed ---
if want 5; then
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$W/key"
chmod 600 "$W/key"
python3 -c "
for i in range(1000000): print('IMEI:%015d' % (350000000000000 + i))" >"$W/ids"
t0=$(ms)
$UB factory derive --key-file "$W/key" --server-id dm.operator.example --secrets <"$W/ids" >/dev/null
t1=$(ms)
ids=$(python3 -c "print(int(1000000 / (($t1 - $t0) / 1e9)))")
hm=$(openssl speed -mr -seconds 3 -bytes 64 -hmac sha256 2>/dev/null | awk -F: '/^\+F:/ {printf "%d", $4 / 64}')
row "factory derive, 1 000 000 ids" "$ids ids/s = $((ids * 3)) HMAC/s" "openssl $hm HMAC/s" "$(ratio $((ids * 3)) $hm)" "3 HKDF-Expand blocks (~57-byte input) per id; openssl speed -hmac sha256 -bytes 64"

fi
# --- 6. 1, 2, 4 and 8 readers at once ---
if want 6; then
for ((i = 0; i < 8; i++)); do
	sed "s/operator-dm/operator-$i/; s/OperatorDM/Operator$i/g; s|ConnMO/Internet|ConnMO/Internet$i|g" \
		tests/profiles/boot/dm-bootstrap.xml >"$W/b$i.xml"
	xml2wbxml -o "$W/b$i.wbxml" "$W/b$i.xml" >/dev/null 2>&1
	sed "s/^iccid = .*/iccid = 894944000000000000$i/; s|^dm_bootstrap = .*|dm_bootstrap = $W/b$i.wbxml|; /^cp_bootstrap/d; /^lwm2m_/d" \
		tests/profiles/demo.conf >"$W/c$i.conf"
done
for n in 1 2 4 8; do
	for ((i = 0; i < 8; i++)); do
		if [ $i -lt $n ]; then $LAB sim $i "$W/c$i.conf"; else $LAB simstop $i; fi
	done
	all_once() {
		rm -f "$W/all.db"*
		$UB --tree "$W/all.db" --policy /dev/null bootstrap --all-readers
	}
	all_once >/dev/null
	ok=$($UB --tree "$W/all.db" tree list ./DMAcc | wc -l)
	t=$(median_ms all_once)
	ts=$(median_ms $UB --tree "$W/all.db" --policy /dev/null bootstrap --all-readers)
	[ $n = 1 ] && t1r=$t && t1s=$ts
	row "bootstrap --all-readers, $n reader(s), new tree" "$t ms" "" "$(ratio $t $t1r)" "$ok accounts applied; a thread per card, the tree opened once, a transaction (fsync) per card; ratio to 1 reader"
	row "bootstrap --all-readers, $n reader(s), unchanged cards" "$ts ms" "" "$(ratio $ts $t1s)" "the usual power-on: card data as before, nothing written"
done

fi
# --- 7. an SMS fragment stored into a store of 0, 10k, 100k fragments ---
if want 7; then
# The store is filled on tmpfs (no fsync) with first parts of messages
# that never complete, then copied to the bench's disk, where 200 more
# first parts (new messages: a lookup, an insert, the totals) are stored,
# one transaction and fsync each, as on a device.
printf "[sms]\nmax_messages = 1000000\nmax_bytes = 1073741824\nexpiry = 2592000\n" >"$W/sms.conf"
S=$(mktemp -d /dev/shm/uiccboot-bench-sms.XXXXXX)
python3 tests/bench/gen_sms.py 200 900000 >"$W/sms-new"
sms_once() { # a fresh copy of the filled store each run
	cp "$W/sms-base.db" "$W/sms-run.db"
	rm -f "$W/sms-run.db-wal" "$W/sms-run.db-shm"
	$UB --tree "$W/sms-run.db" --policy "$W/sms.conf" sms receive "$W/sms-new"
}
sms_row() { # sms_row LABEL: the median per fragment, and its ratio to the first
	local t cp_t per
	t=$(median_ms sms_once)
	cp_t=$(median_ms cp "$W/sms-base.db" "$W/sms-run.db")
	per=$(python3 -c "print('%.3f' % (($t - $cp_t) / 200))")
	[ -z "${sms0:-}" ] && sms0=$per
	row "SMS fragment stored, $1" "$per ms" "" "$(ratio $per $sms0)" "200 first parts in one sms receive, a transaction (fsync) each; ratio to the empty store"
}
for size in 0 10000 100000; do
	rm -f "$S/base.db"*
	python3 tests/bench/gen_sms.py $size >"$S/fill"
	$UB --tree "$S/base.db" --policy "$W/sms.conf" sms receive "$S/fill" >/dev/null
	held=$($UB --json --tree "$S/base.db" --policy "$W/sms.conf" sms list | python3 -c "import json,sys; print(len(json.load(sys.stdin)['messages']))")
	cp "$S/base.db" "$W/sms-base.db"
	rm -f "$W/sms-base.db-wal" "$W/sms-base.db-shm"
	sms_row "store of $held fragments"
done
# the same into the 100k-node tree of section 4 (no fragments held)
cp "$W/base.db" "$W/sms-base.db"
rm -f "$W/sms-base.db-wal" "$W/sms-base.db-shm"
sms_row "tree of $nodes nodes, no fragments"
rm -rf "$S"

fi
# --- 8. a 5-part push: from its last TPDU to the applied tree ---
if want 8; then
# Our sender makes the TPDUs (SEC=USERPIN: no card in the way); the first
# four are stored once, and each run receives the fifth into a fresh copy:
# reassembly, WSP, the MAC, the plan and one transaction.
python3 tests/integration/mkboot.py "$W/p5.wbxml" ./DMAcc/b5/ServerID=bench-srv \
	./DMAcc/b5/AppAddr/1/Addr=https://dm.bench.example/dm ./DMAcc/b5/Name=bench \
	$(seq -f './DMAcc/b5/Ext/e%g=value' 1 9)
printf 'pin = 12345678\n' >"$W/p5.keys"
printf '12345678\n' >"$W/p5.pin"
chmod 600 "$W/p5.keys" "$W/p5.pin"
printf '[push]\nallowed_sec = USERPIN\n' >"$W/p5.conf"
$UB sms send "$W/p5.wbxml" --sec USERPIN --keys "$W/p5.keys" --ref 7 >"$W/p5.tpdus"
parts=$(wc -l <"$W/p5.tpdus")
head -n $((parts - 1)) "$W/p5.tpdus" >"$W/p5.first"
tail -n 1 "$W/p5.tpdus" >"$W/p5.last"
rm -f "$W/p5-base.db"*
$UB --tree "$W/p5-base.db" --policy "$W/p5.conf" sms receive "$W/p5.first" >/dev/null
p5_once() { # [--json]
	cp "$W/p5-base.db" "$W/p5-run.db"
	rm -f "$W/p5-run.db-wal" "$W/p5-run.db-shm"
	$UB "$@" --tree "$W/p5-run.db" --policy "$W/p5.conf" sms receive --user-pin-file "$W/p5.pin" "$W/p5.last"
}
st=$(p5_once --json 2>/dev/null | grep -o '"applied"' | head -1 | tr -d '"')
t=$(median_ms p5_once)
cp_t=$(median_ms cp "$W/p5-base.db" "$W/p5-run.db")
row "$parts-part push: last TPDU to the applied tree" "$(python3 -c "print('%.1f' % ($t - $cp_t))") ms" "" "" "sms receive of part $parts: reassembly, WSP, MAC (USERPIN), plan, one transaction (${st:-NOT applied})"

# --- 8b. the same push through a modem: its first +CMT to the applied tree ---
# The test modem delivers the parts as +CMT, each once the last one was
# acknowledged (AT+CNMA, sent after the part's commit); sms listen
# --exit-idle takes them into an empty tree.  The time runs from the
# modem's first +CMT (stamped in its log) to the listener's "applied" line
# (stamped as it is read).  The reader of that line opens a FIFO before the
# listener starts (the shell's redirection to it waits for the reader), so
# its own start-up is never in the time: with a pyenv shim in front of
# python3 it had been, and the row read 438 ms.
$LAB sim 0 "$W/demo-T0.conf"
p5_modem_once() {
	local mpid rpid i
	rm -f "$W/p5m.db"* "$W/modem" "$W/p5m.log"
	build/uicc-modem --reader "$R0" --link "$W/modem" --log "$W/p5m.log" --live "$W/p5.tpdus" \
		>/dev/null 2>&1 &
	mpid=$!
	for ((i = 0; i < 100; i++)); do [ -e "$W/modem" ] && break; sleep 0.05; done
	rm -f "$W/p5m.fifo" && mkfifo "$W/p5m.fifo"
	python3 -c '
import sys, time
for l in open(sys.argv[1]):
    if "\"status\":\"applied\"" in l:
        print("%.6f" % time.time(), flush=True)' "$W/p5m.fifo" >"$W/p5m.t" &
	rpid=$!
	$UB -r "at:$W/modem" --json --tree "$W/p5m.db" --policy "$W/p5.conf" sms listen --exit-idle 0.5 \
		--user-pin-file "$W/p5.pin" >"$W/p5m.fifo"
	wait $rpid
	kill $mpid
	wait $mpid 2>/dev/null || true
	python3 -c "
import sys
first = [l.split()[-1] for l in open(sys.argv[1]) if l.startswith('# first +CMT at ')]
done = open(sys.argv[2]).read().split()
print('%.1f' % ((float(done[0]) - float(first[0])) * 1000) if first and done else 'NaN')" "$W/p5m.log" "$W/p5m.t"
}
ts=()
for ((i = 0; i < RUNS; i++)); do ts+=("$(p5_modem_once)"); done
t=$(printf '%s\n' "${ts[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
row "$parts-part push through a modem: first +CMT to the applied tree" "$t ms" "" "" "uicc-modem --live, sms listen --exit-idle: 5 x (+CMT, commit, AT+CNMA), reassembly, WSP, MAC (USERPIN), plan, one transaction; median of $RUNS runs"

fi
# --- 9. a push into a full tree: how long it holds the write lock ---
if want 9; then
# The tree of section 4 filled to its capacity (131072 nodes) less room
# for the push; the push an 18 KiB OMA CP document: a w7 account and 700
# APNs, each of whose names is checked against every other party's
# references inside the write transaction.  lock_held.py asks for the lock
# every 0.2 ms while the push runs: the longest refusal is what a
# concurrent writer (sms receive, a power-on) waits.
cp "$W/base.db" "$W/full.db"
rm -f "$W/full.db-wal" "$W/full.db-shm"
count_nodes() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from node').fetchone()[0])" "$1"; }
k=0
while [ "$(count_nodes "$W/full.db")" -lt 126000 ]; do
	python3 tests/bench/gen_tnds.py "$W/seed.xml" "f$k" 998
	$UB --tree "$W/full.db" tree import "$W/seed.xml" >/dev/null
	k=$((k + 1))
done
full=$(count_nodes "$W/full.db")
python3 tests/integration/mkcp.py "$W/full.wbxml" \
	"APPLICATION:APPID=w7,PROVIDER-ID=bench-full,TO-NAPID=F,ADDR=https://dm.full.example/dm" \
	--napdefs F 0 699
full_once() {
	cp "$W/full.db" "$W/full-run.db"
	rm -f "$W/full-run.db-wal" "$W/full-run.db-shm"
	python3 tests/bench/lock_held.py "$W/full-run.db" $UB --tree "$W/full-run.db" --policy /dev/null \
		push "$W/full.wbxml" --content-type application/vnd.wap.connectivity-wbxml --transport secure
}
held=()
for ((i = 0; i < RUNS; i++)); do
	r=$(full_once)
	[ "${r#* }" = 0 ] || { echo "push into the full tree failed: $r"; exit 1; }
	held+=("${r% *}")
done
lk=$(printf '%s\n' "${held[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
row "push of $(stat -c %s "$W/full.wbxml") bytes (700 APNs) into a tree of $full nodes: write lock held" "$lk ms" "" "" "median of $RUNS; the longest a concurrent writer is refused (lock_held.py, every 0.2 ms)"

fi
# --- 10. sms receive as a long-running filter: memory flat in the lines ---
if want 10; then
# Peak RSS of one sms receive over 2 000 and over 200 000 lines, on tmpfs:
# 99 of 100 lines a GSM 7-bit text (decoded, ignored), 1 of 100 the first
# part of a new WAP push (stored, the oldest of the 64 held dropped).
# Each result is printed, flushed and freed as it goes.
S=$(mktemp -d /dev/shm/uiccboot-bench-rx.XXXXXX)
printf "[sms]\nmax_messages = 64\n" >"$S/rx.conf"
rx_lines() { # rx_lines N: N lines
	python3 - "$1" <<'PY'
import subprocess, sys
n = int(sys.argv[1])
text = "00040B915121551532F400003211412231020002E834"
parts = subprocess.run(["python3", "tests/bench/gen_sms.py", str(n // 100 + 1)],
                       capture_output=True, text=True).stdout.split()
out = sys.stdout
for i in range(n):
    out.write((parts[i // 100] if i % 100 == 99 else text) + "\n")
PY
}
rx_rss() { # rx_rss N: peak RSS in KiB
	rx_lines "$1" >"$S/lines"
	rm -f "$S/rx.db"*
	/usr/bin/time -f %M -o "$S/rss" $UB --json --tree "$S/rx.db" --policy "$S/rx.conf" sms receive "$S/lines" >/dev/null 2>&1
	tail -1 "$S/rss"
}
rss_small=$(rx_rss 2000)
rss_big=$(rx_rss 200000)
row "peak RSS, sms receive of 2 000 lines" "$(python3 -c "print('%.1f MiB' % ($rss_small / 1024))")" "" "" "/usr/bin/time -f %M; 1 line in 100 a WAP first part (stored), the rest texts (ignored)"
row "peak RSS, sms receive of 200 000 lines" "$(python3 -c "print('%.1f MiB' % ($rss_big / 1024))")" "goal: ratio <= 1.2" "$(ratio $rss_big $rss_small)" "the same lines, 100 times as many; ratio to 2 000 lines"
rm -rf "$S"

fi
if [ -n "${BENCH_ONLY:-}" ]; then # a part: the table above, RESULTS.md untouched
	exit 0
fi
{
	echo "# Benchmark results"
	echo
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d) on $(uname -sr), $(nproc) CPUs, $(openssl version | cut -d' ' -f1-2),"
	echo "pcscd $(pcscd --version 2>/dev/null | head -1 | awk '{print $NF}'); wall times through pcscd + vsmartcard-vpcd + uicc-sim."
	echo
	echo "| measure | uiccboot | peer / bound | ratio | note |"
	echo "|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
} >tests/bench/RESULTS.md
echo "written: tests/bench/RESULTS.md"
