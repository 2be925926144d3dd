from __future__ import annotations

import argparse
import sys

from framework.cli.commands.base import Command
from framework.cli.context import Context
from framework.specs.loader import collect


def _configure(parser: argparse.ArgumentParser) -> None:
    pass


def _run(context: Context, args: argparse.Namespace) -> int:
    catalog, problems = collect(context.env.tables_path)
    for problem in problems:
        print(problem, file=sys.stderr)
    counts = ", ".join(f"{len(specs)} {kind}" for kind, specs in sorted(catalog.by_kind.items()))
    if problems:
        print(f"{len(problems)} problem(s) in {context.env.tables_path}", file=sys.stderr)
        return 1
    print(f"ok: {counts} spec(s) in {context.env.tables_path}")
    return 0


COMMAND = Command("validate", "check every YAML spec (JSON Schema and cross-references)", _configure, _run)
