#!/usr/bin/env python3
"""kill -9 an apply at random moments (all or nothing).

Usage: crashloop.py UICCBOOT WORKDIR N
A tree holding a seed is copied; `uiccboot tree import big.xml` (about
4000 nodes, one transaction) is started on the copy and killed after a
random delay in [0, 1.5 x the time of an uninterrupted run].  After each
kill: PRAGMA integrity_check must say ok (Python's sqlite3, not ours), and
the tree's content must equal the state before or the state after.
Prints one summary line; exits 1 on the first violation."""
import os, random, shutil, signal, sqlite3, subprocess, sys, time

ub, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
seed_xml, big_xml = os.path.join(work, "seed.xml"), os.path.join(work, "big.xml")


def tnds(nodes):
    out = ['<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD>']
    out += nodes
    out.append("</MgmtTree>\n")
    return "\n".join(out)


def leaf(name, value):
    return ("<Node><NodeName>%s</NodeName><RTProperties><Format><chr/></Format>"
            "<Type><MIME>text/plain</MIME></Type></RTProperties><Value>%s</Value></Node>"
            % (name, value))


def account(name, server, extra):
    return ("<Node><NodeName>%s</NodeName><Path>./DMAcc</Path><RTProperties><Format><node/>"
            "</Format><Type><DDFName>org.openmobilealliance/1.0/w7</DDFName></Type>"
            "</RTProperties>%s%s%s</Node>" % (name, leaf("AppID", "w7"),
                                             leaf("ServerID", server), extra))


def big_connmo():
    kids = "".join("<Node><NodeName>p%d</NodeName><RTProperties><Format><node/></Format>"
                   "<Type><DDFName/></Type></RTProperties>%s%s%s</Node>"
                   % (i, leaf("Addr", "proxy%d.example" % i), leaf("Port", str(8000 + i)),
                      leaf("Name", "x" * 40)) for i in range(1000))
    return ("<Node><NodeName>Big</NodeName><Path>./ConnMO</Path><RTProperties><Format>"
            "<node/></Format><Type><DDFName>org.openmobilealliance/1.0/ConnMO</DDFName>"
            "</Type></RTProperties>%s</Node>" % kids)


def content(db):
    c = sqlite3.connect(db)
    ok = c.execute("PRAGMA integrity_check").fetchone()[0]
    rows = c.execute("SELECT uri, format, type, value, acl, server, source FROM node "
                     "ORDER BY uri").fetchall()
    c.close()
    return ok, rows


def run(db, kill_after=None):
    p = subprocess.Popen([ub, "--tree", db, "tree", "import", big_xml],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        return p.wait()
    time.sleep(kill_after)
    p.send_signal(signal.SIGKILL)
    return p.wait()


def copy(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.unlink(dst + suffix)
        if os.path.exists(src + suffix):
            shutil.copy(src + suffix, dst + suffix)


open(seed_xml, "w").write(tnds([account("A", "server-a", leaf("Name", "seed"))]))
open(big_xml, "w").write(tnds([account("B", "server-b", ""), big_connmo()]))
before_db, after_db, db = (os.path.join(work, x) for x in ("before.db", "after.db", "t.db"))
for x in (before_db, after_db):
    subprocess.run([ub, "--tree", x, "tree", "import", seed_xml], check=True,
                   stdout=subprocess.DEVNULL)
t0 = time.monotonic()
if run(after_db) != 0:
    sys.exit("the uninterrupted import failed")
dur = time.monotonic() - t0
ok, before = content(before_db)
ok2, after = content(after_db)
assert ok == ok2 == "ok" and before != after and len(after) > len(before) + 4000
seen = {"before": 0, "after": 0}
for i in range(n):
    copy(before_db, db)
    run(db, random.uniform(0, 1.5 * dur))
    ok, rows = content(db)
    if ok != "ok":
        sys.exit("run %d: integrity_check: %s" % (i, ok))
    if rows == before:
        seen["before"] += 1
    elif rows == after:
        seen["after"] += 1
    else:
        sys.exit("run %d: the tree is neither the state before nor after (%d nodes)"
                 % (i, len(rows)))
print("%d kills: %d before, %d after, integrity ok; uninterrupted import of %d nodes "
      "took %.0f ms" % (n, seen["before"], seen["after"], len(after) - len(before),
                        dur * 1000))
sys.exit(0 if seen["before"] and seen["after"] else 2)
