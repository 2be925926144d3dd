from __future__ import annotations

import argparse

from framework.cli.commands.base import Command, add_wait
from framework.cli.context import Context
from framework.cli.pipeline import finish
from framework.engine.runs import new_run_id


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--table", action="append", required=True,
                        help="a silver or gold table to rebuild from all bronze rows; repeatable")
    add_wait(parser)


def _run(context: Context, args: argparse.Namespace) -> int:
    from framework.engine.targets.errors import TargetError
    from framework.engine.targets.load import build_sequence, load_target

    sequence = build_sequence(context.specs, tables=args.table) or args.table
    with context.writing(new_run_id()):
        for table in sequence:
            try:
                result = load_target(context.lakehouse, context.specs, table, context.report, full=True)
            except TargetError as error:
                context.report.error(table, str(error))
                continue
            context.report.progress(f"rebuild: {result.describe()}")
        return finish(context)


COMMAND = Command("rebuild", "full refresh of a silver/gold table from all bronze rows (resets its control rows)",
                  _configure, _run)
