"""The physical limit of parsing a delivery on this machine: pyarrow reads each source's CSV files
with the declared types and writes each to a Parquet file. Multi-threaded C++ with no JVM, no
table format and no bookkeeping: the floor under both the bare Spark copy and the bronze ingest.

pyarrow is the optional extra `bench` (the `local` extra installs it as well).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from framework.specs.bronze import BronzeSpec

#: Spark SQL type -> Arrow type; a column of another type (none today) is left to Arrow's inference
ARROW_TYPES = {"STRING": pa.string(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us", tz="UTC"),
               "INT": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64()}


def ready() -> None:
    """Nothing: what a parsing child process runs first, so that its imports (pyarrow's) are done
    before the parse it is timed on."""


def csv_to_parquet(landing: Path, specs: Mapping[str, BronzeSpec], out: Path) -> int:
    """Parse every `<landing>/<source>/*.csv` of the given sources into `<out>/<source>-<file>.parquet`;
    return the rows written. Empty values are nulls, as in Spark's CSV reader."""
    out.mkdir(parents=True, exist_ok=True)
    rows = 0
    for source, spec in sorted(specs.items()):
        types = {c.name: ARROW_TYPES[c.sql_type] for c in spec.columns if c.sql_type in ARROW_TYPES}
        options = pcsv.ConvertOptions(column_types=types, strings_can_be_null=True)
        for path in sorted((landing / source).glob("*.csv")):
            table = pcsv.read_csv(path, convert_options=options)
            pq.write_table(table, out / f"{source}-{path.stem}.parquet")
            rows += table.num_rows
    return rows
