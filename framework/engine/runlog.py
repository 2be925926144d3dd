"""The run log: every warning and error of a run, kept where a crash cannot lose it.

Each finding is written, as it happens, to a journal file of its run (one JSON line, flushed
to disk), and the journals are moved into the Delta table `medallion_run_log` at each stage
boundary and at the start of the next run. A run that was killed leaves a journal without its
end line: the next run moves it into the table and reports its problems again, and `medallion
status` shows them. The journal lives beside the tables (local lakehouse) or in the landing
volume (Databricks), both plain paths.

Which journals a run may take as dead: locally every other one (the lakehouse lock makes it the
only writer). On Databricks the tasks of a job run at once, each with a run id of its own, so a
task journals under its scope (its layer and table) and takes only its scope's journals: those
are of runs of the same task, which Databricks never runs twice at once.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framework.config import Environment
from framework.engine.lock import holder
from framework.engine.report import Finding, Report
from framework.text import sql_string, sql_values

if TYPE_CHECKING:  # the journal side is plain files: a run with nothing new reads it without pyspark
    from framework.engine.lakehouse import Lakehouse

TABLE = "medallion_run_log"
END = "end"  # the level of the last line of a run that finished
CLAIMED = ".flushing"  # the suffix of a journal a flush has taken
COLUMNS = {"run_id": "STRING", "seq": "INT", "stage": "STRING", "level": "STRING", "table_name": "STRING",
           "file": "STRING", "line": "INT", "message": "STRING", "action": "STRING", "logged_at": "TIMESTAMP"}
_LINE = re.compile(r"\bline(?:\(s\))? (\d+)")


@dataclass
class Entry:
    run_id: str
    seq: int
    stage: str
    level: str
    table_name: str | None
    file: str | None
    line: int | None
    message: str
    action: str | None
    logged_at: str


def journal_folder(env: Environment) -> Path:
    """One folder per schema: several schemas may share a lakehouse folder (tests do)."""
    if env.is_local:
        return env.lakehouse_path / "_logs" / "runs" / env.schema
    return env.landing_path / ".medallion" / "runs" / env.schema


def _split(where: str) -> tuple[str | None, str | None]:
    """(table or source, file) of a finding's `where` ("/x/y.csv", "patients: y.csv", "claims_silver")."""
    source, sep, rest = where.partition(": ")
    if sep:
        return source, rest
    return (None, where) if "/" in where else (where, None)


class Journal:
    """The append-only file of one run's findings."""

    def __init__(self, env: Environment, run_id: str, scope: str | None = None):
        self.run_id = run_id
        self.path = journal_folder(env) / f"{_prefix(scope)}{run_id}.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.seq = 0

    def write(self, stage: str, finding: Finding) -> None:
        table, file = _split(finding.where)
        match = _LINE.search(finding.message)
        self._append(Entry(self.run_id, self.seq, stage, finding.level, table, file,
                           int(match.group(1)) if match else None, finding.message, finding.action,
                           datetime.now(UTC).replace(tzinfo=None).isoformat()))

    def end(self) -> None:
        self._append(Entry(self.run_id, self.seq, END, END, None, None, None, "run finished", None,
                           datetime.now(UTC).replace(tzinfo=None).isoformat()))

    def _append(self, entry: Entry) -> None:
        self.seq += 1
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(entry)) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def _read(path: Path) -> list[Entry]:
    entries = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:  # a killed flush's claim, moved by another flush meanwhile
        return []
    for text in lines:
        try:
            entries.append(Entry(**json.loads(text)))
        except (ValueError, TypeError):
            continue  # a line cut short by a kill
    return entries


def _prefix(scope: str | None) -> str:
    return f"{scope}~" if scope else ""


def claim(folder: Path, scope: str | None = None) -> list[Path]:
    """Take the folder's journals for one flush: each is renamed first (atomic), so a line a run
    appends while it is flushed goes to a new journal instead of being deleted unread, and two
    flushes at once (parallel Databricks tasks, `status` during a run) never both delete one
    journal. Journals a killed flush had claimed are taken again (their rows may then be twice
    in the table: readers take distinct ones). With a scope, only that scope's journals."""
    if not folder.is_dir():
        return []
    token = uuid.uuid4().hex[:12]  # a claimed name is never reused: a rename must not overwrite a claim
    for path in sorted(folder.glob(f"{_prefix(scope)}*.jsonl")):
        try:
            os.replace(path, path.with_name(f"{path.name}.{token}{CLAIMED}"))
        except FileNotFoundError:  # another flush took it
            continue
    return sorted(folder.glob(f"{_prefix(scope)}*.jsonl.*{CLAIMED}"))


def flush(lakehouse: Lakehouse, scope: str | None = None) -> list[Entry]:
    """Move every journal (of the scope) into the run log table; return the entries moved."""
    journals = claim(journal_folder(lakehouse.env), scope)
    entries = [e for path in journals for e in _read(path)]
    if entries:
        lakehouse.ensure_schema()
        lakehouse.create_table(TABLE, COLUMNS, "medallion: every warning and error of every run")
        lakehouse.insert(TABLE, COLUMNS, _rows(entries))
    for path in journals:  # a kill here repeats these rows in the table: readers take distinct ones
        path.unlink(missing_ok=True)  # another flush may have taken a killed flush's claim too
    return entries


def _value(entry: Entry, name: str) -> Any:
    value = getattr(entry, name)
    return datetime.fromisoformat(value) if name == "logged_at" else value


def pending(env: Environment) -> list[Entry]:
    """The entries of every journal not yet moved into the table (a live run's, a dead run's, a
    killed flush's claim), read where they lie: a reader moves nothing."""
    folder = journal_folder(env)
    return [e for path in sorted(folder.glob("*.jsonl*")) for e in _read(path)] if folder.is_dir() else []


def _rows(entries: list[Entry]) -> list[tuple[Any, ...]]:
    return [tuple(_value(e, name) for name in COLUMNS) for e in entries]


def latest_problems(lakehouse: Lakehouse, runs: int = 3) -> list[dict[str, Any]]:
    """Warnings and errors of the latest runs, each run marked finished, running (it holds the
    lakehouse lock) or not finished: from the table and from the journals not yet in it."""
    live = holder(lakehouse.env.lakehouse_path) if lakehouse.env.is_local else None
    running = sql_string(str(live.get("run_id"))) if live else "NULL"
    parts = [f"SELECT * FROM {lakehouse.name(TABLE)}"] if lakehouse.exists(TABLE) else []
    journals = pending(lakehouse.env)
    if journals:
        lakehouse.sql(f"CREATE OR REPLACE TEMP VIEW medallion_pending_run_log AS {sql_values(COLUMNS, _rows(journals))}")
        parts.append("SELECT * FROM medallion_pending_run_log")
    if not parts:
        return []
    rows = lakehouse.rows(
        f"WITH log AS (SELECT DISTINCT * FROM ({' UNION ALL '.join(parts)})), "
        f"latest AS (SELECT run_id, max(CASE WHEN level = '{END}' THEN 1 ELSE 0 END) AS finished FROM log "
        f"GROUP BY run_id ORDER BY run_id DESC LIMIT {int(runs)}) "
        f"SELECT log.run_id, CASE WHEN finished = 1 THEN 'finished' WHEN log.run_id = {running} THEN 'running' "
        "ELSE 'did not finish' END AS run, stage, level, "
        f"coalesce(table_name, '') AS table_name, coalesce(file, '') AS file, line, message FROM log JOIN latest "
        f"USING (run_id) WHERE level IN ('error', 'warning') OR finished = 0 AND level = '{END}' "
        "ORDER BY run_id DESC, seq")
    return [r.asDict() for r in rows]


def report_unfinished(entries: list[Entry], current: str, report: Report) -> None:
    """Report again the problems of runs that died (their journals had no end line)."""
    finished = {e.run_id for e in entries if e.level == END}
    for entry in entries:
        if entry.run_id != current and entry.run_id not in finished and entry.level in ("error", "warning"):
            where = ": ".join(p for p in (entry.table_name, entry.file) if p) or "run"
            report.add(entry.level, where, f"{entry.message} (reported by run {entry.run_id}, which did not finish)",
                       entry.action)
