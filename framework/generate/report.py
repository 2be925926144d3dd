"""What a generator run wrote."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FileReport:
    source: str
    delivery: int
    path: Path
    rows: int  # data rows, header not counted


@dataclass(slots=True)
class GenerateReport:
    landing: Path
    patients: int
    seed: int
    synthea_version: str
    deliveries: tuple[int, ...]  # the delivery numbers written
    files: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows_by_source(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for f in self.files:
            totals[f.source] = totals.get(f.source, 0) + f.rows
        return dict(sorted(totals.items()))

    @property
    def total_rows(self) -> int:
        return sum(f.rows for f in self.files)

    def rows(self, source: str, delivery: int | None = None) -> int:
        return sum(f.rows for f in self.files if f.source == source and delivery in (None, f.delivery))

    def summary(self) -> str:
        """A table for the command line: rows per source and delivery."""
        ds = self.deliveries
        lines = [
            f"Synthea {self.synthea_version} CSV, {self.patients} patients, seed {self.seed}, "
            f"deliveries {', '.join(map(str, ds))} -> {self.landing}",
        ]
        width = max(len(s) for s in self.rows_by_source) if self.files else 6
        heads = "".join(f"{'delivery ' + str(d):>14}" for d in ds) + (f"{'total':>12}" if len(ds) > 1 else "")
        lines.append(f"{'source':<{width}}{heads}")
        for source, total in self.rows_by_source.items():
            cells = "".join(f"{self.rows(source, d):>14,}" for d in ds)
            lines.append(f"{source:<{width}}{cells}" + (f"{total:>12,}" if len(ds) > 1 else ""))
        lines.append(f"{len(self.files)} files, {self.total_rows:,} rows in {self.seconds:.1f} s")
        return "\n".join(lines)
