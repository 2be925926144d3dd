"""The incremental load a target would run now, as SQL: its sources' versions and what the target
last read of them come from the lakehouse (the control table); nothing is written."""

from __future__ import annotations

from framework.engine.lakehouse import Lakehouse
from framework.engine.targets.control import TABLE as CONTROL
from framework.engine.targets.control import Control, Seen
from framework.engine.targets.load import moved_bounds, scope_table
from framework.engine.targets.sources import MissingSource, read_states, source_relations, without_unreadable_feeds
from framework.specs.catalog import SpecCatalog
from framework.specs.compiled import Incremental, incremental, resolved


def compile_incremental(lakehouse: Lakehouse, catalog: SpecCatalog, table: str) -> Incremental | str:
    """The statements of the next incremental load of `table` over the sources as they are now
    (the load first brings bronze sources' current states up to date), or why there is none."""
    target = resolved(catalog, table)
    if not lakehouse.exists(table):
        return f"{table} does not exist yet: its first load is the full build"
    seen = Control(lakehouse).seen(table) if lakehouse.exists(CONTROL) else Seen()
    try:
        states = read_states(lakehouse, target.sources, target.references, seen)
    except MissingSource as missing:
        return f"{table} reads {missing.table}, which does not exist yet"
    relations = source_relations(lakehouse, states, full=False)
    relations, _ = without_unreadable_feeds(lakehouse, states, relations)  # what the load would fall back to
    changed = sorted(n for n, s in states.items() if s.changed)
    moved = moved_bounds(lakehouse, target, states, relations)
    return incremental(target, relations, changed, lakehouse.name, every_scope=moved is None,
                       scope=lakehouse.name(scope_table(table)), moved=moved or ())
