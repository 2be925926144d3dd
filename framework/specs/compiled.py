"""The SQL a target compiles to, as text that runs as is in a Spark SQL session (`medallion sql`).

The loads run the planner's queries over relations the engine names (Delta versions). Compiled
SQL stands alone instead: sources are read from their tables by qualified name. In both, reference
data is inlined as a common table expression of its rows (`ResolvedTarget.standalone`), so no view needs
to exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from framework.specs.catalog import SpecCatalog
from framework.specs.errors import SpecError
from framework.specs.targets.bounds import MovedBounds
from framework.specs.targets.expressions import quote
from framework.specs.targets.model import TargetSpec
from framework.specs.targets.plan import Relations, TargetPlan
from framework.specs.targets.resolve import ResolvedTarget, UnresolvedTarget, resolve_target
from framework.specs.targets.sources import REFERENCE

#: table name -> its qualified name in the lakehouse
Namer = Callable[[str], str]


def resolved(catalog: SpecCatalog, table: str) -> ResolvedTarget:
    """The target with every source it reads; a target that cannot be resolved is a SpecError."""
    try:
        return resolve_target(catalog, table)
    except UnresolvedTarget as error:
        raise SpecError([error.problem()]) from None


def target_spec(catalog: SpecCatalog, table: str) -> TargetSpec:
    return resolved(catalog, table).spec


def target_plan(catalog: SpecCatalog, table: str) -> TargetPlan:
    """The plan of a target with every source it reads (its steps' and its expressions')."""
    return resolved(catalog, table).plan


def current_relations(plan: TargetPlan, name: Namer) -> Relations:
    """Every source's rows now, read by table name (reference data by its inlined name)."""
    current = {}
    for source, info in plan.sources.items():
        columns = ", ".join(quote(c) for c in info.columns)
        table = quote(source) if info.kind == REFERENCE else name(info.table)
        current[source] = f"(SELECT {columns} FROM {table})"
    return Relations(current)


def full_build(catalog: SpecCatalog, table: str, name: Namer) -> str:
    """The SELECT of every row a full build writes (CREATE OR REPLACE TABLE ... AS this)."""
    target = resolved(catalog, table)
    return target.standalone(target.plan.recompute(current_relations(target.plan, name)))


@dataclass(frozen=True)
class Incremental:
    """The statements of an incremental load, in order (the control record aside)."""

    statements: tuple[str, ...]
    every_scope: bool
    moved: tuple[str, ...] = ()  # bounds that moved (MovedBounds.describe), whose rows are recomputed


def incremental(target: ResolvedTarget, relations: Relations, changed: list[str], name: Namer,
                *, every_scope: bool, scope: str, moved: Sequence[MovedBounds] = ()) -> Incremental:
    """What an incremental load runs once the relations (current, previous and changed rows of
    each source) are known: the scopes the changed sources touch, written down in the `scope`
    table, then the MERGE of those scopes and of the rows between `moved` bounds recomputed
    (every scope when a change cannot be traced)."""
    plan = target.plan
    table = plan.spec.table
    traced = [n for n in changed if plan.changes.touches_scopes(n)]
    query = None if every_scope else plan.changes.scope_query(relations, traced)
    if query is None:
        rows = f"(\n{target.standalone(plan.recompute(relations))}\n)"
        return Incremental((plan.merge(name(table), rows, None),), True)
    rows = f"(\n{target.standalone(plan.recompute(relations, scope, moved))}\n)"
    return Incremental((f"CREATE OR REPLACE TABLE {scope} USING DELTA AS\n{target.standalone(query)}",
                        plan.merge(name(table), rows, scope, moved),
                        f"DROP TABLE IF EXISTS {scope}"), False, tuple(m.describe() for m in moved))
