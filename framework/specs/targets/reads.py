"""What a target reads of its sources, and how it picks one row per key: the part of a target's
plan that the row query (rows.py) and the change tracer (changes.py) build on. The plan (plan.py)
stands above all three, so imports run one way: plan -> rows, changes -> reads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from framework.specs.targets.bounds import MovedBounds
from framework.specs.targets.expressions import column_refs, order_sql, quote
from framework.specs.targets.model import Aggregate, Derive, Expr, Join, TargetSpec
from framework.specs.targets.sources import BRONZE, SourceInfo
from framework.specs.targets.sql import all_of, column_type, columns_of


class TargetReads:
    """A target's spec with the sources it reads: the columns read, the rows chosen per key."""

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

    @staticmethod
    def unique(alias: str, info: SourceInfo, key: list[str], order: list[str]) -> bool:
        """The key is the source's own identity, so it names one row: no ranking needed."""
        prefix = f"{alias}."
        bare = {(k[len(prefix):] if k.startswith(prefix) else k).lower() for k in key}
        return not order and bool(info.key) and bare == {quote(k).lower() for k in info.key}

    def latest_rows(self, alias: str, info: SourceInfo, relation: str, key: list[str], order: list[str],
                    where: str | None = None) -> str:
        """One row per key: the first by `order`, ties broken by content."""
        if not key or self.unique(alias, info, key, order):
            return f"SELECT {alias}.* FROM {relation} {alias}" + (f" WHERE {where}" if where else "")
        ranking = ", ".join([*order, *self.tie_break(alias, info)])
        return (f"SELECT {columns_of(alias, info.columns)} FROM (\n"
                f"  SELECT {alias}.*, row_number() OVER (PARTITION BY {', '.join(key)} ORDER BY {ranking}) AS __rn\n"
                f"  FROM {relation} {alias}{f' WHERE {where}' if where else ''}\n"
                f") {alias} WHERE __rn = 1")

    # -- what the queries share ----------------------------------------------------------------

    def scope_expr(self, name: str) -> str:
        column = self.spec.column(name)
        assert column is not None  # validated
        return column.expr.text

    def output_expr(self, name: str) -> str:
        """An output column's value over the intermediate rows, cast to its declared type."""
        column = self.spec.column(name)
        assert column is not None  # validated
        return f"CAST(({column.expr.text}) AS {column_type(column.type)})" if column.type else column.expr.text

    def kept_rows(self, scope: str | None, moved: Sequence[MovedBounds], value: Callable[[str], str]) -> tuple[str, str]:
        """A join and a condition that keep the rows of the scopes the `scope` relation lists and
        the rows between moved bounds; `value` names an output column where they apply."""
        kept = [m.between(value(m.column)) for m in moved]
        if scope is None:
            return "", " OR ".join(kept)
        names = ", ".join(quote(n) for n in self.spec.scope_columns)
        match = all_of(f"({value(n)}) <=> __s.{quote(n)}" for n in self.spec.scope_columns)
        return (f" LEFT JOIN (SELECT DISTINCT {names}, TRUE AS __hit FROM {scope}) __s ON {match}",
                " OR ".join(["__s.__hit IS NOT NULL", *kept]))

    def raw_driver_refs(self, text: str) -> bool:
        """The expression reads the driver's source columns only (not derived ones)."""
        refs = column_refs(text)
        return bool(refs) and all(r.alias == self.alias and self.driver.resolve(r.name) is not None for r in refs)

    def aggregate_rows(self, step: Aggregate, info: SourceInfo, relation: str, where: str | None) -> str:
        """The source rows an aggregate counts: one per `key` when the step declares one."""
        return self.latest_rows(step.alias, info, relation, self.source_key(step), [], where)
