#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Which of vnet's compiled units depend on each other in a cycle.

Usage: scripts/unit-cycles.py [--max N] BUILD_DIR

Reads every vnet_*.o in BUILD_DIR (a scripts/build.sh output, e.g.
build/6.1) with nm: unit A uses unit B when A leaves undefined a symbol
that B defines. A group of units that all reach each other through such
uses (a strongly connected component of that graph) cannot be read or
changed one at a time. Prints every group of two or more, largest first,
with the symbols that tie each unit to the next; exits 1 if a group has
more than N units (default 3, the device-model issue's bound), else 0.
"""

import argparse
import glob
import os
import subprocess
import sys


def symbols(obj):
    """(defined, undefined) global symbol names of one object file."""
    out = subprocess.run(["nm", obj], check=True, capture_output=True,
                         text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1].isupper() and parts[1] != "U":
            defined.add(parts[2])
    return defined, undefined


def components(nodes, edges):
    """Strongly connected components (Tarjan), each a sorted list."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            result.append(sorted(group))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max", type=int, default=3,
                    help="largest group allowed (default 3)")
    ap.add_argument("build_dir")
    args = ap.parse_args()

    objs = sorted(o for o in glob.glob(os.path.join(args.build_dir, "vnet_*.o"))
                  if not o.endswith(".mod.o"))
    if not objs:
        sys.exit(f"unit-cycles: no vnet_*.o in {args.build_dir}: build it first")
    units = {os.path.basename(o)[:-2]: symbols(o) for o in objs}
    owner = {}
    for unit, (defined, _) in units.items():
        for sym in defined:
            owner[sym] = unit
    # uses[a][b]: the symbols of b that a uses.
    uses = {u: {} for u in units}
    for unit, (_, undefined) in units.items():
        for sym in undefined:
            other = owner.get(sym)
            if other and other != unit:
                uses[unit].setdefault(other, set()).add(sym)
    edges = {u: set(uses[u]) for u in units}
    groups = [g for g in components(units, edges) if len(g) > 1]
    groups.sort(key=len, reverse=True)
    worst = max((len(g) for g in groups), default=1)
    print(f"{len(units)} units; {len(groups)} cyclic group(s); largest {worst}")
    for g in groups:
        print(f"group of {len(g)}: {' '.join(g)}")
        for a in g:
            for b in sorted(set(uses[a]) & set(g)):
                syms = sorted(uses[a][b])
                more = f" (+{len(syms) - 3})" if len(syms) > 3 else ""
                print(f"  {a} -> {b}: {', '.join(syms[:3])}{more}")
    if worst > args.max:
        print(f"unit-cycles: a group of {worst} units, more than {args.max}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
