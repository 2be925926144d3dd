"""SQL plans of a target: the rows it should hold, which rows a change touches, and the MERGE.

The planner writes Spark SQL around the spec's expressions, which it never rewrites: each alias
of the spec is a struct column of the intermediate rows (`t`, `p`, `cov`, ...), so `t.PATIENT`
means the same thing in the YAML and in every query built from it.

Incremental loads rest on one idea: a target row is a function of the bronze (or target) rows
it reads, so when some of those change, recomputing the affected *scopes* (groups of target
rows, by default one key) from all current rows gives exactly what a full rebuild gives. The
planner finds the scopes a change touches by following each changed source back to the driver:

- driver rows: a key whose latest version changed (in the columns the spec reads) -> its scope;
- a join: a join key whose chosen row changed -> the rows of the step that joined on it, back
  through earlier joins (e.g. organization -> encounters -> claim lines) to the driver;
- an aggregate: the match values of changed source rows (old and new versions) -> same path;
- a global aggregate or reference data that changed: every scope (the engine checks the former).

Sources are read through *relations* the engine names: each source's current rows, its rows
as this target last saw them, and its changed rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

from framework.specs.targets.changes import ALL, ChangeTracer
from framework.specs.targets.expressions import column_refs, order_sql, quote
from framework.specs.targets.model import Aggregate, Derive, Expr, Join, TargetSpec
from framework.specs.targets.rows import RowsQuery
from framework.specs.targets.sources import BRONZE, SourceInfo
from framework.specs.targets.sql import Relations, all_of, column_type, columns_of

__all__ = ["ALL", "Relations", "TargetPlan", "column_type"]


class TargetPlan:
    """Everything the engine runs for one target, as SQL text."""

    def __init__(self, spec: TargetSpec, sources: Mapping[str, SourceInfo]):
        self.spec = spec
        self.sources = sources
        self.driver = sources[spec.driver.source]
        self.alias = spec.driver.alias
        self.read = self._referenced_columns()

    # -- what the spec reads -------------------------------------------------------------------

    def _contexts(self) -> Iterable[tuple[Expr, str | None]]:
        spec = self.spec
        for expr in spec.driver.key or ():
            yield expr, self.alias
        for step in spec.steps:
            if isinstance(step, Derive):
                yield step.expr, None
            elif isinstance(step, Join):
                yield from ((outer, None) for _, outer in step.on)
                yield from ((Expr(order_sql(p.text), p.at), step.alias) for p in step.pick)
            else:
                for source_expr, outer in step.on:
                    yield source_expr, step.alias
                    yield outer, None
                optional = (step.when, step.where, *(step.key or ()), *(m for _, m in step.measures))
                yield from ((e, step.alias) for e in optional if e is not None)
        if spec.where is not None:
            yield spec.where, None
        yield from ((Expr(order_sql(o.text), o.at), None) for o in spec.order)
        yield from ((c.expr, None) for c in spec.columns)

    def _referenced_columns(self) -> dict[str, set[str]]:
        """Source columns each alias's rows are read for (declared spellings)."""
        infos = {self.alias: self.driver} | {
            s.alias: self.sources[s.source] for s in self.spec.steps if isinstance(s, Join | Aggregate)}
        read: dict[str, set[str]] = {alias: set() for alias in infos}
        for expr, local in self._contexts():
            for ref in column_refs(expr.text):
                alias = ref.alias or local
                if alias in infos:
                    resolved = infos[alias].resolve(ref.name)
                    if resolved is not None:
                        read[alias].add(resolved)
        return read

    def source_key(self, step: Join | Aggregate | None = None) -> list[str]:
        """Expressions of which each row read must have its own values (none: every row counts).
        Every source holds one row per identity already (bronze sources are read through their
        current state); a spec's `key` narrows that down, a join picks one row per join key."""
        if step is None:
            return [e.text for e in self.spec.driver.key or ()]
        if isinstance(step, Join):
            return [quote(column) for column, _ in step.on]
        return [e.text for e in step.key or ()]

    @staticmethod
    def tie_break(alias: str, info: SourceInfo) -> list[str]:
        """The last ranking terms: the latest delivered content (bronze sources), then the whole
        row, so the choice never depends on reading order."""
        latest = [f"{alias}.ingest_run_id DESC"] if info.kind == BRONZE else []
        return [*latest, f"struct({columns_of(alias, info.columns)})"]

    def latest_rows(self, alias: str, info: SourceInfo, relation: str, key: list[str], order: list[str],
                    where: str | None = None) -> str:
        """One row per key: the first by `order`, ties broken by content."""
        prefix = f"{alias}."
        bare = {(k[len(prefix):] if k.startswith(prefix) else k).lower() for k in key}
        unique = not order and bool(info.key) and bare == {quote(k).lower() for k in info.key}
        if not key or unique:
            return f"SELECT {alias}.* FROM {relation} {alias}" + (f" WHERE {where}" if where else "")
        ranking = ", ".join([*order, *self.tie_break(alias, info)])
        return (f"SELECT {columns_of(alias, info.columns)} FROM (\n"
                f"  SELECT {alias}.*, row_number() OVER (PARTITION BY {', '.join(key)} ORDER BY {ranking}) AS __rn\n"
                f"  FROM {relation} {alias}{f' WHERE {where}' if where else ''}\n"
                f") {alias} WHERE __rn = 1")

    # -- the queries -----------------------------------------------------------------------------

    def recompute(self, relations: Relations, scope: str | None = None) -> str:
        """The target's rows: all of them, or those of the scopes listed by the `scope` relation."""
        return RowsQuery(self, relations, scope).sql()

    @cached_property
    def changes(self) -> ChangeTracer:
        return ChangeTracer(self)

    def scope_expr(self, name: str) -> str:
        column = self.spec.column(name)
        assert column is not None  # validated
        return column.expr.text

    def raw_driver_refs(self, text: str) -> bool:
        """The expression reads the driver's source columns only (not derived ones)."""
        refs = column_refs(text)
        return bool(refs) and all(r.alias == self.alias and self.driver.resolve(r.name) is not None for r in refs)

    def aggregate_rows(self, step: Aggregate, info: SourceInfo, relation: str, where: str | None) -> str:
        """The source rows an aggregate counts: one per `key` when the step declares one."""
        return self.latest_rows(step.alias, info, relation, self.source_key(step), [], where)

    # -- writing -------------------------------------------------------------------------------

    def merge(self, target: str, rows: str, scope: str | None) -> str:
        """MERGE the recomputed `rows` into `target`; rows of the recomputed scopes (all rows when
        `scope` is None) that the recomputation no longer produces are deleted."""
        spec = self.spec
        keys = [quote(k) for k in spec.key]
        values = [quote(c) for c in spec.output_columns if c not in spec.key]
        old = f"SELECT {', '.join(keys)} FROM {target} __o"
        if scope is not None:
            old += " LEFT SEMI JOIN {} __s ON {}".format(
                scope, all_of(f"__o.{quote(n)} <=> __s.{quote(n)}" for n in spec.scope_columns))
        source = (f"SELECT {', '.join(f'coalesce(__n.{k}, __d.{k}) AS {k}' for k in keys)}, "
                  f"{', '.join(f'__n.{v}' for v in values)}, __n.__present IS NULL AS __delete\n"
                  f"FROM (SELECT *, TRUE AS __present FROM {rows}) __n FULL OUTER JOIN ({old}) __d "
                  f"ON {all_of(f'__n.{k} <=> __d.{k}' for k in keys)}")
        compared = [c for c in spec.column_names if c not in spec.key]
        changed = (f"NOT (struct({columns_of('__t', compared)}) <=> struct({columns_of('__s', compared)}))"
                   if compared else "FALSE")
        every = [*keys, *values]
        return (f"MERGE INTO {target} __t\nUSING (\n{source}\n) __s\n"
                f"ON {all_of(f'__t.{k} <=> __s.{k}' for k in keys)}\n"
                f"WHEN MATCHED AND __s.__delete THEN DELETE\n"
                f"WHEN MATCHED AND {changed} THEN UPDATE SET {', '.join(f'__t.{v} = __s.{v}' for v in values)}\n"
                f"WHEN NOT MATCHED AND NOT __s.__delete THEN INSERT ({', '.join(every)}) "
                f"VALUES ({', '.join(f'__s.{c}' for c in every)})")
