from __future__ import annotations

import argparse

from framework.cli.commands.base import Command
from framework.cli.context import Context
from framework.cli.pipeline import finish


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--table", action="append", default=None, help="one target's checks (repeatable)")


def _run(context: Context, args: argparse.Namespace) -> int:
    from framework.engine.reconcile import run_checks

    context.reading()  # checks only read: they run beside a run
    results = run_checks(context.lakehouse, context.specs, context.report, args.table)
    for result in results:
        mark = "ok  " if result.passed else ("FAIL" if result.check.severity == "error" else "warn")
        print(f"{mark} {result.table}: {result.check.name}" + ("" if result.passed else f" ({result.failed:,})"))
    return finish(context)


COMMAND = Command("check", "run the reconciliation checks declared beside each target", _configure, _run)
