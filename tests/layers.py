#!/usr/bin/env python3
#
# layers.py [BUILD_DIR]: the one-way layering of bgpd/ (doc/architecture.md,
# "Layers"), checked.
#
# The layers and the files of each are read from the table in
# doc/architecture.md, so the document and the check cannot drift apart.
# It fails (exit 1, every violation listed) when
#   - a file of bgpd/ is in no layer (a new file must be placed);
#   - a file includes a header of a higher layer (a header belongs to the
#     module of the same name, or is listed in the table itself);
# and, given a build directory (the objects of a plain build):
#   - an object calls (or takes the address of) a function, or uses data,
#     defined in an object of a higher layer;
#   - two or more files use each other in a circle, in one layer or across.
# News goes up only through callbacks and ops structs the higher layer
# registered: those are calls through pointers, which no object names.
#
# Exit 0 and a one-line summary when the layering holds.
import glob
import os
import re
import subprocess
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "doc", "architecture.md")
# "| 3 | config | policy policy_rmap conf.h ... |": layer number, name,
# what it is for, files (module names, or header names).
ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(\w[\w ]*?)\s*\|[^|]*\|\s*([^|]+?)\s*\|\s*$")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def read_layers():
    """{unit: (number, name)} from the doc's layer table; a unit is a
    module name (x for x.c and x.h) or a header name (x.h)."""
    layers = {}
    in_table = False
    with open(DOC, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## Layers"):
                in_table = True
                continue
            if in_table and line.startswith("## "):
                break
            m = ROW.match(line) if in_table else None
            if not m:
                continue
            num, name = int(m.group(1)), m.group(2)
            for unit in m.group(3).replace("`", "").split():
                if unit in layers:
                    sys.exit("layers.py: %s is in two layers" % unit)
                layers[unit] = (num, name)
    if not layers:
        sys.exit("layers.py: no layer table under '## Layers' in " + DOC)
    return layers


def layer_of(layers, path):
    """The layer of a bgpd/ file (x.c, x.h), or None."""
    base = os.path.basename(path)
    if base in layers:
        return layers[base]
    return layers.get(os.path.splitext(base)[0])


def check_files(layers, errors):
    files = sorted(glob.glob(os.path.join(ROOT, "bgpd", "*.[ch]")))
    for path in files:
        if layer_of(layers, path) is None:
            errors.append("%s: in no layer (add it to the table in "
                          "doc/architecture.md)" % os.path.relpath(path, ROOT))
    return files


def check_includes(layers, files, errors):
    lib = {os.path.basename(p) for p in glob.glob(
        os.path.join(ROOT, "lib", "*.h"))}
    for path in files:
        mine = layer_of(layers, path)
        if mine is None:
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for inc in INCLUDE.findall(text):
            if inc == "config.h" or inc in lib:
                continue
            theirs = layer_of(layers, inc)
            if theirs is None:
                errors.append("%s includes %s, which is in no layer" %
                              (os.path.relpath(path, ROOT), inc))
            elif theirs[0] > mine[0]:
                errors.append("%s (layer %d %s) includes %s (layer %d %s)"
                              % (os.path.relpath(path, ROOT), mine[0],
                                 mine[1], inc, theirs[0], theirs[1]))


def objects(build):
    """{module: object path} for bgpd/'s objects in a build directory
    (automake names them libbgpd_a-x.o and tbgpd-x.o)."""
    objs = {}
    for path in glob.glob(os.path.join(build, "bgpd", "*.o")):
        name = os.path.basename(path)[:-2]
        name = name.split("-", 1)[1] if "-" in name else name
        if os.path.exists(os.path.join(ROOT, "bgpd", name + ".c")):
            objs[name] = path
    return objs


def symbols(path):
    """(defined, used) global symbols of an object, by nm."""
    out = subprocess.run(["nm", path], check=True, capture_output=True,
                         text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRCVW":
            defined.add(parts[2])
        elif len(parts) == 2 and parts[0] in ("U", "w"):
            used.add(parts[1])
    return defined, used


def call_graph(objs):
    owner, uses = {}, {}
    for mod, path in objs.items():
        defined, used = symbols(path)
        for s in defined:
            owner[s] = mod
        uses[mod] = used
    graph = defaultdict(lambda: defaultdict(set))
    for mod, used in uses.items():
        for s in used:
            if s in owner and owner[s] != mod:
                graph[mod][owner[s]].add(s)
    return graph


def circles(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def check_calls(layers, build, errors):
    objs = objects(build)
    if not objs:
        errors.append("%s: no bgpd/ objects (build it first)" % build)
        return 0
    graph = call_graph(objs)
    for mod in sorted(graph):
        for dst in sorted(graph[mod]):
            mine, theirs = layers.get(mod), layers.get(dst)
            if mine is None or theirs is None:
                continue	# reported by check_files
            if theirs[0] > mine[0]:
                errors.append("bgpd/%s.c (layer %d %s) uses %s of "
                              "bgpd/%s.c (layer %d %s)" % (
                                  mod, mine[0], mine[1],
                                  ", ".join(sorted(graph[mod][dst])[:4]),
                                  dst, theirs[0], theirs[1]))
    for comp in circles(graph):
        errors.append("circle: " + " -> ".join(
            "bgpd/%s.c" % m for m in comp) + " use each other")
    return len(objs)


def main():
    if len(sys.argv) > 2:
        sys.exit("usage: layers.py [BUILD_DIR]")
    layers = read_layers()
    errors = []
    files = check_files(layers, errors)
    check_includes(layers, files, errors)
    nobj = 0
    if len(sys.argv) == 2:
        nobj = check_calls(layers, os.path.abspath(sys.argv[1]), errors)
    for e in errors:
        print("layers: " + e)
    if errors:
        print("layers: %d violation%s of doc/architecture.md's layers" %
              (len(errors), "" if len(errors) == 1 else "s"))
        return 1
    print("layers: %d files in %d layers, includes go down%s" % (
        len(files), len({v for v in layers.values()}),
        ", calls go down and no circle (%d objects)" % nobj if nobj else
        " (no build given: calls not checked)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
