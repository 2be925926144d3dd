from __future__ import annotations

import argparse
from pathlib import Path

from framework.cli.commands.base import Command
from framework.cli.context import Context
from framework.site.docs import TableStats, write_docs


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, help="folder to write (default: <lakehouse>/_docs, or docs-site)")
    parser.add_argument("--no-stats", action="store_true", help="leave out row counts and last runs (starts no Spark)")


def _run(context: Context, args: argparse.Namespace) -> int:
    env = context.env
    local_lake = env.lakehouse_path / env.schema if env.is_local else None
    folder = args.out or (env.lakehouse_path / "_docs" if env.is_local else Path("docs-site"))
    stats: dict[str, TableStats] = {}
    types: dict[str, dict[str, str]] = {}
    if not args.no_stats and (local_lake is None or local_lake.is_dir()):
        from framework.engine.stats import table_stats
        from framework.specs.lineage import lineage

        graph = lineage(context.specs)
        tables = [n for n, node in graph.nodes.items() if node.layer != "reference"]
        context.reading()  # row counts only: beside a run too
        context.report.progress(f"docs: reading row counts and last runs of {len(tables)} tables (--no-stats skips this)")
        stats, types = table_stats(context.lakehouse, tables)
    index = write_docs(folder, context.specs, env.table_name, stats=stats, types=types,
                       lakehouse=f"{env.catalog}.{env.schema}" if stats else "")
    print(f"docs: {index.resolve().as_uri()}")
    return 0


COMMAND = Command("docs", "write the docs site (lineage graph, tables, columns, compiled SQL): one folder, opens offline",
                  _configure, _run)
