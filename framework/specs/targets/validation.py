"""Cross-reference validation of target specs: sources, aliases, columns, expressions, key, scope, cycles.

Expressions are parsed with sqlglot (spark dialect), so `medallion validate` needs no Spark.
Every problem carries the file and line of the YAML node it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from framework.specs.catalog import SpecCatalog
from framework.specs.errors import Problem
from framework.specs.functions import refused_functions
from framework.specs.targets.expressions import (
    ExpressionError,
    column_refs,
    normalize,
    split_order,
    subquery_column_refs,
    table_refs,
    window_partitions,
)
from framework.specs.targets.graph import cycles
from framework.specs.targets.model import LAYER_RANK, Aggregate, At, Derive, Expr, Join, TargetSpec
from framework.specs.targets.sources import (
    REFERENCE,
    ReferenceData,
    SourceInfo,
    reference_data,
    resolve_source,
    source_names,
    target_specs,
)
from framework.specs.yaml_source import line_at
from framework.text import did_you_mean


def validate_targets_of(kind: str) -> Callable[[SpecCatalog], list[Problem]]:
    """The validation of one target kind (each kind reports on its own specs only)."""

    def validate(catalog: SpecCatalog) -> list[Problem]:
        specs = [s for s in target_specs(catalog).values() if s.kind == kind]
        references = reference_data(catalog.root)
        problems: list[Problem] = []
        for spec in specs:
            problems.extend(_Validator(catalog, spec, references).run())
        problems.extend(_cycle_problems(catalog, {s.table for s in specs}))
        return problems

    return validate


@dataclass
class _Alias:
    columns: list[str]
    source: SourceInfo | None = None  # None: unknown source (already reported)

    def resolve(self, column: str) -> str | None:
        if column in self.columns:
            return column
        return {c.lower(): c for c in self.columns}.get(column.lower())


@dataclass
class _Validator:
    catalog: SpecCatalog
    spec: TargetSpec
    references: dict[str, ReferenceData]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, at: At, message: str, hint: str | None = None) -> None:
        doc = self.catalog.documents.get(self.spec.file)
        self.problems.append(Problem(self.spec.file, line_at(doc, list(at)), message, hint))

    # -- expressions ---------------------------------------------------------------------------

    def expr(self, expr: Expr, visible: dict[str, _Alias], local: str | None, what: str) -> bool:
        """Check that an expression parses and reads only known aliases and columns."""
        try:
            refs = column_refs(expr.text)
            tables = table_refs(expr.text)
            inner = subquery_column_refs(expr.text)
        except ExpressionError as error:
            self.problem(expr.at, f"{what}: {error}: {expr.text!r}")
            return False
        refusals = refused_functions(expr.text)
        for refusal in refusals:
            self.problem(expr.at, f"{what}: {refusal}", refusal.hint)
        ok = not refusals
        for ref in refs:
            if ref.name == "*":
                self.problem(expr.at, f"{what}: name the columns instead of {ref.alias + '.' if ref.alias else ''}*")
                ok = False
                continue
            alias = ref.alias or local
            if alias is None:
                owners = [a for a, info in visible.items() if info.resolve(ref.name)]
                hint = f"write {owners[0]}.{ref.name}" if owners else did_you_mean(
                    ref.name, {c for info in visible.values() for c in info.columns})
                self.problem(expr.at, f"{what}: column {ref.name!r} needs the alias of its source", hint)
                ok = False
            elif alias not in visible:
                self.problem(expr.at, f"{what}: unknown alias {alias!r} (in {ref.alias}.{ref.name})",
                             did_you_mean(alias, set(visible)) or f"known here: {', '.join(sorted(visible))}")
                ok = False
            elif visible[alias].source is not None and not visible[alias].resolve(ref.name):
                self.problem(expr.at, f"{what}: {alias} has no column {ref.name!r}",
                             did_you_mean(ref.name, set(visible[alias].columns)))
                ok = False
        for table in sorted(tables):
            if table not in self.references:
                if table in source_names(self.catalog):
                    guess: str | None = f"{table} is a source: read it with a join or aggregate step"
                else:
                    guess = did_you_mean(table, set(self.references))
                self.problem(expr.at, f"{what}: subqueries may read reference data only, not {table!r}", guess)
                ok = False
        for names, ref in inner:
            columns = {c for name in names if name in self.references for c in self.references[name].columns}
            if columns and ref.name not in columns:
                self.problem(expr.at, f"{what}: reference data {', '.join(sorted(names))} has no column {ref.name!r}",
                             did_you_mean(ref.name, columns))
                ok = False
        return ok

    # -- the spec ------------------------------------------------------------------------------

    def source(self, name: str, at: At) -> SourceInfo | None:
        info = resolve_source(self.catalog, name)
        if info is None:
            self.problem(at, f"unknown source {name!r}", did_you_mean(name, source_names(self.catalog)))
            return None
        if info.kind != REFERENCE and LAYER_RANK[info.layer] > LAYER_RANK[self.spec.layer]:
            self.problem(at, f"a {self.spec.layer} table cannot read {name!r}, a {info.layer} table",
                         "layers read downward: bronze -> silver -> gold")
        if info.name == self.spec.table:
            self.problem(at, f"{self.spec.table} cannot read itself")
        return info

    def run(self) -> list[Problem]:
        spec = self.spec
        if spec.file.stem != spec.table:
            self.problem(("table",), f"table {spec.table!r} differs from the file name {spec.file.stem!r}",
                         f"rename the file to {spec.table}.yml")
        visible = self.driver()
        for index, step in enumerate(spec.steps):
            self.step(index, step, visible)
        everything = dict(visible)
        if spec.where is not None:
            self.expr(spec.where, everything, None, "where")
        for item in spec.order:
            expr, _, _ = split_order(item.text)
            self.expr(Expr(expr, item.at), everything, None, "order")
        self.columns(everything)
        self.key_and_scope(visible)
        self.bounds()
        self.windows()
        return self.problems

    def driver(self) -> dict[str, _Alias]:
        driver = self.spec.driver
        info = self.source(driver.source, ("driver", "source"))
        if info is not None and info.kind == REFERENCE:
            self.problem(("driver", "source"), "reference data cannot drive a target")
        alias = _Alias(list(info.columns) if info else [], info)
        local = {driver.alias: alias}
        for expr in driver.key or ():
            self.expr(expr, local, driver.alias, "driver key")
        return {driver.alias: _Alias(list(alias.columns), info)}

    def step(self, index: int, step: Derive | Join | Aggregate, visible: dict[str, _Alias]) -> None:
        driver = visible[self.spec.driver.alias]
        if isinstance(step, Derive):
            self.expr(step.expr, visible, None, f"derive {step.name}")
            if driver.resolve(step.name):
                self.problem((*step.at, "name"), f"derive {step.name!r}: {self.spec.driver.alias} already has a "
                             "column of that name", "choose another name")
            driver.columns.append(step.name)
            return
        if step.alias in visible:
            self.problem((*step.at, "as"), f"alias {step.alias!r} is already used")
            return
        info = self.source(step.source, (*step.at, "source"))
        joined = _Alias(list(info.columns) if info else [], info)
        if isinstance(step, Join):
            self.join(step, info, joined, visible)
            visible[step.alias] = joined
        else:
            self.aggregate(step, info, joined, visible)
            visible[step.alias] = _Alias([name for name, _ in step.measures], info)

    def join(self, step: Join, info: SourceInfo | None, joined: _Alias, visible: dict[str, _Alias]) -> None:
        for column, outer in step.on:
            if info is not None and not joined.resolve(column):
                self.problem(outer.at, f"join {step.alias}: {step.source} has no column {column!r}",
                             did_you_mean(column, set(joined.columns)))
            self.expr(outer, visible, None, f"join {step.alias}")
        for expr in step.pick:
            expr_text, _, _ = split_order(expr.text)
            self.expr(Expr(expr_text, expr.at), {step.alias: joined}, step.alias, f"join {step.alias} pick")
        if info is None or step.pick or info.kind == REFERENCE:
            return
        on = {(joined.resolve(c) or c).lower() for c, _ in step.on}
        key = {k.lower() for k in info.key}
        if not key:
            self.problem((*step.at, "match"), f"join {step.alias}: {step.source} declares no key, so several rows "
                         f"may match", "add pick: [...] to choose one row per join value")
        elif on != key:
            self.problem((*step.at, "match"), f"join {step.alias}: {step.source} is keyed by ({', '.join(info.key)}), "
                         f"not ({', '.join(c for c, _ in step.on)})",
                         "join on the key, or add pick: [...] to choose one row per join value")

    def aggregate(self, step: Aggregate, info: SourceInfo | None, joined: _Alias,
                  visible: dict[str, _Alias]) -> None:
        local = {step.alias: joined}
        what = f"aggregate {step.alias}"
        for source_expr, outer in step.on:
            self.expr(source_expr, local, step.alias, what)
            self.expr(outer, visible, None, what)
        if step.when is not None:
            self.expr(step.when, {**visible, step.alias: joined}, step.alias, f"{what} when")
        if step.where is not None:
            self.expr(step.where, local, step.alias, f"{what} where")
        for expr in step.key or ():
            self.expr(expr, local, step.alias, f"{what} key")
        names = [name for name, _ in step.measures]
        for name, expr in step.measures:
            self.expr(expr, local, step.alias, f"{what} measure {name}")
        if len(set(names)) != len(names):
            self.problem((*step.at, "measures"), f"{what}: measure names repeat")

    def columns(self, visible: dict[str, _Alias]) -> None:
        seen: set[str] = set()
        for column in self.spec.columns:
            if column.name.lower() in seen:
                self.problem((*column.at, "name"), f"column {column.name!r} is declared twice")
            seen.add(column.name.lower())
            for part in column.hash or (column.expr,):
                self.expr(part, visible, None, f"column {column.name}")
        if self.spec.load_timestamp.lower() in seen:
            self.problem(("load_timestamp",), f"{self.spec.load_timestamp!r} is written by the engine; "
                         "do not declare it as a column")

    def key_and_scope(self, visible: dict[str, _Alias]) -> None:
        spec, names = self.spec, set(self.spec.column_names)
        driver_alias = spec.driver.alias
        driver_source = visible[driver_alias].source
        raw = set(driver_source.columns) if driver_source is not None else None
        for field_name, columns in (("key", spec.key), ("scope", spec.scope)):
            for name in columns:
                column = spec.column(name)
                if column is None:
                    self.problem((field_name,), f"{field_name} column {name!r} is not a column of {spec.table}",
                                 did_you_mean(name, names))
                    continue
                try:
                    refs = [r for part in column.hash or (column.expr,) for r in column_refs(part.text)]
                except ExpressionError:
                    continue  # reported with the column
                others = sorted({r.alias for r in refs if r.alias and r.alias != driver_alias})
                if others:
                    self.problem((field_name,), f"{field_name} column {name!r} reads {', '.join(others)}: "
                                 f"{field_name} columns are computed from the driver ({driver_alias}) alone")
                elif field_name == "scope" and raw is not None:
                    derived = sorted(r.name for r in refs if r.name not in raw)
                    if derived:
                        self.problem((field_name,), f"scope column {name!r} reads derived column(s) "
                                     f"{', '.join(derived)}: scope columns are plain expressions of the driver's "
                                     "source columns (the rows to recompute are found by them)")

    def bounds(self) -> None:
        """A `bounds` names two measures of a global aggregate and an output column that all rows
        of a key share: an incremental load keeps or recomputes a key's rows together."""
        spec = self.spec
        try:
            keyed = {(r.alias, r.name.lower()) for name in spec.key if (c := spec.column(name)) is not None
                     for part in c.hash or (c.expr,) for r in column_refs(part.text)}
        except ExpressionError:
            return  # reported with the column
        for step in spec.aggregates:
            bounds = step.bounds
            if bounds is None:
                continue
            what = f"aggregate {step.alias} bounds"
            if not step.is_global:
                self.problem(bounds.at, f"{what}: only an aggregate without `match` (over the whole source) can "
                             "bound the target's rows", "remove `bounds`, or `match`")
            measures = {name for name, _ in step.measures}
            for field_name, name in (("lower", bounds.lower), ("upper", bounds.upper)):
                if name not in measures:
                    self.problem((*bounds.at, field_name), f"{what}: {step.alias} has no measure {name!r}",
                                 did_you_mean(name, measures))
            column = spec.column(bounds.column)
            if column is None:
                self.problem((*bounds.at, "column"), f"{what}: {spec.table} has no column {bounds.column!r}",
                             did_you_mean(bounds.column, set(spec.column_names)))
                continue
            try:
                reads = {(r.alias, r.name.lower()) for part in column.hash or (column.expr,)
                         for r in column_refs(part.text)}
            except ExpressionError:
                continue
            if not reads or not reads <= keyed:
                self.problem((*bounds.at, "column"), f"{what}: column {bounds.column!r} must be computed from what "
                             f"the key ({', '.join(spec.key)}) reads: the rows of one key are recomputed together",
                             "bound a key column, or a column computed from the key's columns")

    def windows(self) -> None:
        """Windows must stay within one scope: an incremental load recomputes whole scopes only
        (and, where an aggregate declares bounds, the rows between two bounds of its column)."""
        needed: list[set[str]] = []
        try:
            bounded = [self.spec.column(s.bounds.column) for s in self.spec.aggregates if s.bounds is not None]
            for column in [self.spec.column(name) for name in self.spec.scope_columns] + bounded:
                if column is not None:
                    needed.append({normalize(p.text) for p in column.hash or (column.expr,)})
        except ExpressionError:
            return
        exprs: Iterable[Expr] = [s.expr for s in self.spec.derived] + [c.expr for c in self.spec.columns]
        for expr in exprs:
            try:
                partitions = window_partitions(expr.text)
            except ExpressionError:
                continue
            for partition in partitions:
                if not all(group <= partition for group in needed):
                    scope = ", ".join([*self.spec.scope_columns, *(s.bounds.column for s in self.spec.aggregates
                                                                   if s.bounds is not None)])
                    self.problem(expr.at, f"a window must PARTITION BY the scope ({scope}): incremental loads "
                                 "recompute whole scopes, so a window across scopes would see part of its rows",
                                 "partition by the scope's driver columns, or widen `scope`")


def _cycle_problems(catalog: SpecCatalog, tables: set[str]) -> list[Problem]:
    specs = target_specs(catalog)
    problems = []
    for cycle in cycles({name: [s for s in spec.sources if s in specs] for name, spec in specs.items()}):
        for name in cycle:
            if name in tables:
                spec = specs[name]
                doc = catalog.documents.get(spec.file)
                problems.append(Problem(spec.file, line_at(doc, ["driver"]),
                                        f"dependency cycle: {' -> '.join([*cycle, cycle[0]])}",
                                        "a target cannot read, directly or not, a table built from itself"))
    return problems
