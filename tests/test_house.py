"""The house rules of src/autokg: no import cycle, no module over 400 lines, one owner per store backend."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parent.parent / "src" / "autokg"


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The autokg modules a file imports, at its top or inside functions."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in modules else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in modules and m != name}


def import_graph() -> nx.DiGraph:
    files = sorted(SRC.rglob("*.py"))
    modules = {_module(p) for p in files}
    G = nx.DiGraph()
    G.add_nodes_from(modules)
    for path in files:
        G.add_edges_from((_module(path), m) for m in _imports(path, modules))
    return G


def test_no_import_cycle():
    G = import_graph()
    # A package's __init__ importing its own submodules is how a package is made, not a cycle.
    H = G.copy()
    H.remove_edges_from([(a, b) for a, b in G.edges if b.startswith(a + ".")])
    cycles = list(nx.simple_cycles(H))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_cli_command_modules_never_import_the_group():
    for path in (SRC / "cli").glob("*.py"):
        if path.name != "__init__.py":
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"from \. import|from autokg\.cli import|from \.\.cli import", text), path.name


def test_no_module_over_400_lines():
    long = {p.relative_to(SRC).as_posix(): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, f"modules over 400 lines: {long}"


def test_only_the_store_modules_reach_into_a_store():
    owners = {"graph.py", "store.py", "remote.py"}
    for path in SRC.rglob("*.py"):
        if path.name not in owners:
            assert not re.search(r"\bkg\.store\b|quads_for_pattern", path.read_text(encoding="utf-8")), \
                path.relative_to(SRC).as_posix()
