"""`medallion`: every command takes --env NAME and --set key=value."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from framework.config import load_environment
from framework.config.environment import parse_overrides
from framework.config.errors import ConfigError
from framework.engine.lock import BUSY_EXIT, LakehouseBusy
from framework.engine.session import VERBOSE_ENV
from framework.jobs.commands import COMMANDS
from framework.jobs.context import Context
from framework.jobs.paths import PathError, check_paths
from framework.specs.errors import SpecError


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--env", default=argparse.SUPPRESS, help="environment: configs/NAME.yml (default: local)")
    common.add_argument("--set", dest="overrides", action="append", default=argparse.SUPPRESS, metavar="KEY=VALUE",
                        help="override a config key, e.g. --set landing=/data/in (repeatable)")
    common.add_argument("--connect", action="store_true", default=argparse.SUPPRESS,
                        help="run through a local Spark Connect session (what serverless speaks)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="also show the JVM's and Spark's own console output (default: in <lakehouse>/_logs)")
    return common


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
    try:
        env = load_environment(getattr(args, "env", "local"), parse_overrides(getattr(args, "overrides", [])))
        notes: list[str] = []
        check_paths(env, args.command, notes)
        for note in notes:
            print(note, file=sys.stderr)
        context = Context(env=env, connect=getattr(args, "connect", False), wait=getattr(args, "wait", False))
        code: int = args.handler(context, args)
    except (ConfigError, SpecError, PathError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except LakehouseBusy as error:
        print(f"error: {error}", file=sys.stderr)
        return BUSY_EXIT
    return code


if __name__ == "__main__":
    sys.exit(main())
