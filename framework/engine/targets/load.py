"""Load silver and gold targets: full builds, and incremental MERGEs equal to a full rebuild.

A load of one target:
1. brings the current state of its bronze sources up to date (framework/engine/current.py), then
   reads what it has processed from the control table, and the version of each source (bronze
   sources' current states and targets: Delta versions; reference data: fingerprints);
2. nothing new -> nothing to do (a rerun is a no-op);
3. otherwise finds the scopes the changes touch (the plan's scope query; every scope when a
   change cannot be traced), recomputes those scopes from all current source rows, and MERGEs
   them on the key: updated rows, new rows, and rows of those scopes no longer produced deleted;
4. appends the runs it processed to the control table.
A load that dies between 3 and 4 leaves the runs unprocessed: the next load recomputes the same
scopes from the same rows and MERGEs the same values again. `interrupt_after="merge"` raises
LoadInterrupted right there, to rehearse exactly that.

A target that does not exist yet (or `full=True`) is built whole with CREATE OR REPLACE TABLE,
and its control rows start afresh (a reset marker).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyspark.sql import Row

from framework.engine.current import progress, refresh_current
from framework.engine.lakehouse import Lakehouse
from framework.engine.parallel import each
from framework.engine.profile import part
from framework.engine.report import Report
from framework.engine.runs import new_run_id
from framework.engine.stop import stop_point
from framework.engine.targets.control import FULL, INCREMENTAL, UP_TO_DATE, Control, Seen
from framework.engine.targets.errors import LoadInterrupted, TargetError
from framework.engine.targets.sources import (
    MissingSource,
    SourceState,
    Versions,
    read_states,
    source_relations,
    without_unreadable_feeds,
)
from framework.specs.catalog import SpecCatalog
from framework.specs.targets.bounds import MovedBounds
from framework.specs.targets.plan import Relations
from framework.specs.targets.resolve import (
    ResolvedTarget,
    UnknownSource,
    UnresolvedTarget,
    build_sequence,
    build_waves,
    resolve_target,
)
from framework.specs.targets.sources import target_specs
from framework.specs.targets.sql import merged_table_properties
from framework.text import error_summary

CHECKPOINTS = ("merge",)


@dataclass
class LoadResult:
    table: str
    mode: str
    seconds: float = 0.0
    changed: list[str] = field(default_factory=list)  # the sources that changed since the last load
    every_scope: bool = False
    moved: list[str] = field(default_factory=list)  # bounds that moved, whose rows were recomputed
    metrics: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        text = f"{self.table}: {self.mode}"
        if self.changed and self.mode == INCREMENTAL:
            text += f" ({', '.join(self.changed)} changed)"
        if self.mode == INCREMENTAL:
            text += ", every scope recomputed" if self.every_scope else ""
            text += "".join(f", {moved} recomputed" for moved in self.moved)
        if self.metrics:
            text += ": " + ", ".join(f"{v:,} {k}" for k, v in self.metrics.items())
        return f"{text} [{self.seconds:.1f}s]"


def resolve(catalog: SpecCatalog, table: str) -> ResolvedTarget:
    """The target with every source it reads; a target that cannot be resolved is a TargetError."""
    try:
        return resolve_target(catalog, table)
    except UnknownSource as error:
        raise TargetError(f"{error} (run medallion validate)") from None
    except UnresolvedTarget as error:
        raise TargetError(str(error)) from None


def load_target(lakehouse: Lakehouse, catalog: SpecCatalog, table: str, report: Report, *,
                full: bool = False, load_id: str | None = None, interrupt_after: str | None = None,
                refresh: bool = True, versions: Versions | None = None, seen: Seen | None = None) -> LoadResult:
    """Bring one target up to date with its sources (see the module docstring). Within a run of
    loads (`refresh=False`) the caller has made the schema and the control table and refreshed
    the current states; `versions`: the source versions that run has read already; `seen`: what
    the control table says the target has processed, when the caller has read it."""
    if interrupt_after is not None and interrupt_after not in CHECKPOINTS:
        raise ValueError(f"unknown checkpoint {interrupt_after!r} (known: {', '.join(CHECKPOINTS)})")
    started = time.monotonic()
    target = resolve(catalog, table)
    infos, references = target.sources, target.references
    control = Control(lakehouse)
    if refresh:
        _ensure(lakehouse)
        refresh_current(lakehouse, catalog, target.bronze, on_result=progress(report, changes_only=True))
    load_id = load_id or new_run_id()
    full = full or not lakehouse.exists(table)
    seen = seen if seen is not None else control.seen(table)
    try:
        states = read_states(lakehouse, infos, references, seen, versions=versions)
    except MissingSource as missing:
        layer = next((i.layer for i in infos.values() if i.table == missing.table), "silver")
        raise TargetError(f"{table} reads {missing.table}, which does not exist yet: build it first "
                          f"(medallion run {layer})") from None
    result = LoadResult(table, FULL if full else INCREMENTAL, changed=sorted(n for n, s in states.items() if s.changed))
    if not full and not any(s.changed for s in states.values()):
        result.mode = UP_TO_DATE
        result.seconds = time.monotonic() - started
        return result
    relations = source_relations(lakehouse, states, full=full)
    if versions is not None:
        versions.forget(table)
    if full:
        _build(lakehouse, target, relations)
        if lakehouse.profile is not None:  # a profiled run shows the rows a full load wrote
            result.metrics["written"] = lakehouse.written_rows(lakehouse.name(table))
    else:
        _merge(lakehouse, target, relations, states, result)
    if interrupt_after == "merge":
        raise LoadInterrupted(table, "merge")
    stop_point(f"loaded:{table}")  # the target written, the control table not told
    control.record(table, load_id, FULL if full else INCREMENTAL, [e for s in states.values() for e in s.entries()])
    result.seconds = time.monotonic() - started
    return result


def _ensure(lakehouse: Lakehouse) -> None:
    lakehouse.ensure_schema()
    Control(lakehouse).ensure()


def _build(lakehouse: Lakehouse, target: ResolvedTarget, relations: Relations) -> None:
    table = target.plan.spec.table
    verb = "CREATE OR REPLACE TABLE" if lakehouse.exists(table) else "CREATE TABLE"
    properties = merged_table_properties(target.plan.spec.key)
    lakehouse.sql(f"{verb} {lakehouse.name(table)} USING DELTA TBLPROPERTIES ({properties}) "
                  f"AS {target.standalone(target.plan.recompute(relations))}")


def _merge(lakehouse: Lakehouse, target: ResolvedTarget, relations: Relations, states: dict[str, SourceState],
           result: LoadResult) -> None:
    plan = target.plan
    table = plan.spec.table
    scope = lakehouse.name(scope_table(table))
    rows = f"__mdl_{table}__rows"
    try:
        try:
            part = _recomputed(lakehouse, target, states, relations, scope)
        except Exception:
            # the first statements to read the change feeds: when one cannot be read (off for
            # those versions, or vacuumed), every scope is recomputed instead
            relations, unreadable = without_unreadable_feeds(lakehouse, states, relations)
            if not unreadable:
                raise
            part = _recomputed(lakehouse, target, states, relations, scope)
        if not (part.every or part.scopes or part.moved):
            return  # the changes touched nothing this target reads (e.g. rows re-sent as they were)
        scoped = scope if part.scopes else None
        result.every_scope = part.every
        result.moved = [m.describe() for m in part.moved]
        if not part.every:
            result.metrics["scopes"] = part.scopes
        recompute = target.standalone(plan.recompute(relations, scoped, part.moved))
        lakehouse.sql(f"CREATE OR REPLACE TEMP VIEW {rows} AS {recompute}")
        _check_layout(lakehouse, table, rows)
        outcome = lakehouse.rows(plan.merge(lakehouse.name(table), rows, scoped, part.moved))
        if outcome:
            names = ("num_inserted_rows", "num_updated_rows", "num_deleted_rows")
            result.metrics |= {n.split("_")[1]: int(outcome[0][n]) for n in names if n in outcome[0].asDict()}
    finally:
        lakehouse.spark.catalog.dropTempView(rows)
        if lakehouse.exists(scope_table(table)):
            lakehouse.sql(f"DROP TABLE IF EXISTS {scope}")


@dataclass(frozen=True)
class Recomputed:
    """What an incremental load recomputes: every scope, or the scopes its scope table lists
    (`scopes` of them; none written when no traced change touches one) and the rows between
    bounds that moved."""

    every: bool
    scopes: int = 0
    moved: tuple[MovedBounds, ...] = ()


def _recomputed(lakehouse: Lakehouse, target: ResolvedTarget, states: dict[str, SourceState],
                relations: Relations, scope: str) -> Recomputed:
    """Find what the changes touch, writing the scope table of the traced ones (its count comes
    from the commit's metrics: the table is not read again, though the recomputation and the
    MERGE both read it)."""
    moved = moved_bounds(lakehouse, target, states, relations)
    if moved is None:
        return Recomputed(every=True)
    plan = target.plan
    traced = [n for n, s in states.items() if s.changed and plan.changes.touches_scopes(n)]
    if not traced:
        return Recomputed(False, 0, moved)
    query = plan.changes.scope_query(relations, traced)
    if query is None:
        return Recomputed(every=True)
    lakehouse.sql(f"CREATE OR REPLACE TABLE {scope} USING DELTA AS {target.standalone(query)}")
    return Recomputed(False, lakehouse.written_rows(scope), moved)


def moved_bounds(lakehouse: Lakehouse, target: ResolvedTarget, states: dict[str, SourceState],
                 relations: Relations) -> tuple[MovedBounds, ...] | None:
    """The bounds the changes moved (global aggregates that declare `bounds`); None when the
    changes cannot be traced to scopes: a source changed in a way its feed cannot describe, or
    one no scope can be found for, or the measures of a global aggregate without bounds changed."""
    plan = target.plan
    changed = [n for n, s in states.items() if s.changed]
    if any(states[n].untraceable or plan.changes.always_everything(n) for n in changed):
        return None
    moved = []
    for step in (step for n in changed for step in plan.changes.global_aggregates(n)):
        row = lakehouse.rows(target.standalone(plan.changes.global_change(step, relations)))[0]
        if not row["changed"]:
            continue
        if step.bounds is None:
            return None
        moved.append(MovedBounds.of(step.bounds, _measures(row["old"]), _measures(row["new"])))
    return tuple(moved)


def _measures(row: Row | None) -> dict[str, object]:
    return row.asDict() if row is not None else {}


def scope_table(table: str) -> str:
    """The working table listing the scopes an incremental load of `table` recomputes (dropped
    when the load ends)."""
    return f"_medallion_scope_{table}"


def _check_layout(lakehouse: Lakehouse, table: str, rows: str) -> None:
    """The spec still produces the table's columns (else a MERGE would fail or drift)."""
    have = [(f.name, f.dataType.simpleString()) for f in lakehouse.table(table).schema.fields]
    want = [(f.name, f.dataType.simpleString()) for f in lakehouse.spark.table(rows).schema.fields]
    if have != want:
        diff = sorted(set(want) ^ set(have))
        raise TargetError(f"{table}: the spec's columns differ from the table's ({', '.join(f'{n} {t}' for n, t in diff)}"
                          f"): run `medallion rebuild --table {table}`")


class Loads:
    """A run of target loads, sharing what they read: the schema and control table made once, the
    current states of every target's bronze sources brought up to date once (`refresh`), one read
    of the control table (a load appends rows for its own target only) and each source's version
    asked once. `load` raises what the target's load raises."""

    def __init__(self, lakehouse: Lakehouse, catalog: SpecCatalog, report: Report, sequence: list[str], *,
                 load_id: str | None = None, refresh: bool = True) -> None:
        self.lakehouse, self.catalog, self.report, self.load_id = lakehouse, catalog, report, load_id
        _ensure(lakehouse)
        if refresh:
            specs = target_specs(catalog)
            refresh_current(lakehouse, catalog, {s for t in sequence for s in specs[t].sources if s in catalog.bronze},
                            on_result=progress(report, changes_only=True))
        self.versions = Versions(lakehouse)
        self.seen = Control(lakehouse).seen_many(sequence) if sequence else {}

    def load(self, table: str, *, interrupt_after: str | None = None) -> LoadResult:
        return load_target(self.lakehouse, self.catalog, table, self.report, load_id=self.load_id, refresh=False,
                           interrupt_after=interrupt_after, versions=self.versions, seen=self.seen[table])


def load_targets(lakehouse: Lakehouse, catalog: SpecCatalog, report: Report, *, layer: str | None = None,
                 tables: Iterable[str] | None = None, load_id: str | None = None,
                 refresh: bool = True) -> list[LoadResult]:
    """Load every target of a layer (or the given ones) in dependency order, two at a time where
    neither reads the other; a failing target is reported and the others still load.
    `refresh=False`: the caller has just brought every current state up to date (the pipeline's
    `current` step)."""
    sequence = build_sequence(catalog, layer, tables)
    specs = target_specs(catalog)
    loads = Loads(lakehouse, catalog, report, sequence, load_id=load_id, refresh=refresh)

    def load(table: str) -> LoadResult | Failed:
        try:
            with part(lakehouse.profile, specs[table].layer, table) as timed:
                result = loads.load(table)
                timed.rows = sum(v for k, v in result.metrics.items() if k != "scopes") if result.metrics else None
        except LoadInterrupted:
            raise
        except TargetError as error:
            return Failed(str(error))
        except Exception as error:  # one broken target must not stop the others
            return Failed(f"load failed: {error_summary(error)}", "fix the cause, then rerun: the load resumes where it stopped")
        report.progress(f"{specs[table].layer}: {result.describe()}")
        return result

    results = []
    for wave in build_waves(sequence, catalog):
        # failures are reported after the wave, in its order: the run log lists them the same way every run
        for table, outcome in zip(wave, each(wave, load), strict=True):
            if isinstance(outcome, Failed):
                report.error(table, outcome.message, outcome.action)
            else:
                results.append(outcome)
    return results


@dataclass(frozen=True)
class Failed:
    """Why a target of a wave did not load (and what to do), reported once the wave has ended."""

    message: str
    action: str | None = None
