"""The pipeline as an ordered registry of steps; `medallion run` and the generic task use it."""

from __future__ import annotations

import sys
from collections.abc import Callable

from framework.engine.runs import new_run_id
from framework.jobs.context import Context

Step = Callable[[Context, list[str] | None, str], None]


def _bronze(context: Context, tables: list[str] | None, run_id: str) -> None:
    from framework.engine.bronze.ingest import ingest

    result = ingest(context.lakehouse, context.specs.bronze, run_id, context.report, only=tables)
    context.report.progress(f"bronze: run {run_id}: {result.rows:,} rows into "
                            f"{sum(1 for s in result.sources.values() if s.files)} table(s)")


def _archive(context: Context, tables: list[str] | None, run_id: str) -> None:
    from framework.engine.bronze.archive import archive

    archive(context.lakehouse, context.report)


#: step name -> what it runs; `run` without a layer runs PIPELINE in order.
STEPS: dict[str, Step] = {"bronze": _bronze, "archive": _archive}
LAYERS: tuple[str, ...] = ("bronze",)
PIPELINE: tuple[str, ...] = ("bronze", "archive")


def run_layers(context: Context, layers: list[str], tables: list[str] | None) -> int:
    steps = PIPELINE if layers == list(LAYERS) else tuple(layers)
    run_id = new_run_id()
    for step in steps:
        STEPS[step](context, tables if step in layers or len(layers) == 1 else None, run_id)
    return finish(context)


def finish(context: Context) -> int:
    """Print what the run found, errors last; exit status 1 when there was an error."""
    report = context.report
    for level in ("info", "warning", "error"):
        for finding in report.of_level(level):
            print(finding, file=sys.stderr)
    return 1 if report.has_errors else 0
