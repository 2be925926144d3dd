"""The registry of spec kinds: each YAML file's `kind` picks its schema, parser and cross-reference validation."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from framework.specs.bronze import parse_bronze
from framework.specs.catalog import SpecCatalog
from framework.specs.errors import Problem
from framework.specs.reconcile import parse_checks, validate_checks
from framework.specs.targets.parse import parse_target
from framework.specs.targets.validation import validate_targets_of
from framework.specs.validation import validate_bronze

SCHEMAS = Path(__file__).resolve().parent / "schemas"


@dataclass(frozen=True)
class SpecKind:
    name: str
    schema_file: str
    parse: Callable[[dict[str, Any], Path], Any]
    #: cross-reference validation over the whole catalog, run after every file parsed
    validate: Callable[[SpecCatalog], list[Problem]]
    #: whether a spec of this kind produces a table (its name must be unique across kinds)
    produces_table: bool = True

    @property
    def schema(self) -> dict[str, Any]:
        return _schema(self.schema_file)


@cache
def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text())


KINDS: dict[str, SpecKind] = {
    "bronze": SpecKind("bronze", "bronze.schema.json", parse_bronze, validate_bronze),
    "silver": SpecKind("silver", "silver.schema.json", parse_target, validate_targets_of("silver")),
    "gold": SpecKind("gold", "gold.schema.json", parse_target, validate_targets_of("gold")),
    "checks": SpecKind("checks", "checks.schema.json", parse_checks, validate_checks, produces_table=False),
}
