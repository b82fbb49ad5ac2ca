"""The import graph of ``src/kubelint``: no cycles, counting every import.

Imports inside functions and under ``TYPE_CHECKING`` count too: they hide a cycle from
the interpreter, not from the reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "kubelint"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imported(tree: ast.AST, modules: dict[str, Path], here: str) -> Iterator[str]:
    package = here if modules[here].name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in modules:
                    yield submodule
                elif base in modules:
                    yield base


def import_graph() -> dict[str, set[str]]:
    """Each module of the package with the modules of the package it imports."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {m for m in _imported(tree, modules, name) if m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component: list[str] = []
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


def test_the_graph_sees_function_level_and_type_checking_imports() -> None:
    graph = import_graph()
    # kubelint lsp imports its server inside main(), to keep --help free of pygls
    assert "kubelint.lsp.server" in graph["kubelint.lsp.command"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def _importers_of(prefix: str) -> set[str]:
    return {
        name
        for name, imported in import_graph().items()
        if any(m == prefix or m.startswith(prefix + ".") for m in imported)
    }


def _outside(name: str, *packages: str) -> bool:
    return not any(name == p or name.startswith(p + ".") for p in packages)


def test_nothing_outside_apply_imports_it() -> None:
    """The command line loads ``kubelint apply`` by its module's name, when it is run."""
    importers = {n for n in _importers_of("kubelint.apply") if _outside(n, "kubelint.apply")}
    assert importers == set()


def test_loading_imports_only_loading_and_rule_names() -> None:
    graph = import_graph()
    wrong = {
        (name, m)
        for name, imported in graph.items()
        if name.startswith("kubelint.load")
        for m in imported
        if _outside(m, "kubelint.load", "kubelint.rules", "kubelint.report.model")
    }
    assert wrong == set()


def test_rule_names_import_nothing_of_the_pipeline() -> None:
    graph = import_graph()
    wrong = {
        (name, m)
        for name, imported in graph.items()
        if name.startswith("kubelint.rules")
        for m in imported
        if _outside(m, "kubelint.rules", "kubelint.report.model")
    }
    assert wrong == set()
