"""The lineage graph of every table the specs define: bronze tables, reference data, silver and
gold targets, and what each target reads. Pure Python: selectors, docs and `medallion ls` use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from framework.specs.catalog import SpecCatalog
from framework.specs.compiled import target_plan
from framework.specs.targets.graph import build_order
from framework.specs.targets.sources import BRONZE, REFERENCE, reference_data, target_specs

#: layers in the order data flows through them
LAYERS = ("bronze", "reference", "silver", "gold")


@dataclass(frozen=True)
class Node:
    name: str  # the table's name (reference data: its file's name)
    layer: str  # one of LAYERS
    file: Path
    description: str = ""
    source: str | None = None  # bronze: the Synthea source it ingests (a second name for selectors)
    tags: tuple[str, ...] = ()  # the spec's `tags:`; the layer is one too (see `tagged`)

    @property
    def tagged(self) -> tuple[str, ...]:
        return (self.layer, *self.tags)


@dataclass
class Lineage:
    nodes: dict[str, Node]
    #: node -> the nodes it reads
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def edges(self) -> list[tuple[str, str]]:
        """(read, reader) pairs."""
        return [(parent, child) for child, parents in self.parents.items() for parent in parents]

    def children(self, name: str) -> list[str]:
        return [child for parent, child in self.edges if parent == name]

    def ancestors(self, name: str) -> set[str]:
        return self._walk(name, lambda n: list(self.parents.get(n, ())))

    def descendants(self, name: str) -> set[str]:
        return self._walk(name, self.children)

    @staticmethod
    def _walk(start: str, step: Callable[[str], list[str]]) -> set[str]:
        found: set[str] = set()
        todo = list(step(start))
        while todo:
            node = todo.pop()
            if node not in found:
                found.add(node)
                todo.extend(step(node))
        return found

    def order(self) -> list[str]:
        """Every node after what it reads; ties by layer, then name."""
        rank = {n: (LAYERS.index(node.layer), n) for n, node in self.nodes.items()}
        ordered = build_order({n: list(self.parents.get(n, ())) for n in sorted(self.nodes, key=rank.__getitem__)})
        depth: dict[str, int] = {}
        for n in ordered:
            depth[n] = 1 + max((depth[p] for p in self.parents.get(n, ())), default=-1)
        return sorted(ordered, key=lambda n: (depth[n], rank[n]))


def lineage(catalog: SpecCatalog) -> Lineage:
    nodes: dict[str, Node] = {}
    for spec in catalog.bronze.values():
        nodes[spec.table] = Node(spec.table, "bronze", spec.file, spec.description, spec.source, spec.tags)
    for name, data in reference_data(catalog.root).items():
        nodes[name] = Node(name, "reference", data.path, f"reference data: {data.path.name}")
    parents: dict[str, tuple[str, ...]] = {}
    for table, target in target_specs(catalog).items():
        nodes[table] = Node(table, target.layer, target.file, target.description, tags=target.tags)
        read = []
        for name, info in target_plan(catalog, table).sources.items():
            read.append(catalog.bronze[name].table if info.kind == BRONZE else name if info.kind == REFERENCE else info.table)
        parents[table] = tuple(dict.fromkeys(read))
    return Lineage(nodes, parents)
