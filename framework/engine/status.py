"""`medallion status`: what each bronze table holds and how it got there."""

from __future__ import annotations

from typing import Any

from framework.engine.bronze.ingest_log import TABLE, IngestLog
from framework.engine.lakehouse import Lakehouse
from framework.specs.bronze import BronzeSpec


def bronze_status(lakehouse: Lakehouse, specs: dict[str, BronzeSpec]) -> list[dict[str, Any]]:
    log: dict[str, dict[str, Any]] = {}
    if lakehouse.exists(TABLE):
        for row in lakehouse.rows(
            f"SELECT source, max(ingest_run_id) AS last_run, count_if(status = 'ingested') AS files, "
            f"count_if(status = 'duplicate') AS dups, count_if(status = 'quarantined') AS quarantined, "
            f"sum(coalesce(rescued_rows, 0)) AS rescued, "
            f"count_if(archived_path IS NULL AND status IN ('ingested', 'duplicate')) AS unarchived "
            f"FROM ({IngestLog(lakehouse).latest_sql()}) GROUP BY source"
        ):
            log[row["source"]] = row.asDict()
    rows = []
    for source, spec in sorted(specs.items()):
        entry = log.get(source, {})
        count = lakehouse.table(spec.table).count() if lakehouse.exists(spec.table) else None
        rows.append({"table": spec.table, "rows": count, "last_run": entry.get("last_run"),
                     "files_ingested": entry.get("files", 0), "duplicates_skipped": entry.get("dups", 0),
                     "rescued_rows": entry.get("rescued", 0), "files_to_archive": entry.get("unarchived", 0),
                     "files_quarantined": entry.get("quarantined", 0)})
    return rows
