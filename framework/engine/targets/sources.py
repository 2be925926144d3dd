"""The state of each source a target reads, and the relations (temp views) the plans read it by.

Per source, three relations: `current` (every row now), `previous` (the rows as this target last
saw them) and `changed` (what arrived since). For a bronze source the new rows are those of the
runs the target has not processed (a set difference: run ids sort in time, but a run that
committed late must still be seen); for a target source, the Delta change feed between the
version the target last read and now; reference data is small and compared by fingerprint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pyspark.sql.types import StringType, StructField, StructType

from framework.engine.lakehouse import Lakehouse
from framework.engine.targets.control import Entry, Seen
from framework.specs.targets.expressions import literal, quote
from framework.specs.targets.plan import Relations
from framework.specs.targets.sources import BRONZE, REFERENCE, TARGET, ReferenceData, SourceInfo


@dataclass
class SourceState:
    info: SourceInfo
    exists: bool = True
    runs: list[str] = field(default_factory=list)  # bronze: every run in the table
    new_runs: list[str] = field(default_factory=list)  # bronze: runs this target has not processed
    table_id: str | None = None  # target: the Delta table read, and its version now
    version: int | None = None
    seen: tuple[str, int] | None = None  # target: (table id, version) the target last read
    fingerprint: str | None = None  # reference: content hash now
    fingerprint_seen: bool = False
    feed_unreadable: bool = False  # target: its change feed could not be read (not enabled, vacuumed)

    @property
    def changed(self) -> bool:
        if self.info.kind == BRONZE:
            return bool(self.new_runs)
        if self.info.kind == TARGET:
            return self.seen != (self.table_id, self.version)
        return not self.fingerprint_seen

    @property
    def untraceable(self) -> bool:
        """Changed in a way the change feed cannot describe: every scope must be recomputed."""
        if self.info.kind == TARGET:
            return self.changed and (self.seen is None or self.seen[0] != self.table_id or self.feed_unreadable)
        return self.info.kind == REFERENCE and self.changed

    def entries(self, full: bool) -> list[Entry]:
        """What the target will have processed once this load's MERGE committed."""
        if self.info.kind == BRONZE:
            return [Entry(self.info.name, BRONZE, run_id=r) for r in (self.runs if full else self.new_runs)]
        if self.info.kind == TARGET:
            if self.table_id is None or self.version is None:
                return []
            return [Entry(self.info.name, TARGET, source_version=self.version, source_table_id=self.table_id)]
        return [Entry(self.info.name, REFERENCE, run_id=self.fingerprint)]


def read_states(lakehouse: Lakehouse, sources: Mapping[str, SourceInfo], references: Mapping[str, ReferenceData],
                seen: Seen) -> dict[str, SourceState]:
    states = {}
    for name, info in sources.items():
        state = SourceState(info)
        if info.kind == REFERENCE:
            state.fingerprint = references[name].fingerprint()
            state.fingerprint_seen = state.fingerprint in seen.fingerprints.get(name, set())
        else:
            state.exists = lakehouse.exists(info.table)
        if info.kind == TARGET:
            if not state.exists:
                raise MissingSource(info.table)
            detail = lakehouse.sql(f"DESCRIBE DETAIL {lakehouse.name(info.table)}").collect()[0]
            state.table_id = detail["id"]
            state.version = int(lakehouse.sql(f"DESCRIBE HISTORY {lakehouse.name(info.table)} LIMIT 1")
                                .collect()[0]["version"])
            state.seen = seen.versions.get(name)
        states[name] = state
    bronze = [n for n, s in states.items() if s.info.kind == BRONZE and s.exists]
    if bronze:  # every bronze source's runs in one query
        union = " UNION ALL ".join(f"SELECT DISTINCT {literal(n)} AS source, ingest_run_id "
                                   f"FROM {lakehouse.name(states[n].info.table)}" for n in bronze)
        for row in lakehouse.sql(union).collect():
            if row["ingest_run_id"] is not None:
                states[row["source"]].runs.append(row["ingest_run_id"])
        for name in bronze:
            state = states[name]
            state.runs.sort()
            done = seen.runs.get(name, set())
            state.new_runs = [r for r in state.runs if r not in done]
    return states


class MissingSource(Exception):
    def __init__(self, table: str):
        self.table = table
        super().__init__(table)


def view_name(target: str, source: str, state: str) -> str:
    return f"__mdl_{target}__{source}__{state}"


def _empty(info: SourceInfo) -> str:
    columns = ", ".join(f"CAST(NULL AS {info.types.get(c, 'STRING')}) AS {quote(c)}" for c in info.columns)
    return f"SELECT {columns} WHERE FALSE"


def _bronze_rows(lakehouse: Lakehouse, info: SourceInfo, state: SourceState) -> str:
    """Every declared column, NULL where the table lacks it (optional columns of older exports)."""
    if not state.exists:
        return _empty(info)
    present = {c.lower() for c in lakehouse.table(info.table).columns}
    columns = ", ".join(quote(c) if c.lower() in present else f"CAST(NULL AS {info.types[c]}) AS {quote(c)}"
                        for c in info.columns)
    return f"SELECT {columns} FROM {lakehouse.name(info.table)}"


def _in(runs: list[str]) -> str:
    return ", ".join(literal(r) for r in runs)


def register_reference(lakehouse: Lakehouse, reference: ReferenceData) -> None:
    """Reference data as a temp view named after its file, for expressions to read."""
    schema = StructType([StructField(c, StringType()) for c in reference.columns])
    lakehouse.spark.createDataFrame(reference.rows(), schema).createOrReplaceTempView(reference.name)


def register_views(lakehouse: Lakehouse, target: str, states: Mapping[str, SourceState],
                   references: Mapping[str, ReferenceData], *, full: bool) -> Relations:
    """Create the temp views of every source and return their names."""
    current: dict[str, str] = {}
    previous: dict[str, str] = {}
    changed: dict[str, str] = {}
    for name, state in states.items():
        info = state.info
        names = {s: view_name(target, name, s) for s in ("cur", "prev", "chg")}
        if info.kind == REFERENCE:
            register_reference(lakehouse, references[name])
            rows = f"SELECT {', '.join(quote(c) for c in info.columns)} FROM {quote(name)}"
            queries = {"cur": rows, "prev": rows if state.fingerprint_seen else _empty(info), "chg": _empty(info)}
        elif info.kind == BRONZE:
            rows = _bronze_rows(lakehouse, info, state)
            new = _in(state.new_runs)
            queries = {"cur": rows}
            if not full:
                queries["prev"] = f"SELECT * FROM {names['cur']}" + (
                    f" WHERE ingest_run_id NOT IN ({new})" if new else "")
                queries["chg"] = f"SELECT * FROM {names['cur']} WHERE " + (
                    f"ingest_run_id IN ({new})" if new else "FALSE")
        else:
            table, columns = lakehouse.name(info.table), ", ".join(quote(c) for c in info.columns)
            queries = {"cur": f"SELECT {columns} FROM {table} VERSION AS OF {state.version}"}
            if not full:
                if state.seen is not None and not state.untraceable:
                    start = state.seen[1]
                    queries["prev"] = f"SELECT {columns} FROM {table} VERSION AS OF {start}"
                    queries["chg"] = (f"SELECT {columns} FROM table_changes({literal(table)}, {start + 1}, {state.version})"
                                      if state.version is not None and state.version > start else _empty(info))
                else:
                    queries["prev"] = queries["chg"] = _empty(info)
        if info.kind == TARGET and "chg" in queries and not _readable(lakehouse, queries["chg"]):
            state.feed_unreadable = True
            queries["prev"] = queries["chg"] = _empty(info)
        for state_name, query in queries.items():
            lakehouse.sql(f"CREATE OR REPLACE TEMP VIEW {names[state_name]} AS {query}")
        current[name] = names["cur"]
        if "prev" in queries:
            previous[name], changed[name] = names["prev"], names["chg"]
    new_rows = {name: (f"ingest_run_id IN ({_in(state.new_runs)})" if state.new_runs else "FALSE")
                for name, state in states.items() if state.info.kind == BRONZE and not full}
    return Relations(current, previous, changed, new_rows)


def _readable(lakehouse: Lakehouse, query: str) -> bool:
    """Whether a change-feed query plans (the feed may be off for those versions, or vacuumed)."""
    try:
        lakehouse.sql(f"SELECT * FROM ({query}) LIMIT 0").collect()
    except Exception:  # any failure means: recompute everything instead
        return False
    return True


def drop_views(lakehouse: Lakehouse, relations: Relations) -> None:
    for names in (relations.current, relations.previous, relations.changed):
        for view in names.values():
            lakehouse.spark.catalog.dropTempView(view)
