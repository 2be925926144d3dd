"""A target resolved against the catalog in one call: its spec, every source it reads (its steps'
and the tables its expressions name), the reference data among them, and its plan. The loads, the
compiled SQL and the lineage all resolve targets here; each says in its own words what failed."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from framework.specs.catalog import SpecCatalog
from framework.specs.errors import Problem
from framework.specs.targets.expressions import quote, table_refs
from framework.specs.targets.graph import build_order, waves
from framework.specs.targets.model import TargetSpec
from framework.specs.targets.plan import TargetPlan
from framework.specs.targets.sources import (
    BRONZE,
    REFERENCE,
    ReferenceData,
    SourceInfo,
    reference_data,
    resolve_source,
    target_specs,
)
from framework.text import did_you_mean, sql_string


class UnresolvedTarget(Exception):
    """No silver or gold spec defines the table asked for."""

    def __init__(self, message: str, file: Path, hint: str | None = None):
        super().__init__(f"{message} ({hint})" if hint else message)
        self.message, self.file, self.hint = message, file, hint

    def problem(self) -> Problem:
        return Problem(self.file, None, self.message, self.hint)


class UnknownSource(UnresolvedTarget):
    """The target's spec reads a source that no spec or reference file defines (validation says so too)."""


@dataclass(frozen=True)
class ResolvedTarget:
    """One target with everything its queries read."""

    plan: TargetPlan
    references: Mapping[str, ReferenceData]  # the reference data among its sources, by name

    @property
    def spec(self) -> TargetSpec:
        return self.plan.spec

    @property
    def sources(self) -> Mapping[str, SourceInfo]:
        return self.plan.sources

    @property
    def bronze(self) -> list[str]:
        """The bronze sources it reads (through their current states)."""
        return [name for name, info in self.sources.items() if info.kind == BRONZE]

    def standalone(self, query: str) -> str:
        """`query` with each reference data set it reads defined in front of it, from its rows (a
        common table expression): the statement needs no view, so loads that run at once share no
        session state, and compiled SQL runs as is."""
        return f"WITH {self._reference_rows}\nSELECT * FROM (\n{query}\n) __compiled" if self.references else query

    @functools.cached_property
    def _reference_rows(self) -> str:
        """The reference data's common table expressions, read from their files once: every
        statement of a load sees the same rows."""
        ctes = []
        for name, data in sorted(self.references.items()):
            rows = ",\n  ".join("(" + ", ".join(sql_string(v) for v in row) + ")" for row in data.rows())
            columns = ", ".join(quote(c) for c in data.columns)
            ctes.append(f"{quote(name)} AS (SELECT * FROM VALUES\n  {rows}\n  AS {quote(name)}({columns}))")
        return ", ".join(ctes)


def referenced_tables(spec: TargetSpec) -> set[str]:
    """Tables named inside expressions (e.g. reference data in `IN (SELECT ...)`)."""
    texts = [c.expr.text for c in spec.columns] + [s.expr.text for s in spec.derived]
    texts += [e.text for a in spec.aggregates for e in (a.when, a.where) if e is not None]
    texts += [m.text for a in spec.aggregates for _, m in a.measures]
    texts += [spec.where.text] if spec.where is not None else []
    return {name for text in texts for name in table_refs(text)}


def _spec(catalog: SpecCatalog, table: str) -> TargetSpec:
    specs = target_specs(catalog)
    if table not in specs:
        raise UnresolvedTarget(f"no silver or gold spec defines {table!r}", catalog.root, did_you_mean(table, set(specs)))
    return specs[table]


def resolve_target(catalog: SpecCatalog, table: str) -> ResolvedTarget:
    """The target `table` with every source it reads (its steps' and its expressions')."""
    spec = _spec(catalog, table)
    infos: dict[str, SourceInfo] = {}
    for name in [*spec.sources, *sorted(referenced_tables(spec))]:
        info = resolve_source(catalog, name)
        if info is None:
            raise UnknownSource(f"{table} reads {name!r}, which no spec or reference file defines", spec.file)
        infos[name] = info
    references = reference_data(catalog.root) if any(i.kind == REFERENCE for i in infos.values()) else {}
    return ResolvedTarget(TargetPlan(spec, infos),
                          {name: references[name] for name, info in infos.items() if info.kind == REFERENCE})


def build_sequence(catalog: SpecCatalog, layer: str | None = None, tables: Iterable[str] | None = None) -> list[str]:
    """Targets in dependency order, of one layer and/or among the given tables."""
    specs = target_specs(catalog)
    wanted = set(tables) if tables is not None else None
    order = build_order(_graph(catalog))
    return [n for n in order if (layer is None or specs[n].layer == layer) and (wanted is None or n in wanted)]


def build_waves(sequence: list[str], catalog: SpecCatalog) -> list[list[str]]:
    """A build sequence in waves of targets that read none of each other (loaded at once)."""
    return waves(_graph(catalog), sequence)


def _graph(catalog: SpecCatalog) -> dict[str, list[str]]:
    """Each target -> the targets it reads."""
    specs = target_specs(catalog)
    return {n: [s for s in spec.sources if s in specs] for n, spec in specs.items()}
