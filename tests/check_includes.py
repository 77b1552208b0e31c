#!/usr/bin/env python3
"""Checks that the includes of src/ point only down the layer order and form no cycle.

Usage: check_includes.py SOURCE_DIR

Reads every `#include "folder/file.h"` (or "folder/file.def": a list read by X-macros) in
SOURCE_DIR/src and SOURCE_DIR/bench and fails, naming file, line and include, when
  - a file in src/ includes a header of a folder above its own in LAYERS (or of a folder not in
    LAYERS),
  - a file in bench/ includes anything but a header of src/,
  - modules include each other, directly or through others (a module is a .c and the .h of the
    same stem in the same folder, a .def is one of its own: the cycle is reported as its chain of
    modules).
"""

import os
import re
import sys

# The layers of src/, lowest first: a folder may include its own headers and those of the folders
# before it, never those after it. bench/ sits above all of them.
LAYERS = ["core", "report", "coro", "exec", "workload", "model", "runner", "micro", "claims"]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def includes(path):
    """(line number, included name) for every quoted include of path."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield number, m.group(1)


def sources(root, folder):
    """Every .c, .h and .def under root/folder, as paths relative to root, sorted."""
    found = []
    for dirpath, _, names in os.walk(os.path.join(root, folder)):
        for name in names:
            if name.endswith((".c", ".h", ".def")):
                found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(found)


def module_of(src_relative):
    """'coro/sched.c' and 'coro/sched.h' are both module 'coro/sched'; 'workload/settings.def',
    which workload.h and settings.c both read, is a module of its own."""
    stem, ext = os.path.splitext(src_relative)
    return src_relative if ext == ".def" else stem


def find_cycles(graph):
    """Cycles among modules, each a list m0, m1, ..., mk with each including the next and mk
    including m0: found as strongly connected components of more than one module (Tarjan)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(set(component))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    # Every pair that includes each other, then one cycle through each component no pair covers
    # whole: fixing the pairs is where to start.
    cycles = []
    for c in components:
        pairs = [[a, b] for a in sorted(c) for b in sorted(graph[a]) if a < b and a in graph[b]]
        cycles += pairs
        if not pairs or set().union(*map(set, pairs)) != c:
            cycles.append(cycle_in(graph, c))
    return cycles


def cycle_in(graph, component):
    """One cycle through the first module of a strongly connected component (breadth first, so
    the shortest)."""
    start = min(component)
    previous = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph.get(v, ())):
            if w == start:
                chain = [v]
                while previous[chain[-1]] is not None:
                    chain.append(previous[chain[-1]])
                return list(reversed(chain))
            if w in component and w not in previous:
                previous[w] = v
                queue.append(w)
    return sorted(component)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    root = sys.argv[1]
    src = os.path.join(root, "src")
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    errors = []
    graph = {}  # module -> modules it includes
    where = {}  # (module, included module) -> "file:line"

    for rel in sources(src, "."):
        path = os.path.join(src, rel)
        folder = rel.split(os.sep)[0]
        if folder not in rank:
            errors.append(f"src/{rel}: folder '{folder}' is not in LAYERS of {sys.argv[0]}")
            continue
        module = module_of(rel)
        graph.setdefault(module, set())
        for number, name in includes(path):
            target = name.split("/")[0]
            if "/" not in name or not os.path.isfile(os.path.join(src, name)):
                errors.append(f"src/{rel}:{number}: #include \"{name}\" is not a header of src/")
                continue
            if target not in rank:
                errors.append(f"src/{rel}:{number}: #include \"{name}\": folder '{target}' is "
                              "not in LAYERS")
                continue
            if rank[target] > rank[folder]:
                errors.append(f"src/{rel}:{number}: #include \"{name}\": {folder} may not "
                              f"include {target}, a layer above it")
            included = module_of(name)
            if included != module:
                graph[module].add(included)
                where.setdefault((module, included), f"src/{rel}:{number}")

    for rel in sources(root, "bench"):
        for number, name in includes(os.path.join(root, rel)):
            if "/" not in name or not os.path.isfile(os.path.join(src, name)):
                errors.append(f"{rel}:{number}: #include \"{name}\" is not a header of src/")

    for cycle in find_cycles(graph):
        steps = []
        for i, module in enumerate(cycle):
            nxt = cycle[(i + 1) % len(cycle)]
            steps.append(f"{module} includes {nxt} ({where[(module, nxt)]})")
        errors.append("include cycle: " + "; ".join(steps))

    for e in errors:
        print(e)
    if errors:
        print(f"check_includes: {len(errors)} problem(s); the layer order is {' < '.join(LAYERS)}")
        return 1
    print(f"check_includes: ok ({' < '.join(LAYERS)} < bench)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
