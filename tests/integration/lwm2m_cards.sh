# Helpers of the LwM2M power-on tests (t_lwm2m_boot, t_lwm2m_cards):
# the demo card edited, other cards with LwM2M files of their own.
# shellcheck shell=bash
DM="application/vnd.syncml.dm+wbxml"
BOOT=tests/profiles/boot
REF=tests/integration/lwm2m_ref.py
MK="python3 tests/integration/mkboot.py"
T=$TMP/dmtree.db
ICCID=8949440000001234567
LOG=$LABDIR/sim0.log
ub() { $UB -r "$R0" --tree "$T" --policy "$TMP/policy.conf" "$@"; }
policy() { printf "$1" >"$TMP/policy.conf"; }
sum() { cat "$T" "$T-wal" 2>/dev/null | md5sum; }
lwdump() { $UB --tree "$T" tree export --secrets ./LwM2M; }
# profile NAME SED...: the demo card with its paths absolute, edited
profile() {
	local name=$1
	shift
	sed "s|= boot/|= $PWD/$BOOT/|" tests/profiles/demo.conf >"$TMP/$name.conf"
	for e in "$@"; do sed -i "$e" "$TMP/$name.conf"; done
}
# card NAME ICCID LWM2M_HEX [DM_NAME]: another card, its own DM account (or
# none) and an LwM2M file
card() {
	echo "$3" | xxd -r -p >"$TMP/$1.lwm2m"
	if [ -n "${4:-}" ]; then
		sed "s/operator-dm/operator-$4/; s/OperatorDM/Operator$4/g; s|ConnMO/Internet|ConnMO/Internet$4|g" \
			$BOOT/dm-bootstrap.xml >"$TMP/$1.xml"
		xml2wbxml -o "$TMP/$1.wbxml" "$TMP/$1.xml" >/dev/null 2>&1
		profile "$1" "s/^iccid = .*/iccid = $2/" "s|^dm_bootstrap = .*|dm_bootstrap = $TMP/$1.wbxml|" \
			"/^cp_bootstrap/d" "s|^lwm2m_bootstrap = .*|lwm2m_bootstrap = $TMP/$1.lwm2m|"
	else
		profile "$1" "s/^iccid = .*/iccid = $2/" "/^dm_bootstrap/d" "/^cp_bootstrap/d" \
			"s|^lwm2m_bootstrap = .*|lwm2m_bootstrap = $TMP/$1.lwm2m|"
	fi
}
