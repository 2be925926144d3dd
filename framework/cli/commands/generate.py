from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from framework.cli.commands.base import Command
from framework.cli.context import Context
from framework.generate.engines import ENGINES
from framework.generate.synthea import SYNTHEA_RELEASE, SyntheaError

# Options only some engines take: default, and what to do when one is given to an engine
# that does not take it.
_ENGINE_OPTIONS: dict[str, tuple[Any, str]] = {
    "synthea_version": ("3.4", "real Synthea writes the headers of its release; choose the release with "
                               "--synthea-release, or use --engine builtin to write an older layout"),
    "deliveries": (1, "real Synthea writes one full export per run; run it again with another --seed, "
                      "or use --engine builtin for a delivery series"),
    "delivery": (None, "real Synthea writes one full export per run; use --engine builtin for a delivery series"),
    "synthea_release": (SYNTHEA_RELEASE, "it chooses the real Synthea release: add --engine synthea, "
                                         "or use --synthea-version for the builtin generator's header layout"),
    "re_export": (False, "real Synthea always writes full exports: export one population again with a later "
                         "--end-date"),
    "end_date": (None, "it sets where the export ends"),
}


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", default="builtin", choices=sorted(ENGINES),
                        help="; ".join(f"{e.name}: {e.description}" for e in ENGINES.values()) + " (default: builtin)")
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--synthea-version", default="3.4", choices=["3.0", "3.1", "3.2", "3.3", "3.4"],
                        help="builtin: header layout to write (default: current)")
    parser.add_argument("--deliveries", type=int, default=1,
                        help="builtin: write N deliveries at once (files <source>.delivery-NN.csv)")
    parser.add_argument("--delivery", type=int, default=None,
                        help="builtin: write only delivery K of the sequence, as <source>.csv")
    parser.add_argument("--synthea-release", default=SYNTHEA_RELEASE,
                        help=f"synthea: the release fetched from Maven Central (default: {SYNTHEA_RELEASE})")
    parser.add_argument("--re-export", action="store_true",
                        help="builtin: write full re-exports, as real Synthea delivers: delivery K holds "
                             "everything up to K again, claims_transactions ID and CHARGEID renumbered")
    parser.add_argument("--end-date", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="synthea: Synthea's -e, the simulation's end (default: the reference date, "
                             "2025-01-01); a later date exports the same population again, months on. "
                             "builtin, with --re-export: export up to this date (2020-01-01 or later)")


def _option_flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _run(context: Context, args: argparse.Namespace) -> int:
    engine = ENGINES[args.engine]
    options: dict[str, Any] = {}
    for dest, (default, action) in _ENGINE_OPTIONS.items():
        value = getattr(args, dest)
        if dest in engine.options:
            options[dest] = value
        elif value != default:
            print(f"error: {_option_flag(dest)} does not apply to --engine {engine.name}: {action}", file=sys.stderr)
            return 2
    if "progress" in engine.options:
        options["progress"] = context.report.progress
    try:
        report = engine.run(context.env.landing_path, patients=args.patients, seed=args.seed, **options)
    except SyntheaError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ValueError as error:  # arguments that do not fit together
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


COMMAND = Command("generate", "write Synthea-format sample CSVs into the landing folders", _configure, _run)
