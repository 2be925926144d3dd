"""The docs site of a tables folder: a lineage graph (Graphviz `dot`, laid out in the browser by
the vendored Viz.js) and one section per table: description, grain, key, columns, sources and
joins, the SQL a target compiles to, and row counts and last run when the lakehouse exists."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from framework.site.render import write_page
from framework.specs.catalog import SpecCatalog
from framework.specs.compiled import full_build
from framework.specs.lineage import LAYERS, Lineage, lineage
from framework.specs.targets.model import Aggregate, Join, TargetSpec
from framework.specs.targets.sources import reference_data, target_specs

COLORS = {"bronze": "#e8c39e", "reference": "#d9d9d9", "silver": "#dfe6ee", "gold": "#f5d76e"}


@dataclass(frozen=True)
class TableStats:
    rows: int
    last_run: str  # when the table last changed, and how


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    description: str = ""
    expr: str = ""


@dataclass
class TableDoc:
    name: str
    layer: str
    file: str
    description: str
    grain: str
    key: list[str]
    columns: list[ColumnDoc]
    reads: list[str]
    read_by: list[str]
    tags: list[str] = field(default_factory=list)  # the spec's own (`--select tag:NAME`)
    steps: list[str] = field(default_factory=list)  # the driver, joins and aggregates, as sentences
    sql: str | None = None
    stats: TableStats | None = None


def _target_steps(spec: TargetSpec) -> list[str]:
    lines = [f"driver: {spec.driver.source} as {spec.driver.alias}"]
    for step in spec.steps:
        if isinstance(step, Join):
            match = ", ".join(f"{step.alias}.{column} = {expr}" for column, expr in step.on)
            lines.append(f"join {step.source} as {step.alias} on {match}")
        elif isinstance(step, Aggregate):
            match = ", ".join(f"{source} = {outer}" for source, outer in step.on) or "the whole source"
            measures = ", ".join(name for name, _ in step.measures)
            bounds = (f" (bound {step.bounds.column} from {step.bounds.lower} to {step.bounds.upper})"
                      if step.bounds is not None else "")
            lines.append(f"aggregate {step.source} as {step.alias} over {match}: {measures}{bounds}")
        else:
            lines.append(f"derive {step.name} = {step.expr}")
    if spec.where is not None:
        lines.append(f"where {spec.where}")
    return lines


def table_docs(catalog: SpecCatalog, graph: Lineage, name: Callable[[str], str],
               stats: Mapping[str, TableStats], types: Mapping[str, Mapping[str, str]]) -> list[TableDoc]:
    """Every table of the graph, in build order. `types`: column types read from the lakehouse
    (a target column without a declared type takes its expression's)."""
    bronze = {spec.table: spec for spec in catalog.bronze.values()}
    targets = target_specs(catalog)
    references = reference_data(catalog.root)
    docs = []
    for table in graph.order():
        node = graph.nodes[table]
        doc = TableDoc(table, node.layer, str(node.file.relative_to(catalog.root.parent)), node.description, grain="",
                       key=[], columns=[], reads=list(graph.parents.get(table, ())), read_by=graph.children(table),
                       tags=list(node.tags), stats=stats.get(table))
        known = types.get(table, {})
        if table in bronze:
            spec = bronze[table]
            doc.key = list(spec.identity.columns)
            doc.grain = f"one row per delivered row; current state: one per {', '.join(doc.key) or 'distinct row'}"
            doc.columns = [ColumnDoc(c.name, c.type, c.note or ("optional" if c.optional else "")) for c in spec.columns]
        elif table in targets:
            target = targets[table]
            doc.key, doc.grain = list(target.key), f"one row per {', '.join(target.key)}"
            doc.columns = [ColumnDoc(c.name, c.type or known.get(c.name, "from its expression"), c.description,
                                     c.expr.text) for c in target.columns]
            doc.columns.append(ColumnDoc(target.load_timestamp, "timestamp", "when the row last changed (engine-managed)"))
            doc.steps, doc.sql = _target_steps(target), full_build(catalog, table, name)
        else:
            data = references[table]
            doc.grain = f"one row per line of {data.path.name}"
            doc.columns = [ColumnDoc(c, "string") for c in data.columns]
        docs.append(doc)
    return docs


def lineage_dot(graph: Lineage) -> str:
    """The graph in Graphviz's language: one cluster per layer, each node a link to its section."""
    lines = ['digraph lineage {', '  rankdir=LR; nodesep=0.12; ranksep=1.1;',
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, height=0.3];',
             '  edge [color="#7a869a", arrowsize=0.6];']
    for layer in LAYERS:
        names = [n for n in graph.order() if graph.nodes[n].layer == layer]
        if not names:
            continue
        lines.append(f'  subgraph "cluster_{layer}" {{ label="{layer}"; fontname="Helvetica"; color="#c0c6d0";')
        lines += [f'    "{n}" [id="node-{n}", class="table {layer}", href="#{n}", fillcolor="{COLORS[layer]}"];'
                  for n in names]
        lines.append("  }")
    lines += [f'  "{a}" -> "{b}" [id="edge-{a}--{b}"];' for a, b in graph.edges]
    lines.append("}")
    return "\n".join(lines)


def write_docs(folder: Path, catalog: SpecCatalog, name: Callable[[str], str], *,
               stats: Mapping[str, TableStats] | None = None,
               types: Mapping[str, Mapping[str, str]] | None = None, lakehouse: str = "") -> Path:
    """Write the site into `folder`; returns its index page."""
    graph = lineage(catalog)
    docs = table_docs(catalog, graph, name, stats or {}, types or {})
    return write_page(folder / "index.html", "docs.html.j2", tables=docs, dot=lineage_dot(graph),
                      layers=LAYERS, edges=len(graph.edges), lakehouse=lakehouse, has_stats=bool(stats))
