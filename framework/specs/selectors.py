"""dbt-style selection of tables over the lineage graph.

A selector is a table name (a bronze table may also be named by its source), with `+` in front
for everything it reads (its ancestors) and/or `+` after for everything that reads it (its
descendants), or `tag:NAME`: every table of a layer (`tag:bronze`, `tag:silver`, `tag:gold`,
`tag:reference`). Several selectors (space or comma separated) select their union.
"""

from __future__ import annotations

from pathlib import Path

from framework.specs.errors import Problem, SpecError
from framework.specs.lineage import LAYERS, Lineage
from framework.text import did_you_mean

TAG = "tag:"


def _names(graph: Lineage) -> dict[str, str]:
    """Every name a selector may use -> its node."""
    names = {n: n for n in graph.nodes}
    names |= {node.source: n for n, node in graph.nodes.items() if node.source}
    return names


def _one(graph: Lineage, selector: str) -> set[str]:
    if selector.startswith(TAG):
        tag = selector[len(TAG):]
        if tag not in LAYERS:
            raise _unknown(graph, selector, f"no tag {tag!r} (tags are the layers: {', '.join(LAYERS)})",
                           did_you_mean(tag, set(LAYERS)))
        return {n for n, node in graph.nodes.items() if node.layer == tag}
    up, down = selector.startswith("+"), selector.endswith("+")
    name = selector.strip("+")
    names = _names(graph)
    if name not in names:
        raise _unknown(graph, selector, f"no table {name!r}", did_you_mean(name, set(names)))
    node = names[name]
    found = {node}
    if up:
        found |= graph.ancestors(node)
    if down:
        found |= graph.descendants(node)
    return found


def _unknown(graph: Lineage, selector: str, message: str, hint: str | None) -> SpecError:
    folder = next(iter(graph.nodes.values())).file.parent.parent if graph.nodes else Path()
    return SpecError([Problem(folder, None, f"--select {selector}: {message}", hint)])


def split(selectors: list[str]) -> list[str]:
    return [part for text in selectors for part in text.replace(",", " ").split()]


def select(graph: Lineage, selectors: list[str]) -> list[str]:
    """The selected tables, in build order."""
    chosen: set[str] = set()
    for selector in split(selectors):
        chosen |= _one(graph, selector)
    return [n for n in graph.order() if n in chosen]
