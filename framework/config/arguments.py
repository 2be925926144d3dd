"""What the command lines share (`medallion`, `medallion-task`): the environment's arguments,
--env NAME and --set key=value, and the exit status of an error a person can fix."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping

from framework.config.environment import Environment, load_environment, parse_overrides
from framework.config.errors import ConfigError
from framework.specs.errors import SpecError

#: errors a person fixes (a config, a spec): `error: ...` on stderr, exit status 2
USAGE_ERRORS: Mapping[type[Exception], int] = {ConfigError: 2, SpecError: 2}


def add_environment_arguments(parser: argparse.ArgumentParser, *, example: str, defaults: bool = True) -> None:
    """--env NAME and --set KEY=VALUE (repeatable). Without `defaults` an argument left out is not
    set at all (a parser shared by a command and its subcommands must not reset what the other read)."""
    parser.add_argument("--env", default="local" if defaults else argparse.SUPPRESS,
                        help="environment: configs/NAME.yml (default: local)")
    parser.add_argument("--set", dest="overrides", action="append", default=[] if defaults else argparse.SUPPRESS,
                        metavar="KEY=VALUE", help=f"override a config key, e.g. --set {example} (repeatable)")


def environment_of(args: argparse.Namespace) -> Environment:
    """The environment the arguments name, with their overrides."""
    return load_environment(getattr(args, "env", "local"), parse_overrides(getattr(args, "overrides", [])))


def exit_status(run: Callable[[], int], errors: Mapping[type[Exception], int] = USAGE_ERRORS) -> int:
    """`run()`'s exit status; an error of `errors` is printed as `error: ...` on stderr and gives
    its status instead."""
    try:
        return run()
    except tuple(errors) as error:
        print(f"error: {error}", file=sys.stderr)
        return next(code for kind, code in errors.items() if isinstance(error, kind))
