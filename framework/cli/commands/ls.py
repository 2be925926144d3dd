from __future__ import annotations

import argparse

from framework.cli.commands.base import Command
from framework.cli.context import Context
from framework.cli.output import render
from framework.specs.lineage import lineage
from framework.specs.selectors import select

SELECT_HELP = ("tables by name (a bronze one also by its source), +NAME: and what it reads, NAME+: and what reads "
               "it, tag:NAME (a layer: bronze, reference, silver, gold, or a spec's tags:); several: their union")


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--select", nargs="+", default=None, metavar="SELECTOR", help=SELECT_HELP)


def _run(context: Context, args: argparse.Namespace) -> int:
    graph = lineage(context.specs)
    names = select(graph, args.select) if args.select else graph.order()
    rows = [{"table": n, "layer": graph.nodes[n].layer, "reads": ", ".join(graph.parents.get(n, ()))} for n in names]
    print(render(["table", "layer", "reads"], rows, "table"))
    return 0


COMMAND = Command("ls", "list tables in build order, or those a --select picks (dbt-style: +name, name+, tag:silver)",
                  _configure, _run)
