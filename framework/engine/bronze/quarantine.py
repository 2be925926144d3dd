"""Quarantine: files that cannot be read as their spec says, moved out of the way with a reason.

A quarantined file goes to `<landing>/<source>/quarantine/<run id>/<name>`, beside it
`<name>.reason.txt` says why and what to do. The move happens before anything is read, so the
other files and sources of the run go on; the file's rows are accounted for as quarantined
(nothing lost: the file is kept as delivered). The folder is the record: `medallion status`
lists it, and re-delivering a fixed file to `<landing>/<source>/` ingests it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from framework.engine.bronze.landing import QUARANTINE, FileScan

REASON_SUFFIX = ".reason.txt"
_FIX = "fix the export and deliver the file again to {folder}; the quarantined copy can then be deleted"


@dataclass(frozen=True)
class Quarantined:
    source: str
    run_id: str
    path: Path
    reason: str


def quarantine(scan: FileScan, source: str, run_id: str) -> Quarantined:
    """Move a file into its source's quarantine folder and write why beside it."""
    folder = scan.path.parent / QUARANTINE / run_id
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / scan.name
    reason = scan.unreadable or "unreadable"
    (folder / (scan.name + REASON_SUFFIX)).write_text(
        f"file: {scan.path}\nsource: {source}\nrun: {run_id}\nreason: {reason}\n"
        f"data lines: {scan.data_rows}\nwhat to do: {fix_hint(scan.path.parent)}\n", encoding="utf-8")
    shutil.move(str(scan.path), str(target))
    return Quarantined(source, run_id, target, reason)


def fix_hint(folder: Path) -> str:
    return _FIX.format(folder=folder)


def quarantined(landing: Path, sources: set[str]) -> list[Quarantined]:
    """Every file in a quarantine folder of the given sources, oldest run first."""
    found = []
    for source in sorted(sources):
        for note in sorted((landing / source / QUARANTINE).glob(f"*/*{REASON_SUFFIX}")):
            path = note.with_name(note.name[: -len(REASON_SUFFIX)])
            if not path.exists():
                continue  # removed by hand: dealt with
            fields = dict(line.split(": ", 1) for line in note.read_text(encoding="utf-8").splitlines() if ": " in line)
            found.append(Quarantined(source, note.parent.name, path, fields.get("reason", "")))
    return found
