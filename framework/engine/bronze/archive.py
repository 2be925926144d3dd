"""`medallion archive`: move exactly the files the ingest log says were read.

A file goes to `<landing>/<source>/archive/<run id>/<name>`: the run id keeps same-named
deliveries apart. The move is checked against the logged content hash, so a file replaced in
landing after it was read is never archived in place of the one ingested. A run that dies
half-way is finished by the next: moves are idempotent and the log is updated after them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from framework.engine.bronze.ingest_log import DUPLICATE, INGESTED, IngestLog, LogEntry
from framework.engine.bronze.landing import ARCHIVE, scan_file
from framework.engine.lakehouse import Lakehouse
from framework.engine.report import Report
from framework.engine.stop import stop_point


@dataclass
class ArchiveResult:
    moved: list[LogEntry] = field(default_factory=list)
    already: list[LogEntry] = field(default_factory=list)


def archive_target(entry: LogEntry) -> Path:
    path = Path(entry.file_path)
    return path.parent / ARCHIVE / entry.ingest_run_id / path.name


def archive(lakehouse: Lakehouse, report: Report) -> ArchiveResult:
    log = IngestLog(lakehouse)
    log.ensure()
    result = ArchiveResult()
    todo = [e for e in log.entries() if e.status in (INGESTED, DUPLICATE) and not e.archived_path]
    for entry in todo:
        source, target = Path(entry.file_path), archive_target(entry)
        if target.exists() and not source.exists():
            result.already.append(entry)  # moved by a run that died before updating the log
        elif source.exists() and scan_file(source).sha256 == entry.content_sha256:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(source), str(target))
            result.moved.append(entry)
            stop_point("archive:moved")  # one file moved, the log not told
        elif target.exists():
            result.already.append(entry)
        else:
            report.warning(str(source), "logged as ingested but no longer in landing with the same content; "
                           "its rows are in bronze, so nothing is lost, but it cannot be archived",
                           "nothing to do unless the original file must be kept: restore it to the archive by hand")
            continue
        entry.archived_path = str(target)
    log.append(result.moved + result.already)
    report.progress(f"archive: {len(result.moved)} file(s) moved"
                    + (f", {len(result.already)} finished from an interrupted run" if result.already else ""))
    return result
