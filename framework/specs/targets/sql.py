"""Small builders of the SQL text the planner writes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from framework.specs.bronze import SIMPLE_TYPES, sql_type
from framework.specs.targets.expressions import quote
from framework.text import sql_string


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


def merged_table_properties(stats_columns: Iterable[str] = ()) -> str:
    """The TBLPROPERTIES of a table the engine keeps up to date by MERGE (a current state, a
    target): a change feed, so that readers take only what changed, and file statistics on the
    given columns only (none when there are none). Delta's default, min, max and null count of
    the first 32 columns, took about a third of a wide table's write (claims_transactions' 33
    columns). MERGE and change-feed reads do not prune files by them, so a current state keeps
    none; a target keeps its key's, for the lookups by key its users run."""
    names = ",".join(stats_columns)
    stats = (f"delta.dataSkippingStatsColumns = {sql_string(names)}" if names
             else "delta.dataSkippingNumIndexedCols = 0")
    return f"delta.enableChangeDataFeed = true, {stats}"


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
