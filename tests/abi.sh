#!/bin/bash
# The library's ABI is its public headers, both ways: every function that
# include/uiccboot/*.h declares is exported by libuiccboot.so and defined
# in the archive that is installed, and nothing else is (no function of a
# layer, no data).  Every public header compiles on its own, as C and as
# C++, with C linkage.  Prints "abi: N passed, N failed".  B picks the
# build (default build).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
CC=${CC:-cc}
CXX=${CXX:-g++}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() {
	echo "ok - $1"
	pass=$((pass + 1))
}
not_ok() {
	echo "not ok - $1"
	fail=$((fail + 1))
}

# What the headers declare: the compiler's own list of the prototypes it
# read (-aux-info), those of include/uiccboot/ kept.
for h in include/uiccboot/*.h; do echo "#include <uiccboot/${h##*/}>"; done >"$T/all.c"
if $CC -Iinclude -fsyntax-only -aux-info "$T/aux" "$T/all.c" 2>"$T/err"; then
	sed -n 's|^/\* include/uiccboot/[^ ]* \*/ extern [^(]*[ *]\([A-Za-z_0-9]*\) (.*|\1|p' "$T/aux" |
		sort -u >"$T/declared"
else
	cat "$T/err"
	: >"$T/declared"
fi
n=$(wc -l <"$T/declared")
if [ "$n" -gt 40 ]; then ok "the public headers declare $n functions"; else
	not_ok "the public headers declare $n functions"; fi

# A failure is said one way, struct ub_status (ub_error.h): no public call
# takes a buffer for the words of its failure (char *why, size_t whylen).
# -aux-info gives the prototypes without names: each with a char * before
# a size_t is read again in its header, where the names are.
grep -E '^/\* include/uiccboot/[^ ]*:[0-9]+:' "$T/aux" | grep -E '[(,] (unsigned )?char \*, size_t' |
	sed -n 's|^/\* \(include/uiccboot/[^:]*\):\([0-9]*\):.*|\1 \2|p' >"$T/charbufs"
: >"$T/whybufs"
while read -r f l; do
	decl=$(sed -n "$l,/;/p" "$f" | tr '\n\t' '  ')
	if echo "$decl" | grep -Eq 'char \*(why|err|error|errbuf|errmsg|msg|reason|what)[a-z]*, *size_t'; then
		echo "$decl" | sed -n 's/^[^(]*[ *]\([a-z_0-9]*\)(.*/\1/p' >>"$T/whybufs"
	fi
done <"$T/charbufs"
if [ ! -s "$T/whybufs" ]; then ok "no public call takes a why-buffer (char *why, size_t len): struct ub_status"; else
	not_ok "public calls that take a why-buffer instead of struct ub_status: $(sort -u "$T/whybufs" | tr '\n' ' ')"; fi

# $1: what, $2: a file of names; compared with what the headers declare
check_set() {
	local extra missing
	extra=$(comm -13 "$T/declared" "$2")
	missing=$(comm -23 "$T/declared" "$2")
	if [ -z "$extra" ]; then ok "$1: nothing that the headers do not declare"; else
		not_ok "$1: $(echo "$extra" | wc -l) not declared by a public header, e.g. $(echo $extra | cut -c1-200)"; fi
	if [ -z "$missing" ]; then ok "$1: every declared function"; else
		not_ok "$1: missing $(echo $missing | cut -c1-200)"; fi
}

# the shared library: defined dynamic symbols, without their version (the
# version node itself, type A, is not a symbol of the API)
nm -D --defined-only "$B/libuiccboot.so" | awk '$2 != "A" {print $3}' | sed 's/@.*//' |
	sort -u >"$T/so"
check_set "libuiccboot.so exports" "$T/so"
if [ -z "$(grep -v '^ub_' "$T/so")" ]; then ok "libuiccboot.so: every export has the ub_ prefix"; else
	not_ok "libuiccboot.so: $(grep -vc '^ub_' "$T/so") exports without ub_, e.g. $(grep -v '^ub_' "$T/so" | head -5 | tr '\n' ' ')"; fi
soname=$(objdump -p "$B/libuiccboot.so" | awk '$1 == "SONAME" {print $2}')
major=$(sed -n 's/^ABI_VERSION := \([0-9]*\)\..*/\1/p' Makefile)
if [ "$soname" = "libuiccboot.so.$major" ]; then ok "SONAME $soname (ABI_VERSION in the Makefile)"; else
	not_ok "SONAME '$soname', the Makefile's ABI_VERSION says libuiccboot.so.$major"; fi

# a minor release adds a version node (LIBUICCBOOT_2.2 for ABI 2.2.0) that
# inherits the one before: the Makefile's ABI_VERSION names the newest node
# of the map, and the library defines it (objdump -p: Version definitions)
abi=$(sed -n 's/^ABI_VERSION := \([0-9]*\.[0-9]*\)\..*/\1/p' Makefile)
node=LIBUICCBOOT_${abi%.0}
newest=$(sed -n 's/^\(LIBUICCBOOT_[0-9.]*\) {.*/\1/p' dist/libuiccboot.map | tail -1)
if [ "$newest" = "$node" ] && objdump -p "$B/libuiccboot.so" | grep -q " $node\$"; then
	ok "ABI $abi: the newest version node is $node, defined by libuiccboot.so"
else
	not_ok "ABI $abi (the Makefile) wants the newest node $node; the map's is '$newest'"
fi

# the archive that is installed: the layers' symbols made local
if [ -f "$B/dist/libuiccboot.a" ]; then
	nm -g --defined-only "$B/dist/libuiccboot.a" | awk 'NF == 3 {print $3}' | sort -u >"$T/a"
	check_set "the archive that is installed, global symbols" "$T/a"
else
	not_ok "no $B/dist/libuiccboot.a (the archive that is installed)"
fi

# each header alone, as C99 and as C++11 (its own includes, extern "C")
for h in include/uiccboot/*.h; do
	name=${h##*/}
	printf '#include <uiccboot/%s>\nint ub_abi_probe;\n' "$name" >"$T/one.c"
	if $CC -std=c99 -Wall -Wextra -Werror -Iinclude -fsyntax-only "$T/one.c" 2>"$T/err" &&
		$CXX -std=c++11 -Wall -Wextra -Werror -Iinclude -fsyntax-only -x c++ "$T/one.c" 2>>"$T/err"; then
		ok "<uiccboot/$name> compiles alone as C99 and C++11"
	else
		not_ok "<uiccboot/$name> compiles alone as C99 and C++11: $(head -3 "$T/err" | tr '\n' ' ')"
	fi
done

# extern "C": a C++ compiler gives the declarations C linkage (a mangled
# reference would not link)
cp "$T/all.c" "$T/use.cc"
printf 'int (*ub_abi_use)(struct ub_tree *) = ub_tree_count;\nconst char *(*ub_abi_use2)(void) = ub_version;\n' >>"$T/use.cc"
if $CXX -std=c++11 -Iinclude -c -o "$T/use.o" "$T/use.cc" 2>"$T/err"; then
	if nm "$T/use.o" | grep -q ' U _Z'; then not_ok "C++: a public function has C++ linkage"; else
		ok "C++: the public functions have C linkage (extern \"C\")"; fi
else
	not_ok "C++: $(head -3 "$T/err" | tr '\n' ' ')"
fi
# libuiccboot(3) is the map of it all: every header in the synopsis, every
# function in the synopsis and described (named with its parentheses)
for h in include/uiccboot/*.h; do
	grep -q "^\.B #include <uiccboot/${h##*/}>" man/libuiccboot.3 || echo "${h##*/}"
done >"$T/man-headers"
while read -r f; do
	grep -q "\"[a-z0-9_ *]*$f(" man/libuiccboot.3 && grep -q "^\.BR $f ()" man/libuiccboot.3 || echo "$f"
done <"$T/declared" >"$T/man-calls"
if [ ! -s "$T/man-headers" ] && [ ! -s "$T/man-calls" ]; then
	ok "libuiccboot(3): every public header and function, in the synopsis and described"
else
	not_ok "libuiccboot(3) leaves out: $(cat "$T/man-headers" "$T/man-calls" | tr '\n' ' ')"
fi
# the version is said once (version.h): the man pages say the same
v=$(sed -n 's/^.define UB_VERSION_STRING "\(.*\)"/\1/p' include/uiccboot/version.h)
bad=$(grep -L "^\.TH .* \"uiccboot $v\"" man/*.[1-9])
if [ -z "$bad" ]; then ok "the man pages say version $v, as version.h does"; else
	not_ok "man pages with another version than $v: $bad"; fi
echo "abi: $pass passed, $fail failed"
[ $fail -eq 0 ]
