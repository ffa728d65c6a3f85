# A swapped or stolen SIM at power-on: a card writes only its own accounts,
# a card change takes nothing away, and "unchanged" holds only while the
# card still owns what it wrote (docs/trust-model.md, "SIM swap / lost or
# stolen device").  Card A is the demo card (operator-dm at
# dm.operator.example, its ConnMO, LwM2M servers, operator-cp); between the
# steps operator-dm's server changes A's account through the library, as a
# DM client does (ub_tree_replace_as).
. "$(dirname "$0")/lib.sh"
BOOT=$PWD/tests/profiles/boot
T=$TMP/dmtree.db
MK="python3 tests/integration/mkboot.py"
ub() { $UB -r "$R0" --tree "$T" --policy "$TMP/policy.conf" "$@"; }
: >"$TMP/policy.conf"
res() { echo "$rc $(echo "$out" | jget "d.get('error') or d['status']")"; }
get() { $UB --tree "$T" --json tree get --secrets "$1" 2>/dev/null | jget "d['value']"; }
acct() { $UB --tree "$T" tree export --secrets ./DMAcc/OperatorDM; }
# server NAME VALUE: operator-dm's server replaces a leaf of its account
server() {
	python3 - "$T" "$1" "$2" <<'EOF'
import ctypes, sys
lib = ctypes.CDLL("build/libuiccboot.so")
t = ctypes.c_void_p()
why = ctypes.create_string_buffer(400)
if lib.ub_tree_open_mode(sys.argv[1].encode(), 1, ctypes.byref(t), why, 400):
    sys.exit("open: " + why.value.decode())
err = lib.ub_tree_replace_as(t, b"operator-dm", ("./DMAcc/OperatorDM/" + sys.argv[2]).encode(), sys.argv[3].encode())
lib.ub_tree_close(t)
sys.exit(err and "replace: %d" % err)
EOF
}
# card NAME ICCID [DM_WBXML]: the demo card with another ICCID and DM
# object (none: a SIM without PKCS#15 bootstrap, the plain test USIM)
card() {
	if [ $# -lt 3 ]; then
		sed "s/^iccid = .*/iccid = $2/" tests/profiles/test-usim.conf >"$TMP/$1.conf"
		return
	fi
	sed "s|= boot/|= $BOOT/|; s/^iccid = .*/iccid = $2/; s|^dm_bootstrap = .*|dm_bootstrap = $3|; /^cp_bootstrap/d; /^lwm2m_/d" \
		tests/profiles/demo.conf >"$TMP/$1.conf"
}
# the demo card's DM bootstrap with its Addr's host and its secret changed
dmboot() {
	sed "s|https://dm.operator.example:443/dm</Data>|https://$2/dm</Data>|; s|client-secret-demo|$3|" \
		tests/profiles/boot/dm-bootstrap.xml >"$TMP/$1.xml"
	xml2wbxml -o "$TMP/$1.wbxml" "$TMP/$1.xml" >/dev/null 2>&1
}
sed "s|= boot/|= $BOOT/|" tests/profiles/demo.conf >"$TMP/A.conf"
A=8949440000001234567
card plain 8949440000000000001
dmboot thief dm.thief.example thief-secret
card thief 8949440000006666666 "$TMP/thief.wbxml"

# The swap sequence: A; a SIM without bootstrap; the thief's card naming
# operator-dm at its own host; A again.  A's account ends as its server
# left it, under the default policy and under remove_stale = no.
: >"$TMP/policy.conf"
$LAB sim 0 "$TMP/A.conf"
ub --json bootstrap | head -c 600; echo
$UB --tree "$T" tree list ./DMAcc
server AppAuth/1/AAuthSecret rotated-1; echo "server rc $?"
$LAB sim 0 "$TMP/plain.conf"
ub --json bootstrap | head -c 600; echo
$UB --tree "$T" tree list ./DMAcc
cat $TMP/A.conf | head -5; grep -n pkcs15 -A5 $TMP/A.conf
done_testing
