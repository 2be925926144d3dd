"""Bronze specs: one Synthea source file -> one append-only bronze table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DECIMAL = re.compile(r"^decimal\((\d+),\s*(\d+)\)$")
SIMPLE_TYPES = {"string": "STRING", "date": "DATE", "timestamp": "TIMESTAMP", "int": "INT",
                "long": "BIGINT", "double": "DOUBLE"}

#: Columns the engine adds to every bronze row (name -> Spark SQL type).
METADATA_COLUMNS = {
    "ingest_timestamp": "TIMESTAMP",
    "source_file": "STRING",
    "ingest_run_id": "STRING",
    "_rescued_data": "STRING",
    "_rescue_reason": "STRING",
}


def sql_type(spec_type: str) -> str:
    """Spark SQL type of a spec type (`decimal(18,2)` -> `DECIMAL(18,2)`)."""
    if spec_type in SIMPLE_TYPES:
        return SIMPLE_TYPES[spec_type]
    match = DECIMAL.match(spec_type)
    if not match:
        raise ValueError(f"unknown column type {spec_type!r}")
    return f"DECIMAL({match.group(1)},{match.group(2)})"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    optional: bool = False  # some Synthea version lacks it; files without it load with null
    nulls: tuple[str, ...] = ()  # strings that mean "missing" besides the empty string
    note: str | None = None

    @property
    def sql_type(self) -> str:
        return sql_type(self.type)


@dataclass(frozen=True)
class Reference:
    column: str
    table: str  # the referenced source
    to: str  # its key column


#: How rows of a source are told apart across deliveries (the source's current state keeps one row
#: per identity: see framework/specs/current.py).
KEY, GROUP, ROW = "key", "group", "row"


@dataclass(frozen=True)
class Identity:
    """`key`: one row per key, the latest delivery wins. `group`: the rows sharing the group
    columns are replaced as a whole by the latest delivery that carries the group, each row
    numbered by `order` into the `line` column. Neither: every distinct row stands alone.
    `ignore`: columns that are not content (a re-sent row differing only there is unchanged)."""

    key: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    order: tuple[str, ...] = ()
    line: str | None = None
    ignore: tuple[str, ...] = ()

    @property
    def mode(self) -> str:
        return KEY if self.key else GROUP if self.group else ROW

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns that identify one row of the current state."""
        if self.group:
            return (*self.group, self.line or "")
        return self.key


@dataclass(frozen=True)
class BronzeSpec:
    source: str
    table: str
    columns: tuple[Column, ...]
    file: Path
    description: str = ""
    tags: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    options: dict[str, str] = field(default_factory=dict)
    identity: Identity = field(default_factory=Identity)

    @property
    def current_table(self) -> str:
        """The table holding the source's current state (one row per identity)."""
        return f"{self.source}_current"

    def column(self, name: str) -> Column | None:
        """The declared column of a header name, matched case-insensitively."""
        return self._by_lower().get(name.lower())

    def _by_lower(self) -> dict[str, Column]:
        return {c.name.lower(): c for c in self.columns}

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if not c.optional]


def parse_bronze(doc: dict[str, Any], file: Path) -> BronzeSpec:
    """Build a BronzeSpec from a document that already passed its JSON Schema."""
    columns = tuple(
        Column(name=c["name"], type=c["type"], optional=c.get("optional", False),
               nulls=tuple(c.get("nulls", ())), note=c.get("note"))
        for c in doc["columns"]
    )
    references = tuple(Reference(r["column"], r["table"], r["to"]) for r in doc.get("references", ()))
    keys = tuple(doc.get("keys", ()))
    declared = doc.get("identity", {})
    identity = Identity(key=tuple(declared.get("key", () if "group" in declared else keys)),
                        group=tuple(declared.get("group", ())), order=tuple(declared.get("order", ())),
                        line=declared.get("line"), ignore=tuple(declared.get("ignore", ())))
    return BronzeSpec(source=doc["source"], table=doc["table"], columns=columns, file=file,
                      description=doc.get("description", ""), tags=tuple(doc.get("tags", ())), keys=keys,
                      references=references, options=dict(doc.get("options", {})), identity=identity)
