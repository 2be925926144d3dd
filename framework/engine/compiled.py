"""The incremental load a target would run now, as SQL: its sources' versions and what the target
last read of them come from the lakehouse (the control table); nothing is written."""

from __future__ import annotations

from framework.engine.lakehouse import Lakehouse
from framework.engine.targets.control import TABLE as CONTROL
from framework.engine.targets.control import Control, Seen
from framework.engine.targets.load import every_scope, scope_table
from framework.engine.targets.sources import MissingSource, read_states, register_views
from framework.specs.catalog import SpecCatalog
from framework.specs.compiled import Incremental, incremental, plan_references, target_plan


def compile_incremental(lakehouse: Lakehouse, catalog: SpecCatalog, table: str) -> Incremental | str:
    """The statements of the next incremental load of `table` over the sources as they are now
    (the load first brings bronze sources' current states up to date), or why there is none."""
    plan = target_plan(catalog, table)
    if not lakehouse.exists(table):
        return f"{table} does not exist yet: its first load is the full build"
    seen = Control(lakehouse).seen(table) if lakehouse.exists(CONTROL) else Seen()
    references = plan_references(catalog, plan)
    try:
        states = read_states(lakehouse, plan.sources, references, seen)
    except MissingSource as missing:
        return f"{table} reads {missing.table}, which does not exist yet"
    relations = register_views(lakehouse, table, states, references, full=False)
    changed = sorted(n for n, s in states.items() if s.changed)
    every = every_scope(lakehouse, plan, states, relations)
    return incremental(catalog, plan, relations, changed, lakehouse.name, every_scope=every,
                       scope=lakehouse.name(scope_table(table)))
