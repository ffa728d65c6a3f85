#!/usr/bin/env python3
"""The calls between the library's files, read off the objects with nm: file
A calls file B when A's object uses a symbol that B's object defines.
Prints every call that goes up or sideways between layers (allowed layers
come on stdin as lines "LAYER: LOWER LOWER ...") and every circle of files
that call each other, and exits 1 if there is one.
Usage: tests/callgraph.py OBJDIR < allowed"""
import os
import subprocess
import sys

objdir = sys.argv[1]
may = {}
for line in sys.stdin:
    if ':' in line:
        k, v = line.split(':', 1)
        may[k.strip()] = v.split()
objs = []
for layer in may:
    d = os.path.join(objdir, layer)
    if os.path.isdir(d):
        # an object whose source has moved or gone is left over: not read
        objs += [os.path.join(layer, f[:-2]) for f in sorted(os.listdir(d))
                 if f.endswith('.o') and os.path.exists(os.path.join(layer, f[:-2] + '.c'))]
defs, uses = {}, {}
for o in objs:
    out = subprocess.run(['nm', os.path.join(objdir, o + '.o')], capture_output=True,
                         text=True, check=True).stdout
    uses[o] = set()
    for ln in out.splitlines():
        f = ln.split()
        if len(f) == 2 and f[0] == 'U':
            uses[o].add(f[1])
        elif len(f) == 3 and f[1] in 'TDBRCtdbr' and f[1].isupper():
            defs[f[2]] = o
calls = {o: sorted({defs[s] for s in uses[o] if s in defs and defs[s] != o}) for o in objs}
bad = 0
layer_of = lambda o: os.path.dirname(o)
for o in objs:
    for c in calls[o]:
        a, b = layer_of(o), layer_of(c)
        if a != b and b not in may.get(a, []):
            print(f"layers: {o}.c calls {c}.c ({b}/), a layer it may not use")
            bad = 1
# circles: Tarjan's strongly connected components, iteratively
index, low, on, stack, comps, n = {}, {}, set(), [], [], 0
for root in objs:
    if root in index:
        continue
    work = [(root, 0)]
    while work:
        v, i = work.pop()
        if i == 0:
            index[v] = low[v] = n
            n += 1
            stack.append(v)
            on.add(v)
        if i < len(calls[v]):
            work.append((v, i + 1))
            w = calls[v][i]
            if w not in index:
                work.append((w, 0))
            elif w in on:
                low[v] = min(low[v], index[w])
            continue
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))
        if work:
            u = work[-1][0]
            low[u] = min(low[u], low[v])
for c in comps:
    print("layers: files that call each other in a circle: " + " ".join(x + ".c" for x in c))
    bad = 1
if not bad:
    print(f"layers: {len(objs)} files, calls go down, no circles")
sys.exit(bad)
