"""Fills a run's record from the engine's results and writes its report (framework/site/runs.py)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from framework.cli.context import Context
from framework.site.runs import CheckRun, RunRecord, TableRun, write_reports

if TYPE_CHECKING:
    from framework.engine.reconcile import CheckResult
    from framework.engine.targets.load import LoadResult


def reports_folder(context: Context) -> Path | None:
    """Where run reports go: `<lakehouse>/_reports` locally; none elsewhere (Databricks jobs keep
    their own run history)."""
    return context.env.lakehouse_path / "_reports" if context.env.is_local else None


def record_loads(context: Context, layer: str, results: list[LoadResult], checks: list[CheckResult]) -> None:
    record = context.record
    assert record is not None
    for result in results:
        rows = int(context.lakehouse.table(result.table).count()) if result.changed else None
        record.tables.append(TableRun(layer, result.table, result.mode, result.seconds, rows_out=rows,
                                      inserted=result.metrics.get("inserted"), updated=result.metrics.get("updated"),
                                      deleted=result.metrics.get("deleted"),
                                      note=f"{result.metrics['scopes']:,} scopes" if "scopes" in result.metrics else ""))
    record.checks += [CheckRun(c.table, c.check.name, c.check.severity, c.failed, list(c.samples)) for c in checks]


def write_run_report(context: Context, record: RunRecord) -> None:
    """Findings, the gold table's charts, then the pages; the path is printed. A report that
    cannot be written is a warning: it must not fail the run it describes."""
    folder = reports_folder(context)
    if folder is None:
        return
    record.finished = datetime.now(UTC).isoformat(timespec="seconds")
    record.findings = [asdict(f) for f in context.report.findings]
    try:
        if "lakehouse" in context.__dict__:  # only when the run used Spark
            from framework.engine.stats import gold_summary

            record.pmpm, record.risk = gold_summary(context.lakehouse)
        page = write_reports(folder, record)
    except Exception as error:
        context.report.warning(str(folder), f"run report not written: {error}")
        return
    context.report.progress(f"report: {page.resolve().as_uri()}")
