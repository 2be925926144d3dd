"""The ingest log: one row per delivered file, so each file's content is ingested exactly once.

Protocol (every step is one Delta commit, so a run can die anywhere):
1. `pending` rows are written for the files a run is about to ingest, with the run id.
2. the bronze append (one commit per source).
3. the pending rows become `ingested`, with row counts. Files seen again with content already
   ingested are logged as `duplicate`.
A run that finds `pending` rows left by a dead run settles them first: if bronze holds rows of
that run and file, the append committed and the row becomes `ingested`; otherwise it is
dropped and the file is ingested afresh. Archive marks rows `archived_path` once moved.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from pyspark.sql import DataFrame

from framework.engine.lakehouse import Lakehouse, sql_string
from framework.engine.types import struct

TABLE = "medallion_ingest_log"
COLUMNS = {
    "source": "STRING",
    "file_path": "STRING",
    "file_name": "STRING",
    "content_sha256": "STRING",
    "size_bytes": "BIGINT",
    "data_rows": "BIGINT",
    "bronze_rows": "BIGINT",
    "rescued_rows": "BIGINT",
    "ingest_run_id": "STRING",
    "status": "STRING",
    "duplicate_of": "STRING",
    "logged_at": "TIMESTAMP",
    "archived_path": "STRING",
}
PENDING, INGESTED, DUPLICATE = "pending", "ingested", "duplicate"


@dataclass
class LogEntry:
    source: str
    file_path: str
    file_name: str
    content_sha256: str
    size_bytes: int
    data_rows: int
    ingest_run_id: str
    status: str
    bronze_rows: int | None = None
    rescued_rows: int | None = None
    duplicate_of: str | None = None
    logged_at: datetime | None = None
    archived_path: str | None = None


_SCHEMA = struct({f.name: COLUMNS[f.name] for f in fields(LogEntry)})


class IngestLog:
    def __init__(self, lakehouse: Lakehouse):
        self.lakehouse = lakehouse
        self.name = lakehouse.name(TABLE)

    def ensure(self) -> None:
        # Partitioned by source: the bronze tasks of one job run in parallel on Databricks, each
        # updating its own source's rows; partition predicates keep their commits from conflicting.
        self.lakehouse.create_table(TABLE, COLUMNS, "medallion: one row per delivered landing file",
                                    partitioned_by=("source",))

    def entries(self) -> list[LogEntry]:
        rows = self.lakehouse.sql(f"SELECT {', '.join(f.name for f in fields(LogEntry))} FROM {self.name}").collect()
        return [LogEntry(**row.asDict()) for row in rows]

    def append(self, entries: list[LogEntry]) -> None:
        if not entries:
            return
        _frame(self.lakehouse, entries).createOrReplaceTempView("_medallion_log_new")
        self.lakehouse.sql(
            f"INSERT INTO {self.name} ({', '.join(COLUMNS)}) "
            f"SELECT {', '.join(c if c != 'logged_at' else 'coalesce(logged_at, current_timestamp())' for c in COLUMNS)} "
            "FROM _medallion_log_new"
        )

    def update(self, entries: list[LogEntry], keys: tuple[str, ...] = ("file_path", "ingest_run_id")) -> None:
        """Replace the rows of these entries (matched on file and run) with their new values."""
        if not entries:
            return
        _frame(self.lakehouse, entries).createOrReplaceTempView("_medallion_log_update")
        sources = ", ".join(sorted({sql_string(e.source) for e in entries}))
        condition = " AND ".join([f"t.source IN ({sources})", "t.source = s.source", *(f"t.{k} = s.{k}" for k in keys)])
        assignments = ", ".join(f"t.{c} = s.{c}" for c in COLUMNS if c not in ("logged_at",))
        self.lakehouse.sql(f"MERGE INTO {self.name} t USING _medallion_log_update s ON {condition} "
                           f"WHEN MATCHED THEN UPDATE SET {assignments}")

    def delete(self, entries: list[LogEntry]) -> None:
        for source, run_id in sorted({(e.source, e.ingest_run_id) for e in entries}):
            paths = ", ".join(sql_string(e.file_path) for e in entries if (e.source, e.ingest_run_id) == (source, run_id))
            self.lakehouse.sql(f"DELETE FROM {self.name} WHERE source = {sql_string(source)} "
                               f"AND ingest_run_id = {sql_string(run_id)} AND file_path IN ({paths})")


def _frame(lakehouse: Lakehouse, entries: list[LogEntry]) -> DataFrame:
    return lakehouse.spark.createDataFrame([tuple(getattr(e, f.name) for f in fields(LogEntry)) for e in entries], _SCHEMA)


