from __future__ import annotations

import argparse

from framework.jobs.commands.base import Command
from framework.jobs.context import Context
from framework.jobs.pipeline import finish


def _configure(parser: argparse.ArgumentParser) -> None:
    pass


def _run(context: Context, args: argparse.Namespace) -> int:
    from framework.engine.bronze.archive import archive

    archive(context.lakehouse, context.report)
    return finish(context)


COMMAND = Command("archive", "move ingested landing files to <source>/archive/<run id>/", _configure, _run)
