"""The registry of spec kinds: each YAML file's `kind` picks its schema, parser and checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from framework.specs.bronze import parse_bronze
from framework.specs.catalog import SpecCatalog
from framework.specs.checks import check_bronze
from framework.specs.errors import Problem
from framework.specs.reconcile import check_reconcile, parse_checks
from framework.specs.targets.checks import check_targets_of
from framework.specs.targets.parse import parse_target

SCHEMAS = Path(__file__).resolve().parent / "schemas"


@dataclass(frozen=True)
class SpecKind:
    name: str
    schema_file: str
    parse: Callable[[dict[str, Any], Path], Any]
    #: cross-reference checks over the whole catalog, run after every file parsed
    check: Callable[[SpecCatalog], list[Problem]]
    #: whether a spec of this kind produces a table (its name must be unique across kinds)
    produces_table: bool = True

    @property
    def schema(self) -> dict[str, Any]:
        return _schema(self.schema_file)


@cache
def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text())


KINDS: dict[str, SpecKind] = {
    "bronze": SpecKind("bronze", "bronze.schema.json", parse_bronze, check_bronze),
    "silver": SpecKind("silver", "silver.schema.json", parse_target, check_targets_of("silver")),
    "gold": SpecKind("gold", "gold.schema.json", parse_target, check_targets_of("gold")),
    "checks": SpecKind("checks", "checks.schema.json", parse_checks, check_reconcile, produces_table=False),
}
