"""Keep each bronze source's current state (`<source>_current`) up to date with its bronze runs.

Which runs are new comes from the ingest log (the runs whose files landed) and the control table
(the runs each current state has applied), two small queries for every source at once: bronze
itself is not scanned to find them. A source with new runs gets one MERGE of the state of those
runs' rows (see framework/specs/current.py), then one control append; a load that dies between
the two applies the same runs again next time, which changes nothing more. A run older than one
already applied (it committed late) makes the state recomputed from the whole history.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from framework.engine.bronze.ingest_log import INGESTED, IngestLog
from framework.engine.lakehouse import Lakehouse
from framework.engine.parallel import each
from framework.engine.profile import part
from framework.engine.report import Report
from framework.engine.runs import new_run_id
from framework.engine.stop import stop_point
from framework.engine.targets.control import FULL, INCREMENTAL, UP_TO_DATE, Control, Entry
from framework.specs.bronze import METADATA_COLUMNS, BronzeSpec
from framework.specs.catalog import SpecCatalog
from framework.specs.current import CurrentStatePlan
from framework.specs.targets.sources import BRONZE
from framework.text import sql_string

#: what one refresh applied, for the control table: (state, mode, the runs' entries)
Applied = tuple[str, str, list[Entry]]


@dataclass
class CurrentResult:
    table: str
    mode: str
    runs: int = 0
    seconds: float = 0.0
    metrics: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        text = f"{self.table}: {self.mode}"
        if self.runs:
            text += f" ({self.runs} new run(s))"
        if self.metrics:
            text += ": " + ", ".join(f"{v:,} {k}" for k, v in self.metrics.items())
        return f"{text} [{self.seconds:.1f}s]"


def progress(report: Report, *, changes_only: bool = False) -> Callable[[CurrentResult], None]:
    """An `on_result` for refresh_current that prints a line per state (`changes_only`: per state
    that had new runs; a target load's refresh after the pipeline's own has no news)."""

    def line(result: CurrentResult) -> None:
        if not (changes_only and result.mode == UP_TO_DATE):
            report.progress(f"current: {result.describe()}")

    return line


def ingested_runs(lakehouse: Lakehouse, sources: Iterable[str]) -> dict[str, list[str]]:
    """The runs whose files of each source landed in bronze, from the ingest log (one query)."""
    wanted = sorted(set(sources))
    found: dict[str, list[str]] = {s: [] for s in wanted}
    if not wanted or not lakehouse.exists("medallion_ingest_log"):
        return found
    log = IngestLog(lakehouse)
    rows = lakehouse.rows(
        f"SELECT source, sort_array(collect_set(ingest_run_id)) AS runs FROM ({log.latest_sql()}) "
        f"WHERE status = '{INGESTED}' AND source IN ({', '.join(sql_string(s) for s in wanted)}) GROUP BY source")
    for row in rows:
        found[row["source"]] = list(row["runs"])
    return found


def refresh_current(lakehouse: Lakehouse, catalog: SpecCatalog, sources: Iterable[str], *,
                    full: bool = False,
                    on_result: Callable[[CurrentResult], None] | None = None) -> list[CurrentResult]:
    """Apply the new bronze runs of each source to its current state (`full`: recompute it).
    `on_result` hears of each state as soon as it is settled (progress: eleven MERGEs take a while)."""
    specs = [catalog.bronze[s] for s in sorted(set(sources))]
    if not specs:
        return []
    lakehouse.ensure_schema()
    control = Control(lakehouse)
    control.ensure()
    runs = ingested_runs(lakehouse, [s.source for s in specs])
    seen = control.seen_many([s.current_table for s in specs])
    existing = lakehouse.tables()

    def refresh(spec: BronzeSpec) -> tuple[CurrentResult, Applied | None]:
        started = time.monotonic()
        done = seen[spec.current_table].runs.get(spec.source, set())
        new = [r for r in runs[spec.source] if r not in done]
        exists = spec.current_table in existing
        whole = full or not exists or bool(new and done and min(new) < max(done))
        result = CurrentResult(spec.current_table, FULL if whole else INCREMENTAL, len(new))
        applied = None
        if exists and not new and not full:
            result.mode = UP_TO_DATE
        else:
            with part(lakehouse.profile, "current", spec.current_table) as timed:
                result.metrics = _apply(lakehouse, spec, runs[spec.source] if whole else new, whole=whole,
                                        exists=exists, bronze_exists=spec.table in existing, replace=full)
                timed.rows = sum(result.metrics.values()) if result.metrics else None
            applied = (spec.current_table, result.mode,
                       [Entry(spec.source, BRONZE, run_id=r) for r in (runs[spec.source] if whole else new)])
            result.seconds = time.monotonic() - started
        if on_result is not None:
            on_result(result)
        return result, applied

    refreshed = each(specs, refresh)
    # one commit for every state: a refresh that dies before it applies the same runs again next
    # time, which changes nothing more
    stop_point("current:merged")  # every state merged, the control table not told
    control.record_many(new_run_id(), [applied for _, applied in refreshed if applied is not None])
    return [result for result, _ in refreshed]


def state_rows(lakehouse: Lakehouse, spec: BronzeSpec, runs: list[str], *, bronze_exists: bool = True) -> str:
    """The query of the bronze rows of the given runs, as the current state reads them."""
    plan = CurrentStatePlan(spec)
    if not bronze_exists or not runs:
        columns = {**{c.name: c.sql_type for c in spec.columns}, **METADATA_COLUMNS}
        empty = ", ".join(f"CAST(NULL AS {t}) AS `{c}`" for c, t in columns.items())
        return f"SELECT {empty} WHERE FALSE"
    present = set(lakehouse.table(spec.table).columns)
    return plan.rows(lakehouse.name(spec.table), present, runs)


def state_query(lakehouse: Lakehouse, spec: BronzeSpec, runs: list[str]) -> str:
    """What the current state holds when built from these runs alone (the full rebuild's view)."""
    plan = CurrentStatePlan(spec)
    rows = state_rows(lakehouse, spec, runs, bronze_exists=lakehouse.exists(spec.table))
    return f"SELECT {', '.join(plan.columns)} FROM ({plan.state(rows, len(runs) <= 1)}) __s"


def _apply(lakehouse: Lakehouse, spec: BronzeSpec, runs: list[str], *, whole: bool, exists: bool,
           bronze_exists: bool, replace: bool) -> dict[str, int]:
    """Build the state, replace it (a full refresh) or MERGE the runs' state into it."""
    plan = CurrentStatePlan(spec)
    table = lakehouse.name(spec.current_table)
    rows = state_rows(lakehouse, spec, runs, bronze_exists=bronze_exists)
    single = len(runs) <= 1
    if not exists or replace:
        lakehouse.sql(plan.build(table, rows, single, replace=exists))
        # a profiled run shows the rows a build wrote
        return {} if lakehouse.profile is None else {"written": lakehouse.written_rows(table)}
    outcome = lakehouse.rows(plan.merge(table, rows, single, whole=whole))
    if not outcome:
        return {}
    names = ("num_inserted_rows", "num_updated_rows", "num_deleted_rows")
    return {n.split("_")[1]: int(outcome[0][n]) for n in names if n in outcome[0].asDict()}
