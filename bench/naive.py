"""The naive baseline of a first silver and gold load: what a hand-written notebook does.

Each target is built by one plain `CREATE OR REPLACE TABLE naive_<target> USING DELTA AS` of its
full-build query, in dependency order. A bronze source is read de-duplicated straight from bronze
(the query of the state the framework keeps in `<source>_current`, inline: no current-state table
is written); a target source (gold reading silver) is read from the naive table built before it.
No control table, checks, change-feed table properties or MERGE: the peer a first load is
measured against. The SQL is the framework's own planner's, so both build the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from framework.engine.current import ingested_runs, state_query
from framework.engine.lakehouse import Lakehouse
from framework.engine.targets.sources import SourceState, source_relations
from framework.specs.catalog import SpecCatalog
from framework.specs.current import current_sources
from framework.specs.targets.expressions import quote
from framework.specs.targets.resolve import resolve_target
from framework.specs.targets.sources import BRONZE, TARGET


def naive_table(table: str) -> str:
    return f"naive_{table}"


def bronze_queries(lakehouse: Lakehouse, catalog: SpecCatalog) -> dict[str, str]:
    """Each bronze source a target reads, as the query of its rows de-duplicated from the whole of
    bronze (what its current state holds after a full refresh)."""
    sources = current_sources(catalog)
    runs = ingested_runs(lakehouse, sources)
    return {s: state_query(lakehouse, catalog.bronze[s], runs[s]) for s in sources}


def build_naive(lakehouse: Lakehouse, catalog: SpecCatalog, table: str, bronze: Mapping[str, str]) -> str:
    """One CREATE TABLE AS of the target's rows into `naive_<table>` (its sources' naive tables
    built already); return the table's name."""
    target = resolve_target(catalog, table)
    reads = {}
    for name, info in target.sources.items():
        if info.kind == BRONZE:
            reads[name] = bronze[name]
        elif info.kind == TARGET:
            reads[name] = (f"SELECT {', '.join(quote(c) for c in info.columns)} "
                           f"FROM {lakehouse.name(naive_table(info.table))}")
    # a state per source, none of them versioned or seen before: every source is read whole
    states = {name: SourceState(info) for name, info in target.sources.items()}
    relations = source_relations(lakehouse, states, full=True, rebuilt=reads)
    naive = naive_table(table)
    lakehouse.sql(f"CREATE OR REPLACE TABLE {lakehouse.name(naive)} USING DELTA AS "
                  f"{target.standalone(target.plan.recompute(relations))}")
    return naive


def drop_naive(lakehouse: Lakehouse, tables: Iterable[str]) -> None:
    """Drop the naive tables of the given targets (and their files: they are managed tables)."""
    for table in tables:
        lakehouse.sql(f"DROP TABLE IF EXISTS {lakehouse.name(naive_table(table))}")
