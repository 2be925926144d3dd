from __future__ import annotations

import argparse

from framework.cli.commands.base import Command
from framework.cli.context import Context
from framework.cli.output import render


def _configure(parser: argparse.ArgumentParser) -> None:
    pass


def _run(context: Context, args: argparse.Namespace) -> int:
    from framework.engine.status import bronze_status

    context.reading()  # works beside a run, which may hold the Derby catalog
    rows = bronze_status(context.lakehouse, context.specs.bronze)
    print(render(list(rows[0]) if rows else [], rows, "table"))
    _print_quarantine(context)
    _print_problems(context)
    return 0


def _print_problems(context: Context) -> None:
    from framework.engine.runlog import latest_problems

    rows = latest_problems(context.lakehouse)  # with the journals not yet in the table: a live or dead run's
    if rows:
        print("\nproblems of the latest runs (newest first):")
        print(render(list(rows[0]), rows, "table"))


def _print_quarantine(context: Context) -> None:
    from framework.engine.bronze.quarantine import quarantined

    files = quarantined(context.env.landing_path, set(context.specs.bronze))
    if files:
        rows = [{"source": q.source, "run": q.run_id, "file": str(q.path), "reason": q.reason} for q in files]
        print(f"\nquarantined files ({len(files)}): fix and deliver again, then delete the quarantined copy")
        print(render(list(rows[0]), rows, "table"))


COMMAND = Command("status", "per table: rows, last run, files ingested, rescued rows", _configure, _run)
