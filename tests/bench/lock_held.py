#!/usr/bin/env python3
"""How long a command holds a device tree's write lock.

lock_held.py TREE CMD [ARG...]: runs CMD, and meanwhile asks for the tree's
write lock (BEGIN IMMEDIATE, no waiting) every 0.2 ms, giving it back at
once; prints the longest time, in ms, that it was refused, and CMD's exit
status.  A concurrent writer (sms receive, a power-on) waits that long."""
import sqlite3, subprocess, sys, time

tree, cmd = sys.argv[1], sys.argv[2:]
db = sqlite3.connect(tree, timeout=0, isolation_level=None)
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
longest = 0.0
since = None
while p.poll() is None:
    now = time.monotonic()
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        if since is not None:
            longest = max(longest, now - since)
            since = None
    except sqlite3.OperationalError:
        if since is None:
            since = now
    time.sleep(0.0002)
if since is not None:
    longest = max(longest, time.monotonic() - since)
print("%.1f %d" % (longest * 1000, p.returncode))
