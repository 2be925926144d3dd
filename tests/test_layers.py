"""The layer contract of framework/: imports run downward only, pyspark stays in the engine and the
CLI, and no modules import each other in a circle.

    cli  >  engine | bundle | generate  >  site  >  config  >  specs  >  text | runtimes

A module may import its own package and any lower layer; packages of one layer are independent.

Every import is an edge, wherever it stands: at module level, inside a function (a late import
defers the dependency, it does not remove it, and it is how circles used to be dodged) and under
`if TYPE_CHECKING:` (a signature naming a class depends on its module; mypy follows it). The
implicit import of a parent package's `__init__` is not an edge: Python has the parent loaded
before any of its modules runs, so it never closes a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

FRAMEWORK = Path(__file__).resolve().parents[1] / "framework"

#: highest first; a module may import modules of a later row, or of its own package
LAYERS: tuple[tuple[str, ...], ...] = (
    ("framework.cli",),
    ("framework.engine", "framework.bundle", "framework.generate"),
    ("framework.site",),
    ("framework.config",),
    ("framework.specs",),
    ("framework.text", "framework.runtimes", "framework"),
)
#: the only packages that may import Spark or Delta
SPARK_PACKAGES = ("framework.engine", "framework.cli")
SPARK_MODULES = ("pyspark", "delta", "py4j")

#: Circles known and allowed for now, each with the work that removes it. The test fails when a
#: listed circle is gone too, so that its exception is deleted with it.
KNOWN_CIRCLES: dict[frozenset[str], str] = {}


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str  # a framework module or package, or the top-level name of a third-party one
    line: int
    where: str  # "module", "function" or "TYPE_CHECKING"

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} (line {self.line}, {self.where} import)"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def framework_sources(root: Path = FRAMEWORK) -> dict[str, tuple[str, bool]]:
    """Module name -> (source, whether it is a package's __init__)."""
    return {module_name(p, root): (p.read_text(), p.name == "__init__.py") for p in sorted(root.rglob("*.py"))}


def edges(sources: Mapping[str, tuple[str, bool]]) -> Iterator[Edge]:
    """Every import of every module, resolved to a framework module where it names one."""
    for module, (source, is_package) in sources.items():
        package = module if is_package else module.rpartition(".")[0]
        yield from _visit(ast.parse(source), module, package, sources, "module")


def _visit(node: ast.AST, module: str, package: str, sources: Mapping[str, object], where: str) -> Iterator[Edge]:
    for child in ast.iter_child_nodes(node):
        inner = where
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            inner = "function"
        elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            yield from (e for stmt in child.body for e in _visit(_wrap(stmt), module, package, sources, "TYPE_CHECKING"))
            yield from (e for stmt in child.orelse for e in _visit(_wrap(stmt), module, package, sources, where))
            continue
        if isinstance(child, ast.Import):
            for alias in child.names:
                yield Edge(module, _known(alias.name, sources), child.lineno, where)
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in child.names:
                # `from framework.specs import catalog` imports a module; `... import SpecCatalog`, a name
                name = f"{base}.{alias.name}"
                yield Edge(module, name if name in sources else _known(base, sources), child.lineno, where)
        yield from _visit(child, module, package, sources, inner)


def _wrap(stmt: ast.stmt) -> ast.Module:
    return ast.Module(body=[stmt], type_ignores=[])


def _known(name: str, sources: Mapping[str, object]) -> str:
    """The module itself when it is a framework module, else its top-level package."""
    return name if name in sources or name.startswith("framework.") else name.split(".")[0]


def package_of(module: str) -> str:
    """The layered package a framework module belongs to (its first two name parts)."""
    return ".".join(module.split(".")[:2])


def rank(package: str) -> int | None:
    return next((i for i, row in enumerate(LAYERS) if package in row), None)


def layer_offences(found: list[Edge]) -> list[str]:
    offences = []
    for edge in found:
        if not edge.imported.startswith("framework"):
            continue
        source, target = package_of(edge.importer), package_of(edge.imported)
        if source == target:
            continue
        high, low = rank(source), rank(target)
        if high is None or low is None:
            offences.append(f"{edge}: {source if high is None else target} has no layer in tests/test_layers.py")
        elif low <= high:
            what = "a higher layer" if low < high else "a package of its own layer"
            offences.append(f"{edge}: {source} imports {what} ({target})")
    return offences


def spark_offences(found: list[Edge]) -> list[str]:
    return [f"{edge}: Spark outside {' and '.join(SPARK_PACKAGES)}" for edge in found
            if edge.imported in SPARK_MODULES and package_of(edge.importer) not in SPARK_PACKAGES]


def circles(found: list[Edge]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for edge in found:
        if edge.imported.startswith("framework") and edge.imported != edge.importer:
            graph.setdefault(edge.importer, set()).add(edge.imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = {stack.pop()}
            while node not in component:
                component.add(stack.pop())
            if len(component) > 1:
                components.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def shortest_loop(found: list[Edge], circle: frozenset[str]) -> list[Edge]:
    """The fewest imports that lead from a module of the circle back to itself (breadth first)."""
    inside: dict[str, dict[str, Edge]] = {}
    for edge in found:
        if edge.importer in circle and edge.imported in circle:
            inside.setdefault(edge.importer, {}).setdefault(edge.imported, edge)
    best: list[Edge] = []
    for start in sorted(circle):
        paths: dict[str, list[Edge]] = {start: []}
        frontier = [start]
        while frontier:
            back = next((inside[n][start] for n in frontier if start in inside.get(n, {})), None)
            if back is not None:
                loop = [*paths[back.importer], back]
                best = loop if not best or len(loop) < len(best) else best
                break
            following = []
            for node in frontier:
                for target, edge in inside.get(node, {}).items():
                    if target not in paths:
                        paths[target] = [*paths[node], edge]
                        following.append(target)
            frontier = following
    return best


def circle_offences(found: list[Edge], known: Mapping[frozenset[str], str] = KNOWN_CIRCLES) -> list[str]:
    present = circles(found)
    offences = []
    for circle in present:
        if circle not in known:
            loop = "\n    ".join(str(e) for e in shortest_loop(found, circle))
            offences.append(f"import circle among {sorted(circle)}, e.g.:\n    {loop}")
    offences += [f"known circle {sorted(c)} ({why}) is gone: delete its entry in KNOWN_CIRCLES"
                 for c, why in known.items() if c not in present]
    return offences


@pytest.fixture(scope="module")
def framework_edges() -> list[Edge]:
    return list(edges(framework_sources()))


def test_every_package_has_a_layer() -> None:
    unplaced = sorted({package_of(m) for m in framework_sources()} - {p for row in LAYERS for p in row})
    assert not unplaced, f"place each package in LAYERS: {unplaced}"


def test_imports_run_downward_only(framework_edges: list[Edge]) -> None:
    offences = layer_offences(framework_edges)
    assert not offences, "\n".join(offences)


def test_spark_stays_in_the_engine_and_the_cli(framework_edges: list[Edge]) -> None:
    offences = spark_offences(framework_edges)
    assert not offences, "\n".join(offences)


def test_no_import_circles(framework_edges: list[Edge]) -> None:
    offences = circle_offences(framework_edges)
    assert not offences, "\n".join(offences)


# The checks catch what they are for: small trees written here.

def _tree(**modules: str) -> list[Edge]:
    return list(edges({name.replace("__", "."): (text, False) for name, text in modules.items()}))


@pytest.mark.parametrize("source", ["from framework.engine.session import local_session",
                                    "def f():\n    from framework.cli import main",
                                    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from framework.site.docs import X",
                                    "import framework.bundle.jobs", "from ..engine import session"])
def test_an_upward_import_is_caught_wherever_it_stands(source: str) -> None:
    assert layer_offences(_tree(framework__specs__x=source))


def test_sibling_packages_of_one_layer_stay_apart() -> None:
    assert layer_offences(_tree(framework__generate__x="from framework.engine.session import cache_root"))
    assert not layer_offences(_tree(framework__engine__x="from framework.config.cache import cache_root"))


@pytest.mark.parametrize("source", ["import pyspark", "from pyspark.sql import functions as F",
                                    "def f():\n    from delta.tables import DeltaTable"])
def test_spark_is_caught_outside_the_engine(source: str) -> None:
    assert spark_offences(_tree(framework__config__x=source))
    assert not spark_offences(_tree(framework__engine__x=source))


def test_a_circle_is_caught_even_through_a_late_import() -> None:
    tree = _tree(framework__specs__a="from framework.specs.b import B",
                 framework__specs__b="def f():\n    from framework.specs.c import C",
                 framework__specs__c="from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from framework.specs.a import A")
    assert circles(tree) == [frozenset({"framework.specs.a", "framework.specs.b", "framework.specs.c"})]
    assert circle_offences(tree, known={})
    gone = frozenset({"framework.specs.x", "framework.specs.y"})
    assert circle_offences(_tree(framework__specs__a="import os"), known={gone: "fixed"})
