# make install (PREFIX, DESTDIR), man pages, the systemd unit, and programs
# built against the installed libuiccboot: a DM client reading the tree,
# and an integrator's power-on bootstrap through the library.
. "$(dirname "$0")/lib.sh"
D=$TMP/destdir
make -s install DESTDIR="$D" PREFIX=/usr >"$TMP/install.log" 2>&1
check "make install DESTDIR=… PREFIX=/usr" test -x "$D/usr/bin/uiccboot" -a -x "$D/usr/bin/uicc-sim"
check "library, soname links, headers, pkg-config file" sh -c \
	"test -f $D/usr/lib/libuiccboot.a && test -L $D/usr/lib/libuiccboot.so && test -L $D/usr/lib/libuiccboot.so.0 &&
	 test -f $D/usr/include/uiccboot/tree.h && test -f $D/usr/include/uiccboot/ub_error.h &&
	 test -f $D/usr/include/uiccboot/boot.h && test -f $D/usr/include/uiccboot/policy.h &&
	 test -f $D/usr/include/uiccboot/lwm2m.h &&
	 grep -q '^libdir=/usr/lib' $D/usr/lib/pkgconfig/libuiccboot.pc"
check "unit, example policy, profiles" sh -c \
	"grep -q '^ExecStart=/usr/bin/uiccboot ' $D/lib/systemd/system/uiccboot.service &&
	 test -f $D/usr/share/uiccboot/policy.conf.example && test -f $D/usr/share/uiccboot/profiles/demo.conf"
for m in man1/uiccboot.1 man1/uicc-sim.1 man3/libuiccboot.3 man5/uiccboot-policy.5; do
	check "man -l renders $m without warnings" sh -c \
		"MANWIDTH=80 man --warnings -l $D/usr/share/man/$m 2>$TMP/manerr | grep -q 'SEE ALSO' && ! test -s $TMP/manerr"
done
check "the example policy is a valid policy (every key at its default)" sh -c \
	"$UB --policy $D/usr/share/uiccboot/policy.conf.example push tests/fixtures/dm12-plain.wbxml --content-type application/vnd.syncml.dm+wbxml --transport secure --dry-run >/dev/null"

# systemd-analyze verify wants the ExecStart binary and the man pages where
# the unit says: an install without DESTDIR into a private prefix
P=$TMP/prefix
make -s install PREFIX="$P" >>"$TMP/install.log" 2>&1
check "systemd-analyze verify accepts the unit (its binary and man pages found)" sh -c \
	"MANPATH=$P/share/man: systemd-analyze verify $P/lib/systemd/system/uiccboot.service"

# a DM client against the installed library: the ACLs uiccboot wrote hold
export PKG_CONFIG_PATH=$P/lib/pkgconfig
check "examples/dmclient.c builds with pkg-config --cflags --libs libuiccboot" sh -c \
	"cc -Wall -Wextra -Werror examples/dmclient.c \$(pkg-config --cflags --libs libuiccboot) -Wl,-rpath,$P/lib -o $TMP/dmclient"
"$P/bin/uiccboot" --tree "$TMP/t.db" tree import tests/fixtures/factory-image.xml >/dev/null
check "the DM client reads and changes its own account" eq \
	"$("$TMP/dmclient" "$TMP/t.db" dm.oem.example OEMFactory | tail -2 | tr '\n' '|')" \
	"get ./DMAcc/OEMFactory/ServerID = dm.oem.example|replace ./DMAcc/OEMFactory/Name: ok|"
check "another ServerID is refused by the ACL" eq \
	"$("$TMP/dmclient" "$TMP/t.db" other-server OEMFactory | tail -2 | tr '\n' '|')" \
	"get ./DMAcc/OEMFactory/ServerID: policy|replace ./DMAcc/OEMFactory/Name: policy|"

# an integrator's program: the power-on bootstrap through the library
check "examples/poweron.c builds against the installed headers and library" sh -c \
	"cc -Wall -Wextra -Werror examples/poweron.c \$(pkg-config --cflags --libs libuiccboot) -Wl,-rpath,$P/lib -o $TMP/poweron"
$LAB sim 0 tests/profiles/demo.conf
: >"$TMP/empty.conf"
out=$("$TMP/poweron" "$TMP/pw.db" "$TMP/empty.conf"); rc=$?
check "the power-on bootstrap through the library applies the card and reads its DMAcc" sh -c \
	"[ $rc = 0 ] && echo '$out' | grep -q ': applied (DM Bootstrap + CP Bootstrap of card 8949440000001234567' &&
	 echo '$out' | grep -q '  ServerID = operator-dm' && echo '$out' | grep -q 'AAuthSecret = (a secret)'"
out=$("$TMP/poweron" "$TMP/pw.db" "$TMP/empty.conf"); rc=$?
check "... a second power-on: unchanged" sh -c "[ $rc = 0 ] && echo '$out' | grep -q ': unchanged'"
$LAB simstop 0
out=$("$TMP/poweron" "$TMP/pw.db" "$TMP/empty.conf"); rc=$?
check "... no card within its 5 s wait: exit 1, timeout said, what the card wrote removed" sh -c \
	"[ $rc = 1 ] && echo '$out' | grep -q 'timeout' && echo '$out' | grep -q 'removed ./DMAcc/OperatorDM'"
# an LwM2M client against the installed library: the card's Objects as
# Bootstrap-Write payloads (the tree restored from an export of the demo card's)
check "examples/lwm2mclient.c builds with pkg-config --cflags --libs libuiccboot" sh -c \
	"cc -Wall -Wextra -Werror examples/lwm2mclient.c \$(pkg-config --cflags --libs libuiccboot) -Wl,-rpath,$P/lib -o $TMP/lwm2mclient"
"$P/bin/uiccboot" --tree "$TMP/l.db" tree import tests/fixtures/lwm2m-tree.xml >/dev/null
check "the LwM2M client gets /0 and /1, as SenML and TLV" eq \
	"$("$TMP/lwm2mclient" "$TMP/l.db" | cut -c1-60 | tr '\n' '|')" \
	'Bootstrap-Write /0 (110): [{"bn":"/0/0/","n":"0","vs":"coaps|Bootstrap-Write /0 (11542): 196 bytes of TLV|Bootstrap-Write /1 (110): [{"bn":"/1/0/","n":"0","v":101},{"|Bootstrap-Write /1 (11542): 18 bytes of TLV|'
done_testing
