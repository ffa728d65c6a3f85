#!/bin/bash
# Imports only go down: each folder may include the headers of the folders
# listed for it here (docs/architecture.md), and of no other, and its files
# call only functions of those folders and of their own (tests/callgraph.py,
# from the built objects), never in a circle of files that call each other.
# Prints every include or call that goes up or sideways and every circle,
# and fails if there is one.
set -u
cd "$(dirname "$0")/.."
declare -A may=(
	[src/base]=""
	[include]="src/base"
	[pcsc]="src/base"
	[src/wire]="src/base"
	[src/lwm2m]="src/base include"
	[uicc-files]="src/base pcsc"
	[gba-u]="src/base pcsc uicc-files"
	# the OMA DM side, a concern a folder: the policy file, factory keys,
	# SEC and MAC, the DM names, LwM2M leaves in the tree, the account
	# model, documents (XML, WBXML), the plan, the decoders to a plan
	[src/policy]="src/base include"
	[src/factory]="src/base include"
	[src/mac]="src/base src/wire src/policy include"
	[src/dm]="src/base src/lwm2m include"
	[src/lwm2m-map]="src/base src/lwm2m src/dm include"
	[src/account]="src/base src/lwm2m src/dm src/lwm2m-map include"
	[src/doc]="src/base src/dm include"
	[src/plan]="src/base src/dm src/doc include"
	[src/decode]="src/base src/lwm2m src/dm src/doc src/plan src/lwm2m-map src/account include"
	[src/tree]="src/base src/lwm2m src/policy src/factory src/mac src/dm src/plan src/lwm2m-map src/account include"
	[src/boot]="src/base pcsc src/wire src/lwm2m uicc-files gba-u src/policy src/factory src/mac src/dm src/plan src/lwm2m-map src/account src/decode src/tree include"
	[src/cli]="src/base pcsc src/wire src/lwm2m uicc-files gba-u src/policy src/factory src/mac src/dm src/plan src/lwm2m-map src/account src/decode src/tree src/boot include"
)
# the folder of every header
declare -A home
for d in "${!may[@]}"; do
	for h in "$d"/*.h; do
		[ -e "$h" ] && home[${h##*/}]=$d
	done
done
for h in include/uiccboot/*.h; do home[${h##*/}]=include; done
# the public headers that src/base/ implements (errors, the version, the
# process's secrets, hex, text) are the lowest layer's: every layer may include them
for h in ub_error.h version.h secret.h hex.h text.h; do
	home[$h]=src/base
done
bad=0
for d in "${!may[@]}"; do
	for f in "$d"/*.[ch]; do
		[ -e "$f" ] || continue
		while read -r h; do
			o=${home[$h]:-}
			[ -z "$o" ] || [ "$o" = "$d" ] && continue
			case " ${may[$d]} " in
			*" $o "*) ;;
			*)
				echo "layers: $f includes $h (from $o/)"
				bad=1
				;;
			esac
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | sed 's|.*/||')
	done
done
[ $bad = 0 ] && echo "layers: includes go down"

# Calls: read off the built objects (B, default build), a file's calls
# follow the same table, and no files call each other in a circle.
B=${B:-build}
if [ -d "$B/obj/src" ]; then
	for d in "${!may[@]}"; do echo "$d: ${may[$d]}"; done |
		python3 tests/callgraph.py "$B/obj" || bad=1
else
	echo "layers: no objects in $B/obj: build first (make), the calls are not checked"
	bad=1
fi

# Headers: a header in folder X declares only functions that X's objects
# define (the public headers in include/ are the library's, not a folder's).
# The declarations are the compiler's (-aux-info), the definitions nm's.
if [ -d "$B/obj/src" ]; then
	folders=(src/base pcsc uicc-files gba-u src/wire src/lwm2m src/policy src/factory src/mac
		src/dm src/lwm2m-map src/account src/doc src/plan src/decode src/tree src/boot src/cli)
	declare -A defined_in
	for d in "${folders[@]}"; do
		for o in "$B/obj/$d"/*.o; do
			[ -e "$o" ] && [ -e "$d/$(basename "$o" .o).c" ] || continue
			for s in $(nm --defined-only "$o" | awk '$2 == "T" {print $3}'); do
				defined_in[$s]=$d
			done
		done
	done
	incs=(-Iinclude -Iinclude/uiccboot)
	for d in "${folders[@]}"; do incs+=("-I$d"); done
	tmp=$(mktemp -d)
	for d in "${folders[@]}"; do
		for h in "$d"/*.h; do
			[ -e "$h" ] || continue
			printf '#include "%s"\n' "${h##*/}" >"$tmp/h.c"
			${CC:-cc} -std=gnu11 -D_GNU_SOURCE "${incs[@]}" \
				$(pkg-config --cflags libpcsclite libcrypto json-c 2>/dev/null) \
				-fsyntax-only -aux-info "$tmp/aux" "$tmp/h.c" 2>/dev/null || {
				echo "layers: $h does not compile on its own"
				bad=1
				continue
			}
			while read -r f; do
				o=${defined_in[$f]:-}
				if [ -n "$o" ] && [ "$o" != "$d" ]; then
					echo "layers: $h declares $f, which $o/ defines"
					bad=1
				fi
			done < <(grep -F "/* $h:" "$tmp/aux" | grep ' extern ' |
				sed -n 's/^[^(]*[ *]\([A-Za-z_][A-Za-z0-9_]*\) (.*/\1/p')
		done
	done
	rm -rf "$tmp"
	[ $bad = 0 ] && echo "layers: each header declares only what its own folder defines"
fi

# The command line is a client of the public API: src/cli/ includes only
# the public headers (include/uiccboot/), its own cli.h and the system's,
# and calls only what dist/libuiccboot.map exports.  What it still takes
# from inside the library is named here, file by file: a list that only
# shrinks (an entry no longer needed is an error too, so it goes).
cli_headers=()
cli_calls=()
# the allow-lists as CLI_STRICT=1 would have them: empty (shows all)
if [ "${CLI_STRICT:-0}" = 1 ]; then
	cli_headers=()
	cli_calls=()
fi
declare -A cli_ok used public
for e in "${cli_headers[@]}" "${cli_calls[@]}"; do cli_ok[$e]=1; done
for h in include/uiccboot/*.h; do public[${h##*/}]=1; done
for f in src/cli/*.[ch]; do
	while read -r h; do
		[ -n "${public[$h]:-}" ] || [ "$h" = cli.h ] && continue
		if [ -n "${cli_ok["${f##*/} $h"]:-}" ]; then
			used["${f##*/} $h"]=1
		else
			echo "layers: $f includes $h, which is not a public header"
			bad=1
		fi
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
if [ -d "$B/obj/src/cli" ] && [ -e dist/libuiccboot.map ]; then
	declare -A exported
	for s in $(sed -n 's/^[[:space:]]*\(ub_[a-z0-9_]*\);.*/\1/p' dist/libuiccboot.map); do
		exported[$s]=1
	done
	for o in "$B"/obj/src/cli/*.o; do
		for s in $(nm -u "$o" | awk '$2 ~ /^ub_/ {print $2}'); do
			[ -n "${exported[$s]:-}" ] && continue
			if [ -n "${cli_ok[$s]:-}" ]; then
				used[$s]=1
			else
				echo "layers: $o calls $s, which libuiccboot does not export"
				bad=1
			fi
		done
	done
	for e in "${cli_headers[@]}" "${cli_calls[@]}"; do
		if [ -z "${used[$e]:-}" ]; then
			echo "layers: \"$e\" is no longer used by src/cli: take it off the list"
			bad=1
		fi
	done
fi
[ $bad = 0 ] && echo "layers: src/cli uses the public API (${#cli_headers[@]} includes and ${#cli_calls[@]} calls still listed)"
exit $bad
