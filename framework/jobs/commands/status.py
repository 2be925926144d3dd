from __future__ import annotations

import argparse

from framework.jobs.commands.base import Command
from framework.jobs.context import Context


def _configure(parser: argparse.ArgumentParser) -> None:
    pass


def _run(context: Context, args: argparse.Namespace) -> int:
    from framework.engine.status import bronze_status, format_rows

    print(format_rows(bronze_status(context.lakehouse, context.specs.bronze)))
    return 0


COMMAND = Command("status", "per table: rows, last run, files ingested, rescued rows", _configure, _run)
