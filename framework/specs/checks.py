"""Cross-reference checks of bronze specs (schema-level checks come from JSON Schema)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from framework.specs.errors import Problem, did_you_mean
from framework.specs.yaml_source import line_at

if TYPE_CHECKING:
    from framework.specs.catalog import SpecCatalog


def check_bronze(catalog: SpecCatalog) -> list[Problem]:
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
