"""Reading generated files back, without any CSV library: Synthea never quotes, so a plain
split on commas must give exactly as many fields as the header has."""

from __future__ import annotations

from pathlib import Path

SOURCES = (
    "allergies", "careplans", "claims", "claims_transactions", "conditions", "devices", "encounters",
    "imaging_studies", "immunizations", "medications", "observations", "organizations", "patients",
    "payer_transitions", "payers", "procedures", "providers", "supplies",
)


class Table:
    def __init__(self, path: Path) -> None:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), f"{path} has a BOM"
        assert b"\r" not in raw, f"{path} has CR characters"
        assert raw.endswith(b"\n"), f"{path} does not end with a newline"
        text = raw.decode("utf-8")
        lines = text[:-1].split("\n")
        self.path = path
        self.header = tuple(lines[0].split(","))
        self.lines = lines[1:]
        self.rows = [tuple(line.split(",")) for line in self.lines]
        for n, row in enumerate(self.rows, start=2):
            assert len(row) == len(self.header), f"{path}:{n} has {len(row)} fields, header {len(self.header)}"

    def column(self, name: str) -> list[str]:
        i = self.header.index(name)
        return [r[i] for r in self.rows]

    def dicts(self) -> list[dict[str, str]]:
        return [dict(zip(self.header, r, strict=True)) for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def file_of(landing: Path, source: str, delivery: int | None = None) -> Path:
    name = f"{source}.csv" if delivery is None else f"{source}.delivery-{delivery:02d}.csv"
    return landing / source / name


def load(landing: Path, source: str, delivery: int | None = None) -> Table | None:
    path = file_of(landing, source, delivery)
    return Table(path) if path.exists() else None


def rows(landing: Path, source: str, delivery: int | None = None) -> list[dict[str, str]]:
    table = load(landing, source, delivery)
    return table.dicts() if table else []
