"""What one `medallion run` did, as a record (JSON beside the reports) and its HTML pages.

The pipeline fills a RunRecord as its steps return (ingest, archive, current states, loads,
checks); at the end it adds the findings and a summary of the gold table, writes the record and
renders the run's page and the index of every run recorded in the same folder.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from framework.site.render import write_page

RECORDS = "records"


@dataclass
class TableRun:
    stage: str
    table: str
    mode: str = ""
    seconds: float | None = None
    rows_in: int | None = None  # bronze: data lines read from files
    rows_out: int | None = None  # bronze: rows appended; targets: rows in the table after the load
    inserted: int | None = None
    updated: int | None = None
    deleted: int | None = None
    rescued: int | None = None
    files: int | None = None
    duplicates: int | None = None
    note: str = ""


@dataclass
class CheckRun:
    table: str
    name: str
    severity: str
    failed: int
    samples: list[str]

    @property
    def result(self) -> str:
        return "passed" if not self.failed else ("failed" if self.severity == "error" else "warning")


@dataclass
class RunRecord:
    run_id: str
    command: str
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    finished: str = ""
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    tables: list[TableRun] = field(default_factory=list)
    checks: list[CheckRun] = field(default_factory=list)
    archived: int = 0
    findings: list[dict[str, str | None]] = field(default_factory=list)
    failure: dict[str, str] | None = None  # stage and message of an exception that stopped the run
    pmpm: list[dict[str, Any]] = field(default_factory=list)  # month, members, pmpm
    risk: list[dict[str, Any]] = field(default_factory=list)  # month, tier, members

    @property
    def failed(self) -> bool:
        return self.failure is not None or any(f["level"] == "error" for f in self.findings)

    def totals(self) -> dict[str, int]:
        bronze = [t for t in self.tables if t.stage == "bronze"]
        return {"files ingested": sum(t.files or 0 for t in bronze),
                "duplicates skipped": sum(t.duplicates or 0 for t in bronze),
                "files archived": self.archived,
                "rows ingested": sum(t.rows_out or 0 for t in bronze),
                "rows rescued": sum(t.rescued or 0 for t in bronze)}

    def save(self, folder: Path) -> Path:
        path = folder / RECORDS / f"{self.run_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=1, default=str), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> RunRecord:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["tables"] = [TableRun(**t) for t in raw.get("tables", [])]
        raw["checks"] = [CheckRun(**c) for c in raw.get("checks", [])]
        return cls(**raw)


def page_name(run_id: str) -> str:
    return f"run-{run_id}.html"


def write_reports(folder: Path, current: RunRecord | None = None) -> Path:
    """Save `current` (if given), render the page of every recorded run and the index; return the
    page of `current` (else the index)."""
    if current is not None:
        current.save(folder)
    records = sorted((RunRecord.load(p) for p in (folder / RECORDS).glob("*.json")), key=lambda r: r.run_id,
                     reverse=True)
    for record in records:
        if current is None or record.run_id == current.run_id or not (folder / page_name(record.run_id)).exists():
            write_page(folder / page_name(record.run_id), "run.html.j2", run=record, totals=record.totals(),
                       stages=_stage_rows(record))
    index = write_page(folder / "index.html", "runs.html.j2", runs=records, page_name=page_name)
    return folder / page_name(current.run_id) if current is not None else index


def _stage_rows(record: RunRecord) -> list[tuple[str, float, list[TableRun]]]:
    return [(stage, seconds, [t for t in record.tables if t.stage == stage]) for stage, seconds in record.stages.items()]
