"""The package's shape (STYLE.md): imports point one way and form no loop.

The import graph is built from the source with ``ast`` (every ``import`` and ``from …
import`` of an ``engine`` module, at any depth, type-only imports included). ``from
engine.kernel import rules`` counts as an import of ``engine.kernel.rules`` when that is
a module, not of the package ``engine.kernel``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ENGINE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    base = ENGINE.parent / Path(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(ENGINE.rglob("*.py")):
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.split(".")[0] == "engine"}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("engine"):
                subs = {f"{node.module}.{a.name}" for a in node.names}
                submodules = {s for s in subs if _is_module(s)}
                deps |= submodules
                if len(submodules) < len(subs):  # some names are objects of the module
                    deps.add(node.module)
        graph[_module_name(path)] = deps - {_module_name(path)}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
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
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _layer_imports(graph, layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {dep}"
        for module, deps in graph.items()
        if module == layer or module.startswith(layer + ".")
        for dep in deps
        if any(dep == f or dep.startswith(f + ".") for f in forbidden)
    )


def test_the_engine_has_no_import_loop():
    assert _cycles(import_graph()) == []


def test_a_loop_would_be_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_analyses_import_neither_orchestration_nor_report_nor_files():
    graph = import_graph()
    assert (
        _layer_imports(graph, "engine.analyses", ("engine.app", "engine.report", "engine.io")) == []
    )


def test_the_model_and_the_kernel_know_no_analysis():
    graph = import_graph()
    above = ("engine.analyses", "engine.app", "engine.report", "engine.io")
    assert _layer_imports(graph, "engine.model", above + ("engine.kernel",)) == []
    assert _layer_imports(graph, "engine.kernel", above) == []


def test_the_report_and_the_reader_do_not_reach_up():
    graph = import_graph()
    assert _layer_imports(graph, "engine.report", ("engine.app",)) == []
    assert (
        _layer_imports(graph, "engine.io", ("engine.app", "engine.analyses", "engine.report")) == []
    )


def test_no_analysis_imports_a_spreadsheet_library():
    for path in (ENGINE / "analyses").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not {"openpyxl", "xlsxwriter"} & {m.split(".")[0] for m in names}, path


def test_every_analysis_and_writer_is_named_in_full_in_the_registry():
    from engine.app.registry import ANALYSES

    source = (ENGINE / "app" / "registry.py").read_text(encoding="utf-8")
    for a in ANALYSES:
        assert f'"{a.module_path}"' in source and f'"{a.writer_path}"' in source
        assert _is_module(a.module_path) and _is_module(a.writer_path)
