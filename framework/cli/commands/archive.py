from __future__ import annotations

import argparse

from framework.cli.commands.base import Command, add_wait
from framework.cli.context import Context
from framework.cli.pipeline import finish
from framework.engine.runs import new_run_id


def _configure(parser: argparse.ArgumentParser) -> None:
    add_wait(parser)


def _run(context: Context, args: argparse.Namespace) -> int:
    from framework.engine.bronze.archive import archive

    with context.writing(new_run_id()):
        archive(context.lakehouse, context.report)
        return finish(context)


COMMAND = Command("archive", "move ingested landing files to <source>/archive/<run id>/", _configure, _run)
