"""The pipeline as an ordered registry of steps; `medallion run` and the generic task use it."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from framework.cli.context import Context
from framework.cli.record import record_loads, write_run_report
from framework.engine.profile import part
from framework.engine.runs import new_run_id
from framework.engine.stop import stop_point
from framework.site.runs import RunRecord, TableRun
from framework.text import did_you_mean, error_summary

Step = Callable[[Context, list[str] | None, str], None]


def _bronze(context: Context, tables: list[str] | None, run_id: str) -> None:
    from framework.engine.bronze.ingest import ingest

    if tables is not None:  # `--table` may name targets too: bronze takes its own sources only
        tables = [t for t in tables if t in context.specs.bronze]
        if not tables:
            return
    result = ingest(context.lakehouse, context.specs.bronze, run_id, context.report, only=tables)
    if context.record is not None:
        context.record.tables += [TableRun("bronze", context.specs.bronze[s.source].table, rows_in=s.rows, rows_out=s.rows,
                                           rescued=s.rescued_rows, files=s.files, duplicates=s.duplicates)
                                  for s in result.sources.values() if s.files or s.duplicates]
    context.report.progress(f"bronze: run {run_id}: {result.rows:,} rows into "
                            f"{sum(1 for s in result.sources.values() if s.files)} table(s)")


def _archive(context: Context, tables: list[str] | None, run_id: str) -> None:
    from framework.engine.bronze.archive import archive

    result = archive(context.lakehouse, context.report)
    if context.record is not None:
        context.record.archived += len(result.moved) + len(result.already)


def _current(context: Context, tables: list[str] | None, run_id: str) -> None:
    """Bring the current state of every bronze source a target reads (or the given ones) up to
    date: one step before the targets, so that parallel target loads only read them."""
    from framework.engine.current import progress, refresh_current
    from framework.specs.current import current_sources

    sources = current_sources(context.specs)
    if tables is not None:
        sources = [s for s in sources if s in tables or context.specs.bronze[s].current_table in tables]
    results = refresh_current(context.lakehouse, context.specs, sources, on_result=progress(context.report))
    context.current_refreshed = tables is None
    if context.record is not None:
        context.record.tables += [TableRun("current", r.table, r.mode, r.seconds,
                                           note=", ".join(f"{v:,} {k}" for k, v in r.metrics.items())) for r in results]


def _targets(layer: str) -> Step:
    """The step that loads every silver or gold target of a layer (or the given ones)."""

    def step(context: Context, tables: list[str] | None, run_id: str) -> None:
        from framework.engine.reconcile import run_checks
        from framework.engine.targets.load import load_targets
        from framework.specs.targets.sources import target_specs

        specs = target_specs(context.specs)
        if tables is not None:
            currents = {s.current_table for s in context.specs.bronze.values()}
            unknown = [t for t in tables if t not in specs and t not in context.specs.bronze and t not in currents]
            for table in unknown:
                hint = did_you_mean(table, set(specs) | set(context.specs.bronze))
                if not any(f.where == table and f.level == "error" for f in context.report.findings):
                    context.report.error(table, "no bronze source or target of that name", hint)
            tables = [t for t in tables if t in specs and specs[t].layer == layer]
            if not tables:
                return
        results = load_targets(context.lakehouse, context.specs, context.report, layer=layer, tables=tables,
                               load_id=run_id, refresh=not context.current_refreshed)
        # reconciliation runs after each load: a failing `error` check fails the run
        changed = [r.table for r in results if r.changed]
        with part(context.profile, layer, "checks"):
            checks = run_checks(context.lakehouse, context.specs, context.report, changed) if changed else []
        if context.record is not None:
            record_loads(context, layer, results, checks)

    return step


#: step name -> what it runs; `run` without a layer runs PIPELINE in order.
STEPS: dict[str, Step] = {"bronze": _bronze, "archive": _archive, "current": _current,
                          "silver": _targets("silver"), "gold": _targets("gold")}
LAYERS: tuple[str, ...] = ("bronze", "current", "silver", "gold")
PIPELINE: tuple[str, ...] = ("bronze", "archive", "current", "silver", "gold")


def run_layers(context: Context, layers: list[str], tables: list[str] | None, command: str = "medallion run") -> int:
    steps = PIPELINE if layers == list(LAYERS) else tuple(layers)
    context.specs  # noqa: B018 -- specs that do not validate stop the run before Spark starts
    run_id = new_run_id()
    whole = steps == PIPELINE and tables is None and context.env.is_local
    try:
        with context.writing(run_id):
            if whole and _nothing_new(context, run_id, command):
                return finish(context)
            code = _run_steps(context, steps, layers, tables, run_id, command)
            if whole and code == 0:
                from framework.engine.settled import settle

                settle(context.env, run_id)
            return code
    finally:
        if context.profile is not None:
            print(context.profile.render() if context.profile.parts else "profile: no stage ran (nothing new)")


def _nothing_new(context: Context, run_id: str, command: str) -> bool:
    """A run with nothing to do answers from the files alone (framework/engine/settled.py)."""
    from framework.engine.settled import settled_by

    since = settled_by(context.env, set(context.specs.bronze))
    if since is None:
        return False
    _report_open_quarantine(context)
    context.report.progress(f"nothing new since run {since}: landing holds no file and no table changed since "
                            "it ended; every table is up to date")
    record = context.record = RunRecord(run_id, command)
    write_run_report(context, record)
    return True


def _run_steps(context: Context, steps: tuple[str, ...], layers: list[str], tables: list[str] | None,
               run_id: str, command: str) -> int:
    from framework.engine.runlog import Journal, flush, report_unfinished

    report = context.report
    # locally the lock makes this the only run; a Databricks task takes only its own journals
    scope = None if context.env.is_local else "-".join([*layers, *(tables or [])])
    journal = Journal(context.env, run_id, scope)
    report.live = True
    report.listeners.append(journal.write)
    report_unfinished(flush(context.lakehouse, scope), run_id, report)  # journals of runs that died
    _report_open_quarantine(context)
    record = context.record = RunRecord(run_id, command)
    try:
        for step in steps:
            report.stage = step
            written = journal.seq
            stop_point(f"before:{step}")
            started = time.monotonic()
            try:
                with part(context.profile, step):
                    STEPS[step](context, tables if step in layers or len(layers) == 1 else None, run_id)
            except Exception as error:
                record.failure = {"stage": step, "message": error_summary(error)}
                raise
            finally:
                record.stages[step] = time.monotonic() - started
            if journal.seq != written:
                flush(context.lakehouse, scope)
            stop_point(f"after:{step}")
        journal.end()
        flush(context.lakehouse, scope)
    finally:
        write_run_report(context, record)
    return finish(context)


def _report_open_quarantine(context: Context) -> None:
    from framework.engine.bronze.quarantine import fix_hint, quarantined

    for item in quarantined(context.env.landing_path, set(context.specs.bronze)):
        context.report.warning(str(item.path), f"still in quarantine since run {item.run_id}: {item.reason}",
                               fix_hint(item.path.parent.parent.parent))


def finish(context: Context) -> int:
    """Print what the run found, errors last; exit status 1 when there was an error."""
    report = context.report
    if report.live and report.findings:
        print(f"summary: {len(report.of_level('error'))} error(s), {len(report.of_level('warning'))} warning(s)",
              file=sys.stderr)
    for level in ("info", "warning", "error"):
        for finding in report.of_level(level):
            print(finding, file=sys.stderr)
    return 1 if report.has_errors else 0
