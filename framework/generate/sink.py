"""Where generated rows go: files of one delivery, or nowhere (earlier deliveries that are
simulated only to reach the state a later delivery starts from)."""

from __future__ import annotations

from io import TextIOWrapper
from pathlib import Path
from typing import Protocol

from framework.generate.schema import SOURCES, Adapter, Row, header, row_adapter


class Sink(Protocol):
    def add(self, source: str, row: Row) -> None: ...


class NullSink:
    """Accepts rows and drops them."""

    def add(self, source: str, row: Row) -> None:
        return None


class FileSink:
    """Streams rows of one delivery into ``<landing>/<source>/<file name>``.

    Rows arrive in the current column order and are adapted to the requested Synthea version.
    A file is opened on its first row; at :meth:`close`, sources without rows get a header-only
    file, except for Synthea 3.4, which writes no file for an empty table.
    """

    _FLUSH_LINES = 4096

    def __init__(self, landing: Path, file_names: dict[str, str], version: str, no_insurance_id: str) -> None:
        self._landing = landing
        self._names = file_names
        self._version = version
        self._adapters: dict[str, Adapter | None] = {
            s: row_adapter(s, version, no_insurance_id) for s in SOURCES
        }
        self._buffers: dict[str, list[str]] = {s: [] for s in SOURCES}
        self._files: dict[str, TextIOWrapper] = {}
        self.counts: dict[str, int] = {s: 0 for s in SOURCES}
        self.paths: dict[str, Path] = {}

    def add(self, source: str, row: Row) -> None:
        adapter = self._adapters[source]
        buffer = self._buffers[source]
        buffer.append(",".join(adapter(row) if adapter else row))
        self.counts[source] += 1
        if len(buffer) >= self._FLUSH_LINES:
            self._flush(source)

    def _open(self, source: str) -> TextIOWrapper:
        handle = self._files.get(source)
        if handle is None:
            path = self._landing / source / self._names[source]
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in close()
            handle.write(",".join(header(source, self._version)) + "\n")
            self._files[source] = handle
            self.paths[source] = path
        return handle

    def _flush(self, source: str) -> None:
        buffer = self._buffers[source]
        if buffer:
            self._open(source).write("\n".join(buffer) + "\n")
            buffer.clear()

    def close(self) -> None:
        for source in SOURCES:
            self._flush(source)
            if source in self._files:
                continue
            if self._version != "3.4":
                self._open(source)
            else:
                # An empty table has no file in 3.4: drop a stale one from an earlier run.
                (self._landing / source / self._names[source]).unlink(missing_ok=True)
        for handle in self._files.values():
            handle.close()
        self._files.clear()
