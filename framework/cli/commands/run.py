from __future__ import annotations

import argparse

from framework.cli.commands.base import Command, add_wait
from framework.cli.commands.ls import SELECT_HELP
from framework.cli.context import Context
from framework.cli.pipeline import LAYERS, run_layers
from framework.engine.profile import Profile


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("layer", nargs="?", choices=list(LAYERS), default=None,
                        help="one layer only (default: the whole pipeline)")
    parser.add_argument("--table", action="append", default=None,
                        help="one table (a bronze source or a target name); repeatable")
    parser.add_argument("--select", nargs="+", default=None, metavar="SELECTOR", help=SELECT_HELP)
    parser.add_argument("--profile", action="store_true",
                        help="print where the time went: per stage and table, seconds, rows and Spark statements")
    add_wait(parser)


def _run(context: Context, args: argparse.Namespace) -> int:
    if args.profile:
        context.profile = Profile()
    tables = args.table
    if args.select:
        from framework.specs.lineage import lineage
        from framework.specs.selectors import select

        graph = lineage(context.specs)
        chosen = [graph.nodes[n] for n in select(graph, args.select) if graph.nodes[n].layer != "reference"]
        tables = [*(tables or []), *(node.source or node.name for node in chosen)]
        context.report.progress(f"selected: {', '.join(n.name for n in chosen) or 'no table'}")
    command = " ".join(["medallion run", *([args.layer] if args.layer else []),
                        *(f"--table {t}" for t in args.table or []), *(["--select", *args.select] if args.select else [])])
    return run_layers(context, [args.layer] if args.layer else list(LAYERS), tables, command)


COMMAND = Command("run", "run the pipeline, a layer, or one table", _configure, _run)
