"""The package's layers: each subpackage imports only from itself and the layers below
it, no module imports another in a circle, and a few modules that sit on top of their
own subpackage (the extractor, the app factory, the build pipeline) are imported by no
module below them. Imports inside functions and under TYPE_CHECKING count like any
other: an import moved into a function still ties the two modules together.

The import graph is read from the source (ast), not by importing it, so the test sees
every import, including those a run would never reach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ctld"

# The data path, bottom up: a module may import its own subpackage and lower layers.
LAYERS: dict[str, int] = {
    "ctld.core": 0,
    "ctld.extract": 1,
    "ctld.check": 1,
    "ctld.query": 1,
    "ctld.build": 2,
    "ctld.link": 2,
    "ctld.serve": 3,
    "ctld.cli": 4,
    "ctld.__main__": 5,
    "ctld": 6,  # the package's own __init__: the public API, loaded lazily
}

# Modules on top of their subpackage: inside it, only these importers may use them.
TOPS: dict[str, frozenset[str]] = {
    "ctld.extract.extractor": frozenset({"ctld.extract.corpus"}),
    "ctld.serve.app": frozenset({"ctld.serve.commands"}),
    "ctld.serve.commands": frozenset(),
    "ctld.build.pipeline": frozenset({"ctld.build.progress"}),
    "ctld.build.progress": frozenset(),
}


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def import_edges(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the ctld modules it imports, wherever the import statement is."""
    names = module_names(root)

    def resolve(name: str) -> str | None:
        while name and name not in names:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set[str]] = {}
    for module, path in names.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                if not target.startswith("ctld"):
                    continue
                hit = resolve(target)
                # a module's own package __init__ runs first anyway: not an edge
                if hit and hit != module and not module.startswith(hit + "."):
                    found.add(hit)
        edges[module] = found
    return edges


def layer_of(module: str) -> tuple[str, int]:
    best = max((name for name in LAYERS if module == name or module.startswith(name + ".")),
               key=len)  # fmt: skip
    return best, LAYERS[best]


def layer_violations(edges: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in sorted(edges.items()):
        home, rank = layer_of(module)
        for target in sorted(targets):
            there, level = layer_of(target)
            if there != home and level >= rank:
                problems.append(f"{module} imports {target}: layer {there} is not below {home}")
            allowed = TOPS.get(target)
            if allowed is not None and there == home and module not in allowed:
                problems.append(f"{module} imports {target}, which sits on top of {home}")
    return problems


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
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
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_module_has_a_layer() -> None:
    assert all(layer_of(module) for module in module_names())


def test_no_module_imports_a_higher_layer() -> None:
    problems = layer_violations(import_edges())
    assert not problems, "\n".join(problems)


def test_no_import_circles() -> None:
    circles = cycles(import_edges())
    assert not circles, "\n".join(" <-> ".join(circle) for circle in circles)


@pytest.mark.parametrize(
    ("module", "target", "why"),
    [
        ("ctld.extract.finders.events", "ctld.extract.extractor", "sits on top"),
        ("ctld.serve.pages", "ctld.serve.app", "sits on top"),
        ("ctld.core.settings", "ctld.extract.articles", "is not below"),
        ("ctld.extract.graph", "ctld.check.validation", "is not below"),
        ("ctld.query.engine", "ctld.serve.state", "is not below"),
    ],
)
def test_a_forbidden_import_is_caught(module: str, target: str, why: str) -> None:
    edges = import_edges()
    assert module in edges and target in edges  # the example names real modules
    edges[module].add(target)
    problems = layer_violations(edges)
    assert any(p.startswith(f"{module} imports {target}") and why in p for p in problems)


def test_a_circle_is_caught() -> None:
    edges = import_edges()
    edges["ctld.extract.finders.names"].add("ctld.extract.extractor")  # which imports names
    assert any("ctld.extract.finders.names" in c and "ctld.extract.extractor" in c
               for c in cycles(edges))  # fmt: skip


def test_imports_inside_functions_count(tmp_path: Path) -> None:
    package = tmp_path / "ctld"
    (package / "core").mkdir(parents=True)
    (package / "serve").mkdir()
    for init in (package / "__init__.py", package / "core" / "__init__.py",
                 package / "serve" / "__init__.py"):  # fmt: skip
        init.write_text("")
    (package / "serve" / "view.py").write_text("")
    (package / "core" / "low.py").write_text("def f():\n    from ctld.serve import view\n")
    edges = import_edges(package)
    assert "ctld.serve.view" in edges["ctld.core.low"]
    assert (
        "ctld.core.low imports ctld.serve.view: layer ctld.serve is not below ctld.core"
        in layer_violations(edges)
    )
