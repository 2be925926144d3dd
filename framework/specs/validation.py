"""Cross-reference validation of bronze specs (schema-level validation comes from JSON Schema)."""

from __future__ import annotations

import re
from collections import Counter

from framework.specs.bronze import BronzeSpec
from framework.specs.catalog import SpecCatalog
from framework.specs.errors import Problem
from framework.specs.yaml_source import line_at
from framework.text import did_you_mean

_ORDER_ITEM = re.compile(r"^\s*(?P<column>[A-Za-z_][A-Za-z0-9_]*)(\s+(ASC|DESC))?(\s+NULLS\s+(FIRST|LAST))?\s*$",
                         re.IGNORECASE)


def _identity_problems(spec: BronzeSpec, doc: object, names: set[str]) -> list[Problem]:
    """The identity names declared columns; its line column is a new one."""
    identity, problems = spec.identity, []
    for part in ("key", "group", "ignore"):
        for column in getattr(identity, part):
            if column not in names:
                problems.append(Problem(spec.file, line_at(doc, ["identity", part]),
                                        f"identity {part} {column!r} is not a declared column",
                                        did_you_mean(column, names)))
    for item in identity.order:
        match = _ORDER_ITEM.match(item)
        if match is None or match.group("column") not in names:
            column = match.group("column") if match else item
            problems.append(Problem(spec.file, line_at(doc, ["identity", "order"]),
                                    f"identity order {item!r}: expected a declared column, then ASC/DESC and "
                                    "NULLS FIRST/LAST if needed", did_you_mean(column, names)))
    if identity.line is not None and identity.line.lower() in {n.lower() for n in names}:
        problems.append(Problem(spec.file, line_at(doc, ["identity", "line"]),
                                f"identity line {identity.line!r} is a declared column",
                                "name the line column something the file does not have, e.g. line_number"))
    return problems


def validate_bronze(catalog: SpecCatalog) -> list[Problem]:
    problems: list[Problem] = []
    for spec in catalog.bronze.values():
        doc = catalog.documents[spec.file]
        if spec.file.stem != spec.source:
            problems.append(Problem(spec.file, line_at(doc, ["source"]),
                                    f"source {spec.source!r} differs from the file name {spec.file.stem!r}",
                                    f"rename the file to {spec.source}.yml"))
        if spec.table != f"{spec.source}_bronze":
            problems.append(Problem(spec.file, line_at(doc, ["table"]),
                                    f"table {spec.table!r} breaks the naming contract",
                                    f"bronze tables are named <source>_bronze: {spec.source}_bronze"))
        counts = Counter(c.name.lower() for c in spec.columns)
        for index, column in enumerate(spec.columns):
            if counts[column.name.lower()] > 1:
                problems.append(Problem(spec.file, line_at(doc, ["columns", index]),
                                        f"column {column.name!r} is declared more than once"))
        names = set(spec.column_names)
        for key in spec.keys:
            if key not in names:
                problems.append(Problem(spec.file, line_at(doc, ["keys"]),
                                        f"key {key!r} is not a declared column", did_you_mean(key, names)))
        problems += _identity_problems(spec, doc, names)
        for index, ref in enumerate(spec.references):
            where = line_at(doc, ["references", index])
            if ref.column not in names:
                problems.append(Problem(spec.file, where, f"reference column {ref.column!r} is not declared",
                                        did_you_mean(ref.column, names)))
            target = catalog.bronze.get(ref.table)
            if target is None:
                problems.append(Problem(spec.file, where, f"reference to unknown source {ref.table!r}",
                                        did_you_mean(ref.table, set(catalog.bronze))))
            elif ref.to not in target.column_names:
                problems.append(Problem(spec.file, where,
                                        f"reference to {ref.table}.{ref.to}: no such column",
                                        did_you_mean(ref.to, set(target.column_names))))
    return problems
