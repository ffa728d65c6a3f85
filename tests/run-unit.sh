#!/bin/bash
# Run cmocka unit test binaries; print "unit: N passed, N failed".
pass=0 fail=0
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	echo "$out" | grep -E '^\[  (FAILED|ERROR)|^\[  PASSED|^\[==' | sed "s|^|${t##*/}: |"
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if [ $rc -ne 0 ] && [ -z "$f" ]; then
		echo "$out" | tail -20
		fail=$((fail + 1)) # crashed before cmocka's summary
	fi
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
