"""The registry of `medallion` commands: one module each, listed here in help order."""

from __future__ import annotations

from framework.cli.commands import (
                                     archive,
                                     bundle,
                                     check,
                                     compile,
                                     docs,
                                     generate,
                                     ls,
                                     rebuild,
                                     report,
                                     run,
                                     sql,
                                     status,
                                     validate,
)
from framework.cli.commands.base import Command

COMMANDS: list[Command] = [validate.COMMAND, ls.COMMAND, generate.COMMAND, run.COMMAND, archive.COMMAND, status.COMMAND,
                           rebuild.COMMAND, check.COMMAND, compile.COMMAND, sql.COMMAND, docs.COMMAND, report.COMMAND,
                           bundle.COMMAND]
