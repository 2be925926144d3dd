from __future__ import annotations

import argparse
import sys

from framework.cli.commands.base import Command
from framework.cli.context import Context
from framework.cli.record import reports_folder
from framework.site.runs import RECORDS, write_reports


def _configure(parser: argparse.ArgumentParser) -> None:
    pass


def _run(context: Context, args: argparse.Namespace) -> int:
    folder = reports_folder(context)
    if folder is None or not (folder / RECORDS).is_dir():
        print(f"error: no run recorded{f' in {folder}' if folder else ''}: `medallion run` writes a report per run",
              file=sys.stderr)
        return 1
    print(f"report: {write_reports(folder).resolve().as_uri()}")
    return 0


COMMAND = Command("report", "write the HTML run reports (one page per run, and an index); every run writes its own too",
                  _configure, _run)
