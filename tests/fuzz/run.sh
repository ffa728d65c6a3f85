#!/bin/bash
# Build every libFuzzer target with clang and run it.
#   tests/fuzz/run.sh [SECONDS]   fuzz each target for SECONDS (default 10)
#   tests/fuzz/run.sh replay      only replay the checked-in corpora (make check)
#   FUZZ_TARGETS="plan tnds" tests/fuzz/run.sh 60   only those targets
# The library is built once with the fuzzer's instrumentation into
# build/fuzz/libuiccboot.a (the Makefile's own rules and file list), and
# each target links it: no target keeps a list of sources of its own.
set -eu
cd "$(dirname "$0")/../.."
mode=${1:-10}
OUT=build/fuzz
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
mkdir -p "$OUT"
make -s B=$OUT CC=clang CFLAGS="-g -O1" EXTRA_CFLAGS="$SAN" $OUT/libuiccboot.a >/dev/null
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE \
	$(make -s print-incs) $(pkg-config --cflags libpcsclite libwbxml2 json-c)"
# No target reaches the machine's pcscd: scard_none.c stands in for libpcsclite
clang $CFLAGS -c -o "$OUT/scard_none.o" tests/fuzz/scard_none.c
LIBS="$OUT/libuiccboot.a $OUT/scard_none.o $(make -s print-libs | sed 's/-lpcsclite//')"
# name:N - the files target (fuzz_files.c) with FUZZ_WHICH=N; name:0 - fuzz_<name>.c
all="fcp:1 efdir:2 gbabp:3 gbanl:4 pkcs15:5 ctype:0 policy:0 plan:0 tnds:0 isolation:0 text:0 lwm2m:0 lwm2m_map:0 sms:0 decode:0 at:0 wsp:0 receive:0 wbxml_diff:0 wbxml_sem:0"
targets=""
for t in $all; do
	case " ${FUZZ_TARGETS:-${t%:*}} " in *" ${t%:*} "*) targets="$targets $t" ;; esac
done
fail=0
for t in $targets; do
	name=${t%:*}
	which=${t#*:}
	if [ "$which" != 0 ]; then
		clang $CFLAGS -DFUZZ_WHICH=$which -o "$OUT/fuzz_$name" tests/fuzz/fuzz_files.c $LIBS
	else
		clang $CFLAGS -o "$OUT/fuzz_$name" tests/fuzz/fuzz_$name.c $LIBS
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
		tnds | isolation | lwm2m | receive) extra="$extra -max_len=8192" ;;
		wbxml_diff) extra="$extra -max_len=2048" ;;
		wbxml_sem) extra="$extra -max_len=4096" ;;
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
