#!/bin/bash
# Imports only go down: each folder may include the headers of the folders
# listed for it here (docs/architecture.md), and of no other.  Prints every
# include that goes up or sideways and fails if there is one.
set -u
cd "$(dirname "$0")/.."
declare -A may=(
	[base]=""
	[include]="base"
	[pcsc]="base"
	[wire]="base"
	[lwm2m]="base include"
	[uicc-files]="base pcsc"
	[gba-u]="base pcsc uicc-files"
	[dm]="base wire lwm2m include"
	[tree]="base dm lwm2m include"
	[boot]="base pcsc wire lwm2m uicc-files gba-u dm tree include"
	[cli]="base pcsc wire lwm2m uicc-files gba-u dm tree boot include"
)
# the folder of every header
declare -A home
for d in "${!may[@]}" include/uiccboot; do
	for h in "$d"/*.h; do
		[ -e "$h" ] && home[${h##*/}]=${d%%/*}
	done
done
# the public headers that base/ implements (errors, the version, the
# process's secrets) are the lowest layer's: every layer may include them
for h in ub_error.h version.h secret.h; do
	home[$h]=base
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
				echo "layers: $f includes $h ($o/)"
				bad=1
				;;
			esac
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | sed 's|.*/||')
	done
done
[ $bad = 0 ] && echo "layers: imports go down"
exit $bad
