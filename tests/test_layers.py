"""The layers of siyu, checked on the source: no import cycle among siyu's modules, and siyu/metrics is pure.

Read statically (ast), every import counted, also the ones inside functions: a cycle hidden in a function
body still means the two modules cannot be understood (or loaded first) one without the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIYU = ROOT / "siyu"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SIYU.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """The siyu modules `name` imports (`from siyu.x import y` counts siyu.x.y when that is a module)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


def _edges() -> dict[str, set[str]]:
    """Module -> the siyu modules it imports, a package's own __init__ left out (importing siyu.db.query
    runs siyu/db/__init__.py, which is not a dependency on the submodule's side)."""
    graph = {name: _imports(name) for name in MODULES}
    return {name: {m for m in deps if not name.startswith(m + ".")} for name, deps in graph.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_siyu() -> None:
    assert _cycles(_edges()) == []


FORBIDDEN_IN_METRICS = ("duckdb", "streamlit", "siyu.db", "siyu.engine", "siyu.ui")


def test_metrics_import_no_io() -> None:
    """siyu/metrics holds pure functions: no database, no Streamlit, no engine (which caches and reads)."""
    offenders = []
    for name, path in MODULES.items():
        if not name.startswith("siyu.metrics"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [(name, n) for n in names
                          if any(n == bad or n.startswith(bad + ".") for bad in FORBIDDEN_IN_METRICS)]
    assert offenders == []
