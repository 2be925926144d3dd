from __future__ import annotations

import argparse

from framework.jobs.commands.base import Command
from framework.jobs.context import Context


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--synthea-version", default="3.4", choices=["3.0", "3.1", "3.2", "3.3", "3.4"],
                        help="header layout to write (default: current)")
    parser.add_argument("--deliveries", type=int, default=1,
                        help="write N deliveries at once (files <source>.delivery-NN.csv)")
    parser.add_argument("--delivery", type=int, default=None,
                        help="write only delivery K of the sequence, as <source>.csv")


def _run(context: Context, args: argparse.Namespace) -> int:
    from framework.generate import generate

    report = generate(context.env.landing_path, patients=args.patients, seed=args.seed,
                      synthea_version=args.synthea_version, deliveries=args.deliveries, delivery=args.delivery)
    print(report.summary())
    return 0


COMMAND = Command("generate", "write Synthea-format sample CSVs into the landing folders", _configure, _run)
