"""Reconciliation checks: declared in YAML beside each target (`kind: checks`), run after loads.

Each check is one kind from a registry (unique, not_null, non_negative, references,
conservation); `severity` decides whether a failure fails the run (`error`) or is reported
(`warn`). Pure Python: the engine turns each check into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from framework.specs.catalog import SpecCatalog
from framework.specs.errors import Problem
from framework.specs.functions import refused_functions
from framework.specs.targets.sources import target_specs
from framework.specs.yaml_source import line_at
from framework.text import did_you_mean

SEVERITIES = ("error", "warn")


@dataclass(frozen=True)
class Check:
    kind: str  # a key of CHECK_KINDS in the engine
    name: str
    severity: str
    columns: tuple[str, ...] = ()  # unique / not_null / non_negative: target columns
    column: str | None = None  # references: the target column
    source: str | None = None  # references / conservation: a bronze source or a target table
    to: str | None = None  # references: the referenced column
    source_key: tuple[str, ...] = ()  # conservation: expressions over the source naming one target row
    key: tuple[str, ...] = ()  # conservation: the target columns holding the same values
    index: int = 0  # position in the file, for located messages
    expected: str | None = None  # warn checks: why failures are expected by design (reported as a note)


@dataclass(frozen=True)
class CheckSet:
    table: str
    checks: tuple[Check, ...]
    file: Path


def _check(raw: dict[str, Any], index: int) -> Check:
    check = _kind(raw, index)
    return replace(check, expected=raw["expected"]) if raw.get("expected") else check


def _kind(raw: dict[str, Any], index: int) -> Check:
    kind = next(k for k in raw if k not in ("severity", "name", "expected"))
    body = raw[kind]
    severity = raw.get("severity", "error")
    if kind in ("unique", "not_null", "non_negative"):
        columns = tuple(body) if isinstance(body, list) else (body,)
        return Check(kind, raw.get("name", f"{kind}({', '.join(columns)})"), severity, columns=columns, index=index)
    if kind == "references":
        return Check(kind, raw.get("name", f"references({body['column']} -> {body['source']}.{body['to']})"), severity,
                     column=body["column"], source=body["source"], to=body["to"], index=index)
    source_key, key = (tuple(v) if isinstance(v, list) else (v,) for v in (body["source_key"], body["key"]))
    return Check(kind, raw.get("name", f"conservation({body['source']}.{', '.join(source_key)} = {', '.join(key)})"),
                 severity, source=body["source"], source_key=source_key, key=key, index=index)


def parse_checks(doc: dict[str, Any], file: Path) -> CheckSet:
    return CheckSet(table=doc["table"], checks=tuple(_check(c, i) for i, c in enumerate(doc["checks"])), file=file)


def validate_checks(catalog: SpecCatalog) -> list[Problem]:
    """Checks name a real target and real columns of it and of their sources."""
    targets = target_specs(catalog)
    bronze = {s: set(spec.column_names) for s, spec in catalog.bronze.items()}
    tables: dict[str, set[str]] = {t: set(spec.output_columns) for t, spec in targets.items()}
    tables.update(bronze)
    problems: list[Problem] = []
    for check_set in catalog.by_kind.get("checks", {}).values():
        doc = catalog.documents[check_set.file]
        target = targets.get(check_set.table)
        if target is None:
            problems.append(Problem(check_set.file, line_at(doc, ["table"]), f"no target table {check_set.table!r}",
                                    did_you_mean(check_set.table, set(targets))))
            continue
        columns = set(target.output_columns)
        for check in check_set.checks:
            where = line_at(doc, ["checks", check.index])
            named = [*check.columns, *check.key, *([check.column] if check.column else [])]
            for column in named:
                if column not in columns:
                    problems.append(Problem(check_set.file, where, f"{check.name}: {check_set.table} has no column {column!r}",
                                            did_you_mean(column, columns)))
            problems.extend(Problem(check_set.file, where, f"{check.name}: {refusal}", refusal.hint)
                            for expr in check.source_key for refusal in refused_functions(expr))
            if check.source is not None and check.source not in tables:
                problems.append(Problem(check_set.file, where, f"{check.name}: unknown source {check.source!r}",
                                        did_you_mean(check.source, set(tables))))
            elif check.kind == "references" and check.to not in tables.get(check.source or "", set()):
                problems.append(Problem(check_set.file, where, f"{check.name}: {check.source} has no column {check.to!r}",
                                        did_you_mean(check.to or "", tables.get(check.source or "", set()))))
    return problems

