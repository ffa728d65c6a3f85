#!/usr/bin/env python3
"""Private_Dirty of a /proc/PID/smaps copy, per mapped file (KiB), largest first.
   smaps_sum.py FILE [N]: the N largest as "KiB name" lines, then "total KiB"."""
import re
import sys

agg, cur = {}, None
for line in open(sys.argv[1]):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        f = line.split()
        cur = f[5] if len(f) > 5 else "[anon]"
    elif line.startswith("Private_Dirty:"):
        agg[cur] = agg.get(cur, 0) + int(line.split()[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
for name, kib in sorted(agg.items(), key=lambda x: -x[1])[:n]:
    print(kib, name.rsplit("/", 1)[-1])
print("total", sum(agg.values()))
