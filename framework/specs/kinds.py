"""The registry of spec kinds: each YAML file's `kind` picks its schema, parser and checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framework.specs.bronze import parse_bronze
from framework.specs.checks import check_bronze

if TYPE_CHECKING:
    from framework.specs.catalog import SpecCatalog
    from framework.specs.errors import Problem

SCHEMAS = Path(__file__).resolve().parent / "schemas"


@dataclass(frozen=True)
class SpecKind:
    name: str
    schema_file: str
    parse: Callable[[dict[str, Any], Path], Any]
    #: cross-reference checks over the whole catalog, run after every file parsed
    check: Callable[[SpecCatalog], list[Problem]]

    @property
    def schema(self) -> dict[str, Any]:
        return _schema(self.schema_file)


@cache
def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text())


KINDS: dict[str, SpecKind] = {
    "bronze": SpecKind("bronze", "bronze.schema.json", parse_bronze, check_bronze),
}
