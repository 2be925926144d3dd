"""Small builders of the SQL text the planner writes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from framework.specs.bronze import SIMPLE_TYPES, sql_type
from framework.specs.targets.expressions import quote


@dataclass(frozen=True)
class Relations:
    """The relation (table or view name, or parenthesised query) of each source, per state."""

    current: Mapping[str, str]
    previous: Mapping[str, str] = field(default_factory=dict)
    changed: Mapping[str, str] = field(default_factory=dict)
    #: the changed rows as change events (`_change_type`, `_commit_version` beside the columns),
    #: for the sources read through a change feed: a key's first event holds its old row, its
    #: last event its new one, so no snapshot needs reading to diff a uniquely keyed source
    events: Mapping[str, str] = field(default_factory=dict)


#: the properties of every table the engine keeps up to date by MERGE (current states, targets):
#: a change feed, so that readers take only what changed
MERGED_TABLE_PROPERTIES = "delta.enableChangeDataFeed = true"


def column_type(spec_type: str) -> str:
    if spec_type == "boolean":
        return "BOOLEAN"
    return SIMPLE_TYPES.get(spec_type) or sql_type(spec_type)


class Query:
    """A query assembled from common table expressions with generated names."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []

    def add(self, hint: str, body: str) -> str:
        name = f"__{hint}{len(self.parts)}"
        self.parts.append((name, body))
        return name

    def render(self, final: str) -> str:
        if not self.parts:
            return final
        ctes = ",\n".join(f"{name} AS (\n{body}\n)" for name, body in self.parts)
        return f"WITH {ctes}\n{final}"


def columns_of(alias: str, columns: Iterable[str]) -> str:
    return ", ".join(f"{alias}.{quote(c)}" for c in columns)


def all_of(conditions: Iterable[str]) -> str:
    return " AND ".join(conditions) or "TRUE"
