from __future__ import annotations

import argparse
import sys

from framework.jobs.commands.base import Command
from framework.jobs.context import Context
from framework.jobs.output import FORMATS, render


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="+", help="Spark SQL queries, run in order; unqualified tables resolve in "
                        "the environment's schema")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def _run(context: Context, args: argparse.Namespace) -> int:
    env = context.env
    lakehouse = context.lakehouse
    try:
        lakehouse.sql(f"USE {env.catalog}.{env.schema}")
        for query in args.query:
            frame = lakehouse.sql(query)
            rows = [r.asDict(recursive=True) for r in frame.collect()]
            print(render(frame.columns, rows, args.format))
    except Exception as error:  # a query error is the user's to read, not a crash
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"error: {message}", file=sys.stderr)
        return 1
    return 0


COMMAND = Command("sql", "query the lakehouse: medallion sql \"SELECT ...\" [--format table|csv|json]",
                  _configure, _run)
