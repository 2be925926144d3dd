"""What a `medallion` command is: a name, help text, its arguments and what it runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from framework.cli.context import Context


def add_wait(parser: argparse.ArgumentParser) -> None:
    """`--wait`, for the commands that write tables and so take the lakehouse lock."""
    parser.add_argument("--wait", action="store_true",
                        help="when another run holds the lakehouse, wait for it instead of failing (exit 75)")


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Context, argparse.Namespace], int]
