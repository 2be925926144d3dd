"""The landing folder: what was delivered, and a byte-level pre-scan of each file.

The pre-scan reads every byte once, in Python, before Spark does: it fingerprints the content
(exactly-once is decided by content, not by name), reads the header, counts data lines (so
rows in can be reconciled with rows in bronze) and finds encoding faults Spark would paper over
(invalid UTF-8 becomes U+FFFD in Spark without a word).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

ARCHIVE = "archive"
BOM = b"\xef\xbb\xbf"
CHUNK = 8 * 1024 * 1024
_BLANK_LINE = re.compile(rb"\n(?=\r?\n)")


@dataclass(frozen=True)
class FileScan:
    """What the pre-scan learnt about one delivered file."""

    path: Path
    size: int
    sha256: str
    header: tuple[str, ...]  # column names as written, BOM and line ending removed
    data_rows: int  # non-blank lines after the header
    has_bom: bool = False
    crlf: bool = False
    invalid_utf8_lines: tuple[int, ...] = ()  # 1-based line numbers (first few)
    ends_without_newline: bool = False

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def is_empty(self) -> bool:
        return self.size == 0


@dataclass
class Landing:
    """The delivered files of every known source, and the folders nobody declared."""

    root: Path
    files: dict[str, list[Path]] = field(default_factory=dict)
    unknown_folders: list[Path] = field(default_factory=list)
    stray_files: list[Path] = field(default_factory=list)


def survey(root: Path, sources: set[str]) -> Landing:
    """List `<root>/<source>/*.csv` for known sources; note everything else found there."""
    landing = Landing(root=root)
    if not root.is_dir():
        return landing
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and entry.name in sources:
            landing.files[entry.name] = sorted(p for p in entry.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
        elif entry.is_dir():
            landing.unknown_folders.append(entry)
        elif not entry.name.startswith("."):
            landing.stray_files.append(entry)
    return landing


def scan_file(path: Path, *, max_bad_lines: int = 5) -> FileScan:
    """Fingerprint and count one file in a single pass over its bytes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    newlines = blanks = size = 0
    first = b""
    bad_lines: list[int] = []
    carry = b""  # the tail of the previous chunk, so blank lines across chunk edges are seen
    last_byte = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            if size == 0:
                first = chunk[: chunk.find(b"\n") + 1 or len(chunk)]
            size += len(chunk)
            window = carry + chunk
            blanks += len(_BLANK_LINE.findall(window)) - len(_BLANK_LINE.findall(carry))
            carry = window[-2:]
            if len(bad_lines) < max_bad_lines:
                _check_utf8(decoder, chunk, newlines, bad_lines, max_bad_lines)
            newlines += chunk.count(b"\n")
            last_byte = chunk[-1:]
    has_bom = first.startswith(BOM)
    header_text = first[len(BOM):] if has_bom else first
    header_line = header_text.decode("utf-8", errors="replace").rstrip("\r\n")
    header = tuple(h.strip() for h in header_line.split(",")) if header_line.strip() else ()
    lines = newlines + (1 if size and last_byte != b"\n" else 0)
    data_rows = max(lines - blanks - (1 if header else 0), 0)
    return FileScan(path=path, size=size, sha256=digest.hexdigest(), header=header, data_rows=data_rows,
                    has_bom=has_bom, crlf=first.endswith(b"\r\n"), invalid_utf8_lines=tuple(bad_lines),
                    ends_without_newline=bool(size) and last_byte != b"\n")


def _check_utf8(decoder: codecs.IncrementalDecoder, chunk: bytes, lines_before: int,
                bad_lines: list[int], limit: int) -> None:
    """Record the line numbers of invalid UTF-8 sequences in a chunk."""
    offset = 0
    while offset < len(chunk) and len(bad_lines) < limit:
        try:
            decoder.decode(chunk[offset:])
            return
        except UnicodeDecodeError as error:
            position = offset + error.start
            line = lines_before + chunk.count(b"\n", 0, position) + 1
            if line not in bad_lines:
                bad_lines.append(line)
            decoder.reset()
            offset = offset + error.end
