from __future__ import annotations

import argparse

from framework.jobs.commands.base import Command
from framework.jobs.context import Context
from framework.jobs.output import render


def _configure(parser: argparse.ArgumentParser) -> None:
    pass


def _run(context: Context, args: argparse.Namespace) -> int:
    from framework.engine.status import bronze_status

    rows = bronze_status(context.lakehouse, context.specs.bronze)
    print(render(list(rows[0]) if rows else [], rows, "table"))
    return 0


COMMAND = Command("status", "per table: rows, last run, files ingested, rescued rows", _configure, _run)
