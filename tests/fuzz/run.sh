#!/bin/bash
# Build every libFuzzer target with clang and run it.
#   tests/fuzz/run.sh [SECONDS]   fuzz each target for SECONDS (default 10)
#   tests/fuzz/run.sh replay      only replay the checked-in corpora (make check)
set -eu
cd "$(dirname "$0")/../.."
mode=${1:-10}
OUT=build/fuzz
mkdir -p "$OUT"
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE -Ipcsc -Iuicc-files -Igba-u -Isrc -Iinclude $(pkg-config --cflags libpcsclite)"
FILES="uicc-files/tlv.c uicc-files/fcp.c uicc-files/ident.c uicc-files/pkcs15.c pcsc/ub_error.c"
targets="fcp:1 efdir:2 gbabp:3 gbanl:4 pkcs15:5 ctype:0 plan:0 tnds:0 wbxml_diff:0"
fail=0
for t in $targets; do
	name=${t%:*}
	if [ "$name" = plan ] || [ "$name" = tnds ]; then
		clang $CFLAGS $(pkg-config --cflags libwbxml2) -o "$OUT/fuzz_$name" tests/fuzz/fuzz_$name.c \
			src/plan.c src/xdoc.c src/wbxml_check.c pcsc/ub_error.c \
			$(pkg-config --libs libwbxml2 expat)
	elif [ "$name" = wbxml_diff ]; then
		# the walk against libwbxml run in a child process (slow: a fork an input)
		clang $CFLAGS $(pkg-config --cflags libwbxml2) -o "$OUT/fuzz_$name" tests/fuzz/fuzz_$name.c \
			src/wbxml_check.c pcsc/ub_error.c $(pkg-config --libs libwbxml2)
	elif [ "$name" = ctype ]; then
		clang $CFLAGS -o "$OUT/fuzz_$name" tests/fuzz/fuzz_ctype.c src/bootsec.c src/policy.c \
			pcsc/ub_hex.c pcsc/ub_error.c -lcrypto -linih
	else
		clang $CFLAGS -DFUZZ_WHICH=${t#*:} -o "$OUT/fuzz_$name" tests/fuzz/fuzz_files.c $FILES
	fi
	corpus=tests/fuzz/corpus/$name
	mkdir -p "$corpus"
	if [ "$mode" = replay ]; then
		"$OUT/fuzz_$name" -runs=0 "$corpus" >"$OUT/$name.log" 2>&1 || { fail=$((fail + 1)); tail -30 "$OUT/$name.log"; }
		echo "fuzz $name: replayed $(ls "$corpus" | wc -l) inputs"
	else
		mkdir -p "$OUT/corpus-$name"
		extra=""
		[ -f "tests/fuzz/$name.dict" ] && extra="-dict=tests/fuzz/$name.dict"
		case $name in
		tnds) extra="$extra -max_len=8192" ;;
		wbxml_diff) extra="$extra -max_len=2048" ;;
		*) extra="$extra -max_len=1024" ;;
		esac
		"$OUT/fuzz_$name" -max_total_time="$mode" $extra "$OUT/corpus-$name" "$corpus" \
			>"$OUT/$name.log" 2>&1 || { fail=$((fail + 1)); tail -30 "$OUT/$name.log"; }
		echo "fuzz $name: $(grep -oE '^Done [0-9]+ runs' "$OUT/$name.log" | grep -oE '[0-9]+' || echo '?') runs"
	fi
done
if [ "$mode" = replay ]; then
	n=$(echo $targets | wc -w)
	echo "fuzz: $((n - fail)) passed, $fail failed"
fi
[ $fail = 0 ]
