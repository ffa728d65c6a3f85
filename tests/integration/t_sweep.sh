# Issue 9: robustness sweeps of the power-on bootstrap (short form; the
# long form is tests/stress.sh).  For every APDU index k the card is
# removed (then reset) at k: every run ends cleanly with the tree as it was
# or fully applied, never between, and the next run succeeds.  The demo
# card holds a DM and an LwM2M bootstrap (read on a logical channel); the
# second card's LwM2M file is private (PIN1 verified before it is read).
# The same sweep runs through the test modem (-r at:..., AT+CSIM; in
# t_sweep_modem, which sets UB_SWEEP_MODEM=only, so the two run side by
# side) on the
# demo card: a removal is +CME ERROR: 10, a reset (the modem resetting its
# SIM) +CME ERROR: 14, and the port closing (the modem's USB reset) at
# every AT+CSIM is a third fault; every error names the port.  Fourth, the
# kill -9 loop: the bootstrap is killed while each AT command of a clean
# run waits for its answer (the modem carried it out and holds the answer
# back): the tree is as it was or whole, and the next run succeeds.
# lab: long (a few minutes: started first, so the three at a time end together)
. "$(dirname "$0")/lib.sh"
sed -e "s|= boot/|= $PWD/tests/profiles/boot/|" -e 's/^lwm2m_private = .*/lwm2m_private = yes/' \
	-e 's/^pin1_enabled = .*/pin1_enabled = yes/' tests/profiles/demo.conf >"$TMP/private.conf"
PROFILES=${UB_SWEEP_PROFILES:-tests/profiles/demo.conf $TMP/private.conf}
export UICCBOOT_PIN=1234
RD=() # -r at:... through the modem
ub() { $UB --tree "$1" --policy /dev/null "${RD[@]}" "${@:2}"; }
dump() { $UB --tree "$1" tree export --secrets 2>/dev/null; }

# sweep PROFILE NAME FAULT...: every fault at every APDU index
sweep() {
	local P=$1 name=$2 fault k n rc bad recovered last pid i
	shift 2
	# the state before: a seeded tree; the state after: one clean bootstrap
	$UB --tree "$TMP/seed.db" tree import tests/fixtures/seed-connmo.xml >/dev/null
	dump "$TMP/seed.db" >"$TMP/before.xml"
	$LAB sim 0 "$P"
	cp "$TMP/seed.db" "$TMP/after.db"
	n=$(ub "$TMP/after.db" --json bootstrap | jget "d['apdus']")
	dump "$TMP/after.db" >"$TMP/after.xml"
	check "$name: a clean power-on bootstrap takes $n APDUs" test "$n" -gt 5
	check "$name: it applies both bootstraps (the DM account and the LwM2M Instances)" eq \
		"$(grep -c '<NodeName>OperatorDM</NodeName>' "$TMP/after.xml") $(ub "$TMP/after.db" tree list ./LwM2M/0 | tr '\n' ' ')" \
		"1 0 1 "

	for fault in "$@"; do
		bad=""
		recovered=0
		last=$n
		if [ $fault = kill ]; then
			# every AT command of a clean run (the port's set-up among them)
			$LAB sim 0 "$P" && modem_start
			cp "$TMP/seed.db" "$TMP/t.db"
			ub "$TMP/t.db" bootstrap >/dev/null 2>&1
			last=$(($(grep -c '^> ' "$ML") + 1))
		fi
		for ((k = 1; k < last; k++)); do
			rm -f "$TMP/t.db"*
			cp "$TMP/seed.db" "$TMP/t.db"
			case $fault in
			remove) $LAB sim 0 "$P" --fault "remove:$k:0" ;; # out for good
			reset) if [ ${#RD[@]} = 0 ]; then
				$LAB sim 0 "$P" --fault "reset:$k"
			else # the modem resets its SIM (+CME ERROR: 14)
				$LAB sim 0 "$P" && modem_start --fault "reset:$k"
			fi ;;
			close) $LAB sim 0 "$P" && modem_start --fault "close:$k" ;; # the port goes away
			kill) $LAB sim 0 "$P" && modem_start --fault "hold:$k" ;; # its answer held back
			esac
			if [ $fault = kill ]; then
				# kill -9 while the k-th AT command waits for its answer
				ub "$TMP/t.db" bootstrap >"$TMP/out" 2>"$TMP/err" &
				kill_when_held $!
				rc=137
			else
				ub "$TMP/t.db" bootstrap >"$TMP/out" 2>"$TMP/err"
				rc=$?
			fi
			dump "$TMP/t.db" >"$TMP/now.xml"
			if [ $rc = 137 ]; then
				# killed: the tree as it was, or whole (killed after the commit)
				cmp -s "$TMP/now.xml" "$TMP/before.xml" || cmp -s "$TMP/now.xml" "$TMP/after.xml" ||
					bad="$bad k=$k:killed-half"
			elif [ $rc = 0 ]; then
				# only a reset may be recovered from; the tree is then complete
				[ $fault = reset ] && cmp -s "$TMP/now.xml" "$TMP/after.xml" &&
					recovered=$((recovered + 1)) || bad="$bad k=$k:rc0"
			else
				# a clear error on stderr (a removal says so, and the
				# port going away), the tree untouched
				{ grep -q '^uiccboot: .*\[[a-z-]*\]$' "$TMP/err" &&
					case $fault in
					remove) grep -q '\[card-removed\]' "$TMP/err" ;;
					close) grep -q 'went away' "$TMP/err" ;;
					esac &&
					[ $rc = 69 -o $rc = 65 ] &&
					{ [ ${#RD[@]} = 0 ] || grep -q "modem $TMP/modem" "$TMP/err"; } &&
					cmp -s "$TMP/now.xml" "$TMP/before.xml"; } ||
					bad="$bad k=$k:rc$rc($(grep -o '\[[a-z-]*\]$' "$TMP/err" | tr '\n' ' '))"
			fi
			# the card back in (a removal) or as the reset left it: the
			# next run succeeds
			[ $fault = remove ] && $LAB sim 0 "$P"
			[ $fault = close -o $fault = kill ] && modem_start
			ub "$TMP/t.db" bootstrap >/dev/null 2>&1 &&
				dump "$TMP/t.db" | cmp -s - "$TMP/after.xml" || bad="$bad k=$k:next"
		done
		check "$name: $fault at every $([ $fault = kill ] && echo "AT command" || echo APDU) 1..$((last - 1)): clean failure or recovery, tree intact, next run ok" eq "$bad" ""
		echo "# $name $fault: $recovered of $((last - 1)) runs recovered"
	done
}

# t_sweep_modem runs the modem's sweeps (UB_SWEEP_MODEM=only), beside this one
if [ "${UB_SWEEP_MODEM:-}" = only ]; then
	PROFILES=
fi
for P in $PROFILES; do
	sweep "$P" "${P##*/}" remove reset
done
if [ "${UB_SWEEP_MODEM:-}" != only ]; then
	done_testing
	exit 0
fi

# through the modem, the demo card as T=0 (a modem's SIM interface)
sed -e 's/^protocol = T1/protocol = T0/' -e "s|= boot/|= $PWD/tests/profiles/boot/|" \
	tests/profiles/demo.conf >"$TMP/modem-demo.conf"
export UICCBOOT_AT_TIMEOUT_MS=3000
$LAB sim 0 "$TMP/modem-demo.conf"
modem_start
RD=(-r "$M")
sweep "$TMP/modem-demo.conf" "at: modem-demo.conf" remove reset close kill
modem_stop
done_testing
