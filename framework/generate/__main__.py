"""``python -m framework.generate LANDING [--patients N] [--seed S] [--synthea-version V]
[--deliveries N | --delivery K] [--re-export [--end-date YYYY-MM-DD]]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from framework.generate.api import generate
from framework.generate.schema import VERSIONS


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m framework.generate", description=__doc__)
    parser.add_argument("landing", type=Path, help="landing folder; files go to <landing>/<source>/")
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--synthea-version", choices=VERSIONS, default="3.4")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--deliveries", type=int, default=1, help="write deliveries 1..N")
    group.add_argument("--delivery", type=int, help="write only delivery K (as <source>.csv)")
    parser.add_argument("--re-export", action="store_true",
                        help="full re-exports: delivery K holds everything up to K again, as real Synthea writes")
    parser.add_argument("--end-date", type=date.fromisoformat, help="with --re-export: export up to this date")
    args = parser.parse_args(argv)
    report = generate(
        args.landing, patients=args.patients, seed=args.seed, synthea_version=args.synthea_version,
        deliveries=args.deliveries, delivery=args.delivery, re_export=args.re_export, end_date=args.end_date,
    )
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
