from __future__ import annotations

import argparse

from framework.jobs.commands.base import Command
from framework.jobs.context import Context
from framework.jobs.pipeline import LAYERS, run_layers


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("layer", nargs="?", choices=list(LAYERS), default=None,
                        help="one layer only (default: the whole pipeline)")
    parser.add_argument("--table", action="append", default=None,
                        help="one table (a bronze source or a target name); repeatable")
    parser.add_argument("--wait", action="store_true",
                        help="when another run holds the lakehouse, wait for it instead of failing (exit 75)")


def _run(context: Context, args: argparse.Namespace) -> int:
    context.wait = args.wait
    return run_layers(context, [args.layer] if args.layer else list(LAYERS), args.table)


COMMAND = Command("run", "run the pipeline, a layer, or one table", _configure, _run)
