# make install (PREFIX, DESTDIR), man pages, the systemd unit and what it
# runs on a fresh install, and programs built against the installed
# libuiccboot: a DM client reading the tree (C, and C++ with the shared and
# the static library), an integrator's power-on bootstrap through the library.
# lab: alone (the installed unit's ExecStart bootstraps every reader of the pcscd)
. "$(dirname "$0")/lib.sh"
D=$TMP/destdir
make -s install DESTDIR="$D" PREFIX=/usr >"$TMP/install.log" 2>&1
check "make install DESTDIR=… PREFIX=/usr" test -x "$D/usr/bin/uiccboot" -a -x "$D/usr/bin/uicc-sim"
check "library, headers, pkg-config file" sh -c \
	"test -f $D/usr/lib/libuiccboot.a && test -f $D/usr/include/uiccboot/ub_error.h &&
	 grep -q '^libdir=/usr/lib' $D/usr/lib/pkgconfig/libuiccboot.pc"
check "the installed headers are include/uiccboot/*.h, every one" eq \
	"$(ls $D/usr/include/uiccboot | tr '\n' ' ')" "$(ls include/uiccboot | tr '\n' ' ')"
# libuiccboot.so -> libuiccboot.so.N (the SONAME, N the ABI's major) ->
# libuiccboot.so.N.x.y (the file)
so=$(sed -n 's/^ABI_VERSION := //p' Makefile)
mj=${so%%.*}
check "shared library links: .so -> .so.$mj -> .so.$so, whose SONAME is libuiccboot.so.$mj" sh -c \
	"[ \"\$(readlink $D/usr/lib/libuiccboot.so)\" = libuiccboot.so.$mj ] &&
	 [ \"\$(readlink $D/usr/lib/libuiccboot.so.$mj)\" = libuiccboot.so.$so ] &&
	 test -f $D/usr/lib/libuiccboot.so.$so && ! test -L $D/usr/lib/libuiccboot.so.$so &&
	 objdump -p $D/usr/lib/libuiccboot.so.$so | grep -q 'SONAME *libuiccboot.so.$mj\$'"
check "libuiccboot.pc: libcurl not required (it is loaded at run time), json-c is" sh -c \
	"! grep -q '^Requires.*curl' $D/usr/lib/pkgconfig/libuiccboot.pc && grep -q '^Requires.private:.* json-c' $D/usr/lib/pkgconfig/libuiccboot.pc"
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
check "systemd-analyze verify accepts the SMS unit; its device access is the modem's port alone" sh -c \
	"MANPATH=$P/share/man: systemd-analyze verify $P/lib/systemd/system/uiccboot-sms.service &&
	 grep -q '^DevicePolicy=closed' $P/lib/systemd/system/uiccboot-sms.service &&
	 [ \"\$(grep -c '^DeviceAllow=' $P/lib/systemd/system/uiccboot-sms.service)\" = 1 ] &&
	 grep -q '^DeviceAllow=/dev/ttyUSB2 rw' $P/lib/systemd/system/uiccboot-sms.service"

# --- the service on a fresh install: no /etc/uiccboot/policy.conf ---
# The installed unit's ExecStart line, run as systemd would run it: in a
# mount namespace of its own, /var/lib a fresh tmpfs with /var/lib/uiccboot
# made 0700 (StateDirectory=), /etc/uiccboot empty (ConfigurationDirectory=,
# nothing installed into it), UMask=0077, an empty environment.
unit=$P/lib/systemd/system/uiccboot.service
exec_line=$(sed -n 's/^ExecStart=[-@:+!]*//p' "$unit")
check "the unit's ExecStart runs the installed binary" sh -c "case '$exec_line' in '$P/bin/uiccboot '*) true;; *) false;; esac"
$LAB sim 0 tests/profiles/demo.conf
cat >"$TMP/service.sh" <<SERVICE
set -u
mount -t tmpfs -o mode=0755 tmpfs /var/lib || exit 90
mkdir -m 0700 /var/lib/uiccboot
if [ -d /etc/uiccboot ]; then mount -t tmpfs tmpfs /etc/uiccboot || exit 91; fi
[ -e /etc/uiccboot/policy.conf ] && exit 92
umask 0077
env -i PATH=/usr/bin:/bin $exec_line >$TMP/service.out 2>&1
echo "exit \$?"
stat -c %a /var/lib/uiccboot/dmtree.db
$P/bin/uiccboot --tree /var/lib/uiccboot/dmtree.db tree list ./DMAcc
SERVICE
out=$(unshare --mount --propagation private sh "$TMP/service.sh" 2>&1)
check "the installed unit's ExecStart with no policy file: exit 0, the card's account in a 0600 tree" eq \
	"$(echo "$out" | tr '\n' ' ')" "exit 0 600 OperatorDM operator-cp "
check "... on the built-in defaults (the card's bootstrap applied, nothing said of a policy)" sh -c \
	"grep -q 'applied' $TMP/service.out && ! grep -qi 'policy' $TMP/service.out"
$LAB simstop 0
"$P/bin/uiccboot" --policy "$TMP/no-such.conf" push tests/fixtures/dm12-plain.wbxml \
	--content-type application/vnd.syncml.dm+wbxml --transport secure --dry-run >/dev/null 2>"$TMP/err"
rc=$?
check "a policy named with --policy that is not there: 78 (configuration), the file named" sh -c \
	"[ $rc = 78 ] && grep -q 'no-such.conf' $TMP/err && grep -q '\[config\]' $TMP/err"

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
"$TMP/dmclient" "$TMP/typo.db" dm.oem.example OEMFactory >/dev/null 2>"$TMP/err"; rc=$?
check "the DM client on a mistyped tree: an error naming the file, no tree made" sh -c \
	"[ $rc = 1 ] && grep -q 'typo.db: no such file' $TMP/err && grep -q 'no-input' $TMP/err && ! test -e $TMP/typo.db"

# a C++ DM client: every installed header, the shared library, then the
# static archive, both as pkg-config says
for h in "$P"/include/uiccboot/*.h; do echo "#include <uiccboot/${h##*/}>"; done >"$TMP/all.h"
check "a C++ program including every installed public header builds with g++ and pkg-config (shared)" sh -c \
	"g++ -std=c++11 -Wall -Wextra -Werror -include $TMP/all.h tests/integration/cxxclient.cc \$(pkg-config --cflags --libs libuiccboot) -Wl,-rpath,$P/lib -o $TMP/cxx-shared"
check "... linked against the installed libuiccboot.so.$mj" sh -c "ldd $TMP/cxx-shared | grep -q 'libuiccboot.so.$mj => $P/lib/libuiccboot.so.$mj'"
v=$(sed -n 's/^.define UB_VERSION_STRING "\(.*\)"/\1/p' include/uiccboot/version.h)
want="version $v $v 1|missing no-input 1 named|account OEMFactory|replace on a read-only handle: usage|"
check "... runs: the version, a missing tree read-only (no-input), the accounts" eq \
	"$("$TMP/cxx-shared" "$TMP/t.db" "$TMP/typo.db" | tr '\n' '|')" "$want"
static_libs=$(pkg-config --static --libs libuiccboot | sed 's/-luiccboot/-l:libuiccboot.a/')
check "the same with the static archive: g++ and pkg-config --static" sh -c \
	"g++ -std=c++11 -Wall -Wextra -Werror -include $TMP/all.h tests/integration/cxxclient.cc \$(pkg-config --cflags libuiccboot) $static_libs -o $TMP/cxx-static"
check "... not linked against libuiccboot.so, and runs the same" sh -c \
	"! ldd $TMP/cxx-static | grep -q libuiccboot && [ \"\$($TMP/cxx-static $TMP/t.db $TMP/typo.db | tr '\n' '|')\" = '$want' ]"
check "a C program statically: examples/dmclient.c with pkg-config --static" sh -c \
	"cc -Wall -Wextra -Werror examples/dmclient.c \$(pkg-config --cflags libuiccboot) $static_libs -o $TMP/dmclient-static &&
	 $TMP/dmclient-static $TMP/t.db dm.oem.example OEMFactory | grep -q 'get ./DMAcc/OEMFactory/ServerID = dm.oem.example'"
check "the static archive lends a program none of the layers' names (pb_*, xdoc_*)" sh -c \
	"! nm $TMP/cxx-static | grep -q ' [TD] \(pb_\|xdoc_\|UB_EF_\)'"

# an integrator's program: the power-on bootstrap through the library
check "examples/poweron.c builds against the installed headers and library" sh -c \
	"cc -Wall -Wextra -Werror examples/poweron.c \$(pkg-config --cflags --libs libuiccboot) -Wl,-rpath,$P/lib -o $TMP/poweron"
$LAB sim 0 tests/profiles/demo.conf
: >"$TMP/empty.conf"
out=$("$TMP/poweron" "$TMP/pw.db" "$TMP/empty.conf" "$R0"); rc=$?
check "the power-on bootstrap through the library applies the card and reads its DMAcc" sh -c \
	"[ $rc = 0 ] && echo '$out' | grep -q ': applied (DM Bootstrap + CP Bootstrap of card 8949440000001234567' &&
	 echo '$out' | grep -q '  ServerID = operator-dm' && echo '$out' | grep -q 'AAuthSecret = (a secret)'"
out=$("$TMP/poweron" "$TMP/pw.db" "$TMP/empty.conf" "$R0"); rc=$?
check "... a second power-on: unchanged" sh -c "[ $rc = 0 ] && echo '$out' | grep -q ': unchanged'"
$LAB simstop 0
printf '[smartcard]\nremove_absent = yes\n' >"$TMP/absent.conf"
out=$("$TMP/poweron" "$TMP/pw.db" "$TMP/absent.conf" "$R0"); rc=$?
check "... no card within its 5 s wait (remove_absent = yes): exit 1, timeout said, what the card wrote removed" sh -c \
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
