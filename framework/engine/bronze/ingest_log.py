"""The ingest log: one row per delivered file, so each file's content is ingested exactly once.

Protocol (every step is one Delta append, so a run can die anywhere):
1. `pending` rows are written for the files a run is about to ingest, with the run id.
2. the bronze append (one commit per source).
3. the pending rows become `ingested`, with row counts. Files seen again with content already
   ingested are logged as `duplicate`; files that cannot be read at all are moved to
   quarantine first and logged as `quarantined` (archived_path: where they went).
A run that finds `pending` rows left by a dead run settles them first: if bronze holds rows of
that run and file, the append committed and the file is `ingested`; otherwise it is `dropped`
and the file is ingested afresh. Archive records `archived_path` once a file moved.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime

from framework.engine.lakehouse import Lakehouse

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
PENDING, INGESTED, DUPLICATE, DROPPED = "pending", "ingested", "duplicate", "dropped"
QUARANTINED = "quarantined"  # moved to the source's quarantine folder (archived_path), unread


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


class IngestLog:
    """Append-only: every change of a file's state is a new row; the latest row per (source,
    file, run) is the state. Blind appends never conflict, so the bronze tasks of one job can
    log in parallel on Databricks, and nothing is ever rewritten."""

    def __init__(self, lakehouse: Lakehouse):
        self.lakehouse = lakehouse
        self.name = lakehouse.name(TABLE)

    def ensure(self) -> None:
        self.lakehouse.create_table(TABLE, COLUMNS, "medallion: the state of every delivered landing file, one row per change",
                                    partitioned_by=("source",))

    def latest_sql(self) -> str:
        """A query of the current state: one row per (source, file, run), dropped ones left out."""
        return (f"SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY source, file_path, ingest_run_id "
                f"ORDER BY logged_at DESC) AS _version FROM {self.name}) WHERE _version = 1 AND status != '{DROPPED}'")

    def entries(self) -> list[LogEntry]:
        rows = self.lakehouse.rows(f"SELECT {', '.join(f.name for f in fields(LogEntry))} FROM ({self.latest_sql()})")
        return [LogEntry(**row.asDict()) for row in rows]

    def append(self, entries: list[LogEntry]) -> None:
        """Record the current state of these entries (new files, or changed ones)."""
        if not entries:
            return
        now = datetime.now(UTC).replace(tzinfo=None)
        for entry in entries:
            entry.logged_at = now
        self.lakehouse.insert(TABLE, COLUMNS, [tuple(getattr(e, c) for c in COLUMNS) for e in entries])


