"""Print the size of the project's largest classes: methods, lines and attributes set,
counting what each inherits from project classes (the house rule: about 300 lines and 25
methods at most). Run: ``python tools/class_sizes.py [N]`` (the N largest, default 15)."""

from __future__ import annotations

import ast
import pathlib
import sys

ROOTS = ("scratchnet", "scratchnet_gui")


def classes():
    """``{name: (path, ast.ClassDef)}`` of every project class."""
    out = {}
    for root in ROOTS:
        for path in sorted(pathlib.Path(root).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef):
                    out.setdefault(node.name, (path, node))
    return out


def own(node):
    methods = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    attrs = {t.attr for n in ast.walk(node) for t in getattr(n, "targets", [getattr(n, "target", None)])
             if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"}
    return len(methods), node.end_lineno - node.lineno + 1, attrs


def size(name, table, seen=()):
    """Methods, lines, attributes of ``name`` with its project bases."""
    path, node = table[name]
    m, lines, attrs = own(node)
    for base in node.bases:
        b = base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
        if b in table and b not in seen and b != name:
            bm, bl, ba = size(b, table, seen + (name,))
            m, lines, attrs = m + bm, lines + bl, attrs | ba
    return m, lines, attrs


def main(n=15):
    table = classes()
    rows = sorted(((size(k, table), k, table[k][0]) for k in table), key=lambda r: -r[0][1])
    print(f"{'class':24s} {'methods':>7s} {'lines':>6s} {'attrs':>6s}  file")
    for (m, lines, attrs), name, path in rows[:n]:
        flag = "  <-- over" if lines > 300 or m > 25 else ""
        print(f"{name:24s} {m:7d} {lines:6d} {len(attrs):6d}  {path}{flag}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
