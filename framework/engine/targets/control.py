"""The control table: per target, which bronze runs (and target versions, reference files) it has
processed.

One row per (target, source, run id) processed; rows are only ever *appended* with plain
`INSERT ... VALUES` (blind appends), so the silver loads running in parallel on Databricks never
conflict on it (Delta only fails concurrent writers that read what another one wrote). A full
rebuild does not delete a target's rows: it appends a `reset` row, and readers ignore the rows
of earlier loads. A load records its rows after its MERGE: if it dies in between, the next load
finds the same runs unprocessed and recomputes the same rows (MERGEs by key are idempotent).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from framework.engine.lakehouse import Lakehouse
from framework.text import sql_string

TABLE = "medallion_control"
COLUMNS = {
    "target": "STRING",
    "source": "STRING",
    "source_kind": "STRING",  # bronze | current | target | reference | reset
    "run_id": "STRING",  # bronze: ingest_run_id (a current state's); reference: content sha256
    "source_version": "BIGINT",  # target, current: Delta version read
    "source_table_id": "STRING",  # target: Delta table id read
    "load_id": "STRING",  # the load that wrote the row (time-sortable)
    "mode": "STRING",  # full | incremental
    "loaded_at": "TIMESTAMP",
}
#: how a load (of a target or a current state) went: the first two are recorded in `mode`
FULL, INCREMENTAL, UP_TO_DATE = "full", "incremental", "up to date"
RESET = "reset"
#: sources read as Delta tables at a version: targets, and bronze sources' current states
CURRENT = "current"
VERSIONED = ("target", CURRENT)


@dataclass(frozen=True)
class Entry:
    source: str
    source_kind: str
    run_id: str | None = None
    source_version: int | None = None
    source_table_id: str | None = None


@dataclass
class Seen:
    """What a target has processed since its last reset."""

    runs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    versions: dict[str, tuple[str, int]] = field(default_factory=dict)  # source -> (table id, version)
    fingerprints: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


class Control:
    def __init__(self, lakehouse: Lakehouse):
        self.lakehouse = lakehouse
        self.name = lakehouse.name(TABLE)

    def ensure(self) -> None:
        try:
            self.lakehouse.create_table(TABLE, COLUMNS, "medallion: per target, the source runs it has processed")
        except Exception:
            # parallel loads (one task per target) may race to create it: the loser finds it there
            if not self.lakehouse.exists(TABLE):
                raise

    def seen(self, target: str) -> Seen:
        return self.seen_many([target])[target]

    def seen_many(self, targets: list[str]) -> dict[str, Seen]:
        """What each of the targets has processed (one query)."""
        rows = self.lakehouse.rows(
            f"SELECT target, source, source_kind, run_id, source_version, source_table_id, load_id "
            f"FROM {self.name} WHERE target IN ({', '.join(sql_string(t) for t in targets)})")
        return {t: _seen([r for r in rows if r["target"] == t]) for t in targets}


    def record(self, target: str, load_id: str, mode: str, entries: list[Entry]) -> None:
        """Append the entries (and a reset marker for a full load) in one commit."""
        self.record_many(load_id, [(target, mode, entries)])

    def record_many(self, load_id: str, loads: list[tuple[str, str, list[Entry]]]) -> None:
        """Append what several targets (target, mode, entries) processed, in one commit."""
        now = datetime.now(UTC).replace(tzinfo=None)
        rows = []
        for target, mode, entries in loads:
            marked = [Entry(target, RESET), *entries] if mode == FULL else entries
            rows += [(target, e.source, e.source_kind, e.run_id, e.source_version, e.source_table_id, load_id, mode, now)
                     for e in marked]
        self.lakehouse.insert(TABLE, COLUMNS, rows)


def _seen(rows: list[Any]) -> Seen:
    resets = [r["load_id"] for r in rows if r["source_kind"] == RESET]
    since = max(resets) if resets else ""
    seen = Seen()
    for row in sorted(rows, key=lambda r: r["load_id"]):
        if row["load_id"] < since:
            continue
        kind = row["source_kind"]
        if kind == "bronze":
            seen.runs[row["source"]].add(row["run_id"])
        elif kind in VERSIONED:
            seen.versions[row["source"]] = (row["source_table_id"], int(row["source_version"]))
        elif kind == "reference":
            seen.fingerprints[row["source"]].add(row["run_id"])
    return seen
