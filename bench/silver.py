"""Incremental silver+gold load of a ~5% delivery against a full rebuild, same session.

    .venv/bin/python -m bench.silver --patients 1000 --repeat 2

Delivery 1 (years of history) is ingested and loaded; then each later delivery (about 5% new
encounters, re-sent dimensions with some patients moved) is ingested and loaded incrementally,
and every target is rebuilt from all bronze for comparison. Bronze ingest is not timed here
(bench.bronze does that).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from bench.common import Timings, environment, report
from framework.config import project_root
from framework.engine.bronze.archive import archive
from framework.engine.bronze.ingest import ingest
from framework.engine.lakehouse import Lakehouse
from framework.engine.report import Report
from framework.engine.runs import new_run_id
from framework.engine.session import local_session
from framework.engine.targets.load import build_sequence, load_target, load_targets
from framework.generate import generate
from framework.specs.catalog import load_catalog

INCREMENTAL, REBUILD = "incremental load of all targets", "full rebuild of all targets"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2, help="later deliveries to load (each timed both ways)")
    parser.add_argument("--out", type=Path, default=Path("bench/results/silver.json"))
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-silver-"))
    catalog = load_catalog(project_root() / "tables")
    spark = local_session(root / "lakehouse")
    lakehouse = Lakehouse(spark, environment(root, root / "lakehouse"))
    timings = Timings()
    quiet = Report(quiet=True)

    def deliver(number: int) -> None:
        generate(lakehouse.env.landing_path, patients=args.patients, seed=42, deliveries=args.repeat + 1, delivery=number)
        ingest(lakehouse, catalog.bronze, new_run_id(), quiet)
        archive(lakehouse, quiet)

    deliver(1)
    load_targets(lakehouse, catalog, quiet)
    for number in range(2, args.repeat + 2):
        deliver(number)
        with timings.measure(INCREMENTAL):
            load_targets(lakehouse, catalog, quiet)
        with timings.measure(REBUILD):
            for table in build_sequence(catalog):
                load_target(lakehouse, catalog, table, quiet, full=True)
    errors = quiet.of_level("error")
    incremental, rebuild = timings.median(INCREMENTAL), timings.median(REBUILD)
    report(f"silver+gold, {args.patients} patients, ~5% deliveries, median of {args.repeat}",
           [("incremental seconds", incremental), ("full rebuild seconds", rebuild),
            ("ratio incremental / rebuild", incremental / rebuild)],
           {"samples": timings.samples, "errors": [str(e) for e in errors]}, args.out)
    spark.stop()
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
