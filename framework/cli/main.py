"""`medallion`: every command takes --env NAME and --set key=value."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from framework.cli.commands import COMMANDS
from framework.cli.context import Context
from framework.cli.paths import PathError, check_paths
from framework.config.arguments import USAGE_ERRORS, add_environment_arguments, environment_of, exit_status
from framework.engine.lock import BUSY_EXIT, LakehouseBusy
from framework.engine.session import LOCAL_CONNECT, VERBOSE_ENV


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    add_environment_arguments(common, example="landing=/data/in", defaults=False)
    common.add_argument("--connect", dest="connect", action="store_const", const=LOCAL_CONNECT,
                        default=argparse.SUPPRESS,
                        help="run through a local Spark Connect session (what serverless speaks)")
    common.add_argument("--remote", dest="connect", metavar="sc://HOST:PORT", type=_connect_url,
                        default=argparse.SUPPRESS,
                        help="run as a client of a Spark Connect server already serving this lakehouse's "
                             "local session: no Spark starts in this command")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="also show the JVM's and Spark's own console output (default: in <lakehouse>/_logs)")
    return common


def _connect_url(value: str) -> str:
    if not value.startswith("sc://"):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Spark Connect URL: give sc://HOST:PORT, "
                                         "e.g. sc://localhost:15002")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="medallion", parents=[common],
                                     description="Synthea CSV deliveries to bronze, silver and gold Delta tables.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(command.name, parents=[common], help=command.help, description=command.help)
        command.configure(sub)
        sub.set_defaults(handler=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "verbose", False):
        os.environ[VERBOSE_ENV] = "1"
    return exit_status(lambda: _run(args), {**USAGE_ERRORS, PathError: 2, LakehouseBusy: BUSY_EXIT})


def _run(args: argparse.Namespace) -> int:
    env = environment_of(args)
    notes: list[str] = []
    check_paths(env, args.command, notes)
    for note in notes:
        print(note, file=sys.stderr)
    context = Context(env=env, connect=getattr(args, "connect", None), wait=getattr(args, "wait", False))
    code: int = args.handler(context, args)
    return code

