"""The fixed cost of one Delta statement on this machine, warm: what a MERGE, a CREATE TABLE AS, an
INSERT and a history read cost when almost no rows move.

    .venv/bin/python -m bench.floors --rows 1000 --repeat 6

An incremental run of the sample pipeline writes at least sixteen Delta tables (eleven current
states, five targets) however small the delivery, so sixteen MERGE floors bound it from below;
a full rebuild pays a CREATE TABLE AS floor per table, and above that, work that grows with
the data. The statements run in one warm session, each `repeat` times after a first untimed
run (JIT warm-up), against a table with a change feed like the engine's merged tables.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.common import Timings, arguments, report
from framework.engine.session import local_session

#: a MERGE like the current states': update when the content hash differs, insert new keys
MERGE = ("MERGE INTO floor_target t USING ({source}) s ON t.id = s.id "
         "WHEN MATCHED AND t.h <> s.h THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
CHANGED = "SELECT id, v, CASE WHEN id % 20 = 0 THEN uuid() ELSE h END AS h FROM floor_source"


def statements(rows: int) -> dict[str, str]:
    """What is timed: each statement's name and SQL."""
    return {
        "MERGE, 5% of the rows changed": MERGE.format(source=CHANGED),
        "MERGE, nothing changed": MERGE.format(source="SELECT * FROM floor_target"),
        "MERGE, empty source": MERGE.format(source="SELECT * FROM floor_source WHERE FALSE"),
        "CREATE OR REPLACE TABLE AS": "CREATE OR REPLACE TABLE floor_copy USING DELTA AS SELECT * FROM floor_source",
        "INSERT one row": "INSERT INTO floor_log SELECT id, v, h FROM floor_source LIMIT 1",
        "DESCRIBE HISTORY LIMIT 1": "DESCRIBE HISTORY floor_target LIMIT 1",
        f"SELECT count(*) of {rows:,} rows": "SELECT count(*) FROM floor_target",
    }


def main() -> None:
    args = arguments(__doc__, "floors", repeat=6, rows=1000)
    root = Path(tempfile.mkdtemp(prefix="bench-floors-"))
    spark = local_session(root / "lakehouse")
    table = f"SELECT id, cast(id AS STRING) AS v, sha2(cast(id AS STRING), 256) AS h FROM range({args.rows})"
    spark.sql(f"CREATE TABLE floor_target USING DELTA TBLPROPERTIES (delta.enableChangeDataFeed = true) AS {table}")
    spark.sql(f"CREATE TABLE floor_source USING DELTA AS {table}")
    spark.sql(f"CREATE TABLE floor_log USING DELTA AS {table} LIMIT 0")
    timings = Timings()
    for name, sql in statements(args.rows).items():
        spark.sql(sql).collect()  # warm-up, untimed
        for _ in range(args.repeat):
            with timings.measure(name):
                spark.sql(sql).collect()
    report(f"Delta statement floors, warm, {args.rows:,} rows, median of {args.repeat}",
           [(f"{name} s", timings.median(name)) for name in timings.samples],
           {"samples": timings.samples}, args.out)
    spark.stop()
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
