"""What a target can read: bronze sources, other targets, and reference data kept beside the specs.

Reference data are CSV files in `<tables>/reference/` (header line, then rows; every value a
string). Expressions use them by file name, e.g. `CODE IN (SELECT code FROM chronic_conditions)`.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from framework.specs.bronze import GROUP, METADATA_COLUMNS, ROW
from framework.specs.catalog import SpecCatalog
from framework.specs.targets.model import TARGET_LAYERS, TargetSpec

#: what a target reads: a bronze source (through its current state), another target, reference data
BRONZE, TARGET, REFERENCE = "bronze", "target", "reference"
REFERENCE_FOLDER = "reference"


@dataclass(frozen=True)
class SourceInfo:
    """One readable source, as the planner and the checks see it."""

    name: str  # as specs name it: a bronze source (`patients`) or a target table
    kind: str  # BRONZE | TARGET | REFERENCE
    table: str  # the table it is read from (a source's current state, a target table, reference name)
    columns: tuple[str, ...]
    types: dict[str, str] = field(default_factory=dict)  # known Spark SQL types (bronze only)
    key: tuple[str, ...] = ()  # the columns of which each row has its own values (none: unknown)
    layer: str = "bronze"

    def resolve(self, column: str) -> str | None:
        """The declared spelling of a column (Spark resolves names case-insensitively)."""
        if column in self.columns:
            return column
        lowered = {c.lower(): c for c in self.columns}
        return lowered.get(column.lower())


@dataclass(frozen=True)
class ReferenceData:
    name: str
    path: Path
    columns: tuple[str, ...]

    def rows(self) -> list[tuple[str, ...]]:
        with self.path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            return [tuple(row) for row in reader if row]

    def fingerprint(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def reference_data(root: Path) -> dict[str, ReferenceData]:
    """Every `<root>/reference/<name>.csv`, by name."""
    folder = root / REFERENCE_FOLDER
    found: dict[str, ReferenceData] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle), [])
            found[path.stem] = ReferenceData(path.stem, path, tuple(h.strip() for h in header))
    return found


def target_specs(catalog: SpecCatalog) -> dict[str, TargetSpec]:
    """Every silver and gold spec by table name."""
    found: dict[str, TargetSpec] = {}
    for layer in TARGET_LAYERS:
        found.update(catalog.by_kind.get(layer, {}))
    return found


def source_names(catalog: SpecCatalog) -> set[str]:
    return set(catalog.bronze) | set(target_specs(catalog)) | set(reference_data(catalog.root))


def resolve_source(catalog: SpecCatalog, name: str) -> SourceInfo | None:
    """A bronze source (by source or table name), a target, or reference data; None if unknown."""
    bronze = catalog.bronze.get(name) or next((s for s in catalog.bronze.values() if s.table == name), None)
    if bronze is not None:  # one row per identity: its current state
        line = bronze.identity.line if bronze.identity.mode == GROUP else None
        types = {c.name: c.sql_type for c in bronze.columns} | ({line: "INT"} if line else {}) | METADATA_COLUMNS
        key = bronze.identity.columns if bronze.identity.mode != ROW else ()
        return SourceInfo(bronze.source, BRONZE, bronze.current_table, tuple(types), types, key, "bronze")
    target = target_specs(catalog).get(name)
    if target is not None:
        return SourceInfo(target.table, TARGET, target.table, tuple(target.output_columns), {},
                          target.key, target.layer)
    reference = reference_data(catalog.root).get(name)
    if reference is not None:
        return SourceInfo(name, REFERENCE, name, reference.columns, {}, (), "reference")
    return None
