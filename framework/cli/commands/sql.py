from __future__ import annotations

import argparse
import re
import sys

from framework.cli.commands.base import Command, add_wait
from framework.cli.context import Context
from framework.cli.output import FORMATS, render
from framework.text import error_summary

#: statements that only read; anything else (DML, DDL, SET, ...) writes and takes the lakehouse lock
_READING = frozenset({"select", "with", "show", "describe", "desc", "explain", "values", "table", "from"})
#: a WITH that ends in one of these writes (`WITH c AS (...) INSERT INTO ...`)
_WRITING = re.compile(r"\b(insert|merge|update|delete)\b", re.IGNORECASE)
_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


def reads_only(query: str) -> bool:
    """Whether a statement only reads: by its first keyword, and a WITH naming no DML word.
    When unsure, it writes: the lock is then taken, which waits for or refuses a run but never
    lets two writers meet."""
    text = _COMMENTS.sub(" ", query).lstrip(" \t\r\n(")
    first = re.match(r"[A-Za-z]+", text)
    if first is None or first.group(0).lower() not in _READING:
        return False
    return first.group(0).lower() != "with" or _WRITING.search(text) is None


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="+", help="Spark SQL queries, run in order; unqualified tables resolve in "
                        "the environment's schema. Queries run beside a run; a statement that writes "
                        "(INSERT, MERGE, CREATE, ...) takes the lakehouse lock")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    add_wait(parser)


def _run(context: Context, args: argparse.Namespace) -> int:
    if all(reads_only(q) for q in args.query):
        context.reading()
        return _queries(context, args, writes=False)
    from framework.engine.runs import new_run_id

    with context.writing(new_run_id()):
        return _queries(context, args, writes=True)


def _queries(context: Context, args: argparse.Namespace, *, writes: bool) -> int:
    env = context.env
    lakehouse = context.lakehouse
    try:
        if writes:  # where `run` would create it
            lakehouse.ensure_schema()
        elif not lakehouse.spark.catalog.databaseExists(f"{env.catalog}.{env.schema}"):
            print(f"error: the lakehouse {env.lakehouse_path} has no schema {env.schema!r} yet: "
                  "`medallion run` creates it with the tables", file=sys.stderr)
            return 1
        lakehouse.sql(f"USE {env.catalog}.{env.schema}")
        for query in args.query:
            frame = lakehouse.sql(query)
            rows = [r.asDict(recursive=True) for r in frame.collect()]
            print(render(frame.columns, rows, args.format))
    except Exception as error:  # a query error is the user's to read, not a crash
        print(f"error: {error_summary(error)}", file=sys.stderr)
        return 1
    return 0


COMMAND = Command("sql", "query the lakehouse: medallion sql \"SELECT ...\" [--format table|csv|json]",
                  _configure, _run)
