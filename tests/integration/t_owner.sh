# The device is a party, a URI has one spelling, and the state one sender
# can fill is bounded: what an attacker who had read the account model tried
# after the second attack (docs/trust-model.md).  Each check fails on the
# code before the change that made it pass.
# lab: long (a few minutes: started first, so the three at a time end together)
. "$(dirname "$0")/lib.sh"
DM="application/vnd.syncml.dm+wbxml"
CP="application/vnd.wap.connectivity-wbxml"
T=$TMP/dmtree.db
MK="python3 tests/integration/mkboot.py"
MKCP="python3 tests/integration/mkcp.py"
ub() { $UB --tree "$T" --policy "$TMP/policy.conf" "$@"; }
policy() { printf "$1" >"$TMP/policy.conf"; }
push() { # FILE CONTENT-TYPE
	out=$(ub --json push "$1" --content-type "$2" --transport secure 2>"$TMP/err"); rc=$?
}
res() { echo "$rc $(echo "$out" | jget "d.get('error') or d['status']")"; }
get() { ub --json tree get --secrets "$1" 2>/dev/null | jget "d.get('$2', '(none)')"; }
export_all() { ub tree export --secrets; }
# a push of the device's connectivity, under [push] connectivity_only = yes
# (an older uiccboot knows no such key, and applied such pushes anyway: it
# gets no policy; asked once, with a small push into an empty tree)
CONN_ONLY="[push]\nconnectivity_only = yes\n"
$MKCP "$TMP/probe.wbxml" "PXLOGICAL:PROXY-ID=PROBE,PXADDR=proxy.probe.example"
printf "$CONN_ONLY" >"$TMP/probe.conf"
$UB --tree "$TMP/probe.db" --policy "$TMP/probe.conf" push "$TMP/probe.wbxml" --content-type "$CP" \
	--transport secure --dry-run >/dev/null 2>&1 || CONN_ONLY=""
cp_push() {
	policy "$CONN_ONLY"
	push "$1" "$CP"
	policy ""
}
sql() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()" "$T" "$1"; }
policy ""
# the big CP documents first (xml2wbxml takes its time)
$MKCP "$TMP/c0.wbxml" --napdefs CAAx 0 1332
# ... and Web, Web1 ... Web1332 (a 35 KiB push)
python3 -c "import sys; open(sys.argv[2],'wb').write(open(sys.argv[1],'rb').read().replace(b'CAAx', b'Web'))" \
	"$TMP/c0.wbxml" "$TMP/sq.wbxml"
$LAB sim 0 tests/profiles/demo.conf
ub bootstrap >/dev/null # operator-dm: ./DMAcc/OperatorDM, ./ConnMO/Internet

# --- 1. a push that configures no server: the device's connectivity ---
$MK "$TMP/a.wbxml" ./DMAcc/a/ServerID=srvA ./DMAcc/a/PrefConRef=./ConnMO/APN1
push "$TMP/a.wbxml" "$DM"
$MKCP "$TMP/px.wbxml" "PXLOGICAL:PROXY-ID=APN1,PXADDR=proxy.evil.example"
export_all >"$TMP/before"
push "$TMP/px.wbxml" "$CP"
check "an OMA CP push with connectivity only: refused by default (77, [push] connectivity_only)" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'connectivity_only' $TMP/err && $UB --tree $T tree export --secrets | cmp -s - $TMP/before"
cp_push "$TMP/px.wbxml"
check "... allowed: it does not land at ./ConnMO/APN1, which srvA's PrefConRef names (renamed)" eq \
	"$(res) $(echo "$out" | jget "d['renamed']") $(get ./ConnMO/APN1 uri) $(get ./ConnMO/APN11/PX/Addr value)" \
	'0 applied [{"from": "./ConnMO/APN1", "to": "./ConnMO/APN11"}] (none) proxy.evil.example'
check "... and it is the device's" eq "$(get ./ConnMO/APN11 server)" "null"

# --- 2. the device's proxy in front of another server's APN ---
$MKCP "$TMP/px2.wbxml" "PXLOGICAL:PROXY-ID=EVILPX,PXADDR=proxy.evil.example,TO-NAPID=Internet"
export_all >"$TMP/before"
cp_push "$TMP/px2.wbxml"
check "a PXLOGICAL whose TO-NAPID names operator-dm's APN: refused (77), tree unchanged" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q \"the device's connectivity names only the device's\" $TMP/err && $UB --tree $T tree export --secrets | cmp -s - $TMP/before"
# such a proxy, as an older version let it in
sql "INSERT INTO node(uri, parent, format, source) VALUES('./ConnMO/OLDPX', './ConnMO', 'node', 'push');
     INSERT INTO node(uri, parent, format, source) VALUES('./ConnMO/OLDPX/PX', './ConnMO/OLDPX', 'node', 'push');
     INSERT INTO node(uri, parent, format, value, source) VALUES('./ConnMO/OLDPX/PX/ToConRef', './ConnMO/OLDPX/PX', 'chr', './ConnMO/Internet', 'push');"
$MK "$TMP/b.wbxml" ./DMAcc/b/ServerID=srvB ./DMAcc/b/PrefConRef=./ConnMO/OLDPX
push "$TMP/b.wbxml" "$DM"
check "srvB's account naming a device proxy that leads to operator-dm's APN: refused (77)" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'leads to ./ConnMO/Internet' $TMP/err"
sql "DELETE FROM node WHERE uri = './ConnMO/OLDPX' OR uri LIKE './ConnMO/OLDPX/%';"

# --- 3. relative URIs: ConnMO/Internet names ./ConnMO/Internet (DM-TND 5) ---
export_all >"$TMP/before"
$MK "$TMP/r.wbxml" ./DMAcc/r/ServerID=srvR ./DMAcc/r/PrefConRef=ConnMO/Internet
push "$TMP/r.wbxml" "$DM"
check "srvR names operator-dm's ConnMO relatively: refused (77), tree unchanged" sh -c \
	"[ '$(res)' = '77 policy' ] && grep -q 'connectivity MO of another server' $TMP/err && $UB --tree $T tree export --secrets | cmp -s - $TMP/before"
$MK "$TMP/r2.wbxml" ./DMAcc/r/ServerID=srvR ./DMAcc/r/PrefConRef=ConnMO/Internet ./ConnMO/Internet/NAP/Addr=apn.r
push "$TMP/r2.wbxml" "$DM"
check "srvR's own ConnMO Internet is renamed, and its relative reference follows it" eq \
	"$(res) $(echo "$out" | jget "d['renamed']") $(get ./DMAcc/r/PrefConRef value) $(get ./ConnMO/Internet1/NAP/Addr server)" \
	'0 applied [{"from": "./ConnMO/Internet", "to": "./ConnMO/Internet1"}] ./ConnMO/Internet1 srvR'
$MK "$TMP/f.wbxml" ./DMAcc/f/ServerID=srvF ./DMAcc/f/PrefConRef=ConnMO/Free
push "$TMP/f.wbxml" "$DM"
check "a relative reference is stored as ./ConnMO/Free" eq "$(res) $(get ./DMAcc/f/PrefConRef value)" "0 applied ./ConnMO/Free"
$MK "$TMP/g.wbxml" ./DMAcc/g/ServerID=srvG ./DMAcc/g/PrefConRef=./ConnMO/Free ./ConnMO/Free/NAP/AuthInfo/AuthSecret=g-secret
push "$TMP/g.wbxml" "$DM"
check "srvG's ConnMO does not take ./ConnMO/Free, which srvF's relative reference names" eq \
	"$(res) $(get ./ConnMO/Free uri) $(get ./DMAcc/g/PrefConRef value)" "0 applied (none) ./ConnMO/Free1"
$MK "$TMP/h1.wbxml" ./DMAcc/h/ServerID=srvH ./DMAcc/h/PrefConRef=ConnMO/HX ./ConnMO/HX/NAP/Addr=apn.h
$MK "$TMP/h2.wbxml" ./DMAcc/h/ServerID=srvH ./DMAcc/h/Name=second ./DMAcc/h/PrefConRef=ConnMO/HX
push "$TMP/h1.wbxml" "$DM"
push "$TMP/h2.wbxml" "$DM"
check "srvH's next bootstrap still names its ConnMO relatively: not removed as unreferenced" eq \
	"$(res) $(echo "$out" | jget "d['removed']") $(get ./ConnMO/HX/NAP/Addr value)" "0 applied [] apn.h"

# --- 4. other spellings: refused, naming the node ---
for v in ./ConnMO//Internet ./ConnMO/./Internet ./ConnMO/x/../Internet ./ConnMO/Internet/ ConnMO//Internet; do
	$MK "$TMP/n.wbxml" ./DMAcc/n/ServerID=srvN "./DMAcc/n/PrefConRef=$v"
	push "$TMP/n.wbxml" "$DM"
	check "PrefConRef $v: refused (65), naming ./DMAcc/n/PrefConRef" sh -c \
		"[ '$(res)' = '65 bad-data' ] && grep -q './DMAcc/n/PrefConRef' $TMP/err"
done
$MK "$TMP/n.wbxml" DMAcc/n/ServerID=srvN DMAcc/n/PrefConRef=ConnMO/N ConnMO/N/NAP/Addr=apn.n
push "$TMP/n.wbxml" "$DM"
check "relative node URIs are the absolute ones" eq "$(res) $(echo "$out" | jget "d['accounts']") $(get ./ConnMO/N/NAP/Addr value)" \
	'0 applied ["./DMAcc/n"] apn.n'

# --- 5. pushed connectivity fills the tree ---
# srvK's account names the device's proxy: that one stays
$MK "$TMP/k.wbxml" ./DMAcc/k/ServerID=srvK ./DMAcc/k/PrefConRef=./ConnMO/APN11
push "$TMP/k.wbxml" "$DM"
for i in $(seq 1 33); do
	# one document, its 1333 names changed for each push (inline strings)
	python3 -c "import sys; d=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write(d.replace(b'CAAx', b'C%02dx' % int(sys.argv[3])))" \
		"$TMP/c0.wbxml" "$TMP/c.wbxml" "$i"
	cp_push "$TMP/c.wbxml"
	[ $rc = 0 ] || break
done
nodes=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from node').fetchone()[0])" "$T")
check "33 connectivity-only pushes of 1333 APNs each: all applied, each replaces the last ($nodes nodes)" eq \
	"$i $rc $(ub tree list ./ConnMO | grep -c '^C33x') $(ub tree list ./ConnMO | grep -c '^C32x')" "33 0 1333 0"
$MK "$TMP/k.wbxml" ./DMAcc/k/ServerID=srvK ./DMAcc/k/Name=later ./DMAcc/k/PrefConRef=./ConnMO/APN11
push "$TMP/k.wbxml" "$DM"
check "... and a later bootstrap still fits" eq "$(res)" "0 applied"
check "... the device's proxy that srvK's account names is there still" eq "$(get ./ConnMO/APN11/PX/Addr value)" "proxy.evil.example"

# --- 6. one push holds every <name>1 ... <name>1332 ---
cp_push "$TMP/sq.wbxml"
$MK "$TMP/e.wbxml" ./DMAcc/e/ServerID=srvE ./DMAcc/e/PrefConRef=./ConnMO/Web ./ConnMO/Web/NAP/Addr=apn.e
push "$TMP/e.wbxml" "$DM"
check "Web, Web1 ... Web1332 taken by one push: srvE's ConnMO Web goes to Web1333 (it found no free name)" eq \
	"$(res) $(get ./DMAcc/e/PrefConRef value) $(get ./ConnMO/Web1333/NAP/Addr value)" "0 applied ./ConnMO/Web1333 apn.e"

# --- 7. another writer holds the tree: one deadline, and a clear error ---
python3 -c "
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN IMMEDIATE')
print('locked', flush=True)
time.sleep(8)" "$T" >"$TMP/locked" &
held=$!
for _ in $(seq 50); do grep -q locked "$TMP/locked" && break; sleep 0.1; done
$MK "$TMP/l.wbxml" ./DMAcc/l/ServerID=srvL
push "$TMP/l.wbxml" "$DM"
wait $held
check "the tree's write lock held by another process: an I/O error after 5 s, and says so" sh -c \
	"[ '$(res)' = '$rc io' ] && [ $rc != 0 ] && grep -q 'another process held its write lock for 5000 ms' $TMP/err"

# --- 8. the card path: a card's relative reference (issue of a hostile SIM) ---
mkcard() { # NAME PROFILE-OUT, the DM bootstrap of card B on stdin
	xml2wbxml -o "$TMP/$1.wbxml" /dev/stdin >/dev/null 2>&1
	sed "s/^iccid = .*/iccid = 8949440000007654321/; s|^dm_bootstrap = .*|dm_bootstrap = $TMP/$1.wbxml|; /^cp_bootstrap/d; /^lwm2m_/d" \
		tests/profiles/demo.conf >"$2"
}
rm -f "$T"*
# one card after the other, both kept (a card's data stays when another is read)
policy "[smartcard]\nremove_stale = no\n"
ub -r "$R0" bootstrap >/dev/null
# card B names card A's ConnMO as ConnMO/Internet
sed 's/operator-dm/operator-b/; s/OperatorDM/OperatorB/g; s|<Data>./ConnMO/Internet</Data>|<Data>ConnMO/Internet</Data>|; /ConnMO\/Internet\//d' \
	tests/profiles/boot/dm-bootstrap.xml | mkcard b1 "$TMP/b1.conf"
$LAB sim 1 "$TMP/b1.conf"
out=$(ub --json -r "$R1" bootstrap 2>"$TMP/err"); rc=$?
check "card B's relative reference to card A's ConnMO: refused (77)" eq \
	"$rc $(echo "$out" | jget "d['status']") $(get ./DMAcc/OperatorB uri)" "77 rejected (none)"
grep -q 'connectivity MO of another server' "$TMP/err"
check "... saying why" test $? = 0
# card B brings its own ConnMO Internet, named relatively
sed 's/operator-dm/operator-b/; s/OperatorDM/OperatorB/g; s|<Data>./ConnMO/Internet</Data>|<Data>ConnMO/Internet</Data>|' \
	tests/profiles/boot/dm-bootstrap.xml | mkcard b2 "$TMP/b2.conf"
$LAB sim 1 "$TMP/b2.conf"
out=$(ub --json -r "$R1" bootstrap 2>"$TMP/err"); rc=$?
check "card B's own ConnMO Internet: renamed, and its relative reference follows it" eq \
	"$rc $(get ./DMAcc/OperatorB/PrefConRef value) $(get ./ConnMO/Internet1 server) $(get ./ConnMO/Internet server)" \
	"0 ./ConnMO/Internet1 operator-b operator-dm"
done_testing
