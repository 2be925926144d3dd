"""Bronze ingest of all 18 sources against a bare Spark copy of the same files, same session.

    .venv/bin/python -m bench.bronze --patients 1000 --repeat 3

The baseline is what a hand-written notebook does: read each source's CSV with the same declared
schema and write it to a Delta table. The framework adds content fingerprints, the ingest log,
rescue of bad values, metadata columns and row reconciliation; the ratio is what those cost.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pyspark.sql import SparkSession

from bench.common import Timings, arguments, environment, repeat, report
from framework.config import project_root
from framework.engine.bronze.ingest import ingest
from framework.engine.bronze.reader import DATE_FORMAT, TIMESTAMP_FORMAT
from framework.engine.lakehouse import Lakehouse
from framework.engine.report import Report
from framework.engine.runs import new_run_id
from framework.engine.session import local_session
from framework.engine.types import struct
from framework.generate import generate
from framework.specs.bronze import BronzeSpec
from framework.specs.loader import load_catalog


def bare_copy(spark: SparkSession, lakehouse: Lakehouse, specs: dict[str, BronzeSpec]) -> None:
    lakehouse.ensure_schema()
    for source, spec in sorted(specs.items()):
        folder = lakehouse.env.landing_path / source
        if not any(folder.glob("*.csv")):
            continue
        schema = struct({c.name: c.sql_type for c in spec.columns if not c.optional or c.name in _header(folder)})
        frame = (spark.read.format("csv").schema(schema).option("header", "true").option("dateFormat", DATE_FORMAT)
                 .option("timestampFormat", TIMESTAMP_FORMAT).load(str(folder / "*.csv")))
        frame.write.format("delta").mode("append").saveAsTable(lakehouse.name(spec.table))


def _header(folder: Path) -> set[str]:
    first = next(iter(sorted(folder.glob("*.csv"))))
    return set(first.open().readline().strip().split(","))


def main() -> None:
    args = arguments(__doc__, "bronze", repeat=3, patients=1000)
    root = Path(tempfile.mkdtemp(prefix="bench-bronze-"))
    source = root / "generated"
    generate(source, patients=args.patients, seed=42)
    size = sum(p.stat().st_size for p in source.rglob("*.csv"))
    specs = load_catalog(project_root() / "tables").bronze
    spark = local_session(root / "lakehouse")
    timings = Timings()

    def baseline(index: int) -> None:
        with timings.measure("bare spark: read csv + write delta"):
            bare_copy(spark, Lakehouse(spark, environment(root, root / "lakehouse", source)), specs)

    def framework(index: int) -> None:
        landing = root / f"landing-{index}"
        shutil.copytree(source, landing)
        lakehouse = Lakehouse(spark, environment(root, root / "lakehouse", landing))
        with timings.measure("framework: bronze ingest"):
            ingest(lakehouse, specs, new_run_id(), Report(quiet=True))

    repeat(args.repeat, baseline, framework)
    bare, ours = timings.median("bare spark: read csv + write delta"), timings.median("framework: bronze ingest")
    report(f"bronze ingest, {args.patients} patients, {size / 1e6:.1f} MB of CSV, median of {args.repeat}",
           [("bare spark seconds", bare), ("framework seconds", ours), ("ratio framework / bare", ours / bare),
            ("framework MB/s", size / 1e6 / ours)],
           {"samples": timings.samples}, args.out)
    spark.stop()
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
