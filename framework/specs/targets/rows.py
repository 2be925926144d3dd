"""The query of a target's rows: the driver, each step in order, one row per key."""

from __future__ import annotations

from collections.abc import Sequence

from framework.specs.targets.bounds import MovedBounds
from framework.specs.targets.expressions import column_refs, is_generator, order_sql, quote, split_order
from framework.specs.targets.model import Aggregate, Derive, Expr, Join, Step
from framework.specs.targets.reads import TargetReads
from framework.specs.targets.sql import Query, Relations, all_of, columns_of


class RowsQuery:
    """The query of a target's rows, built step by step."""

    def __init__(self, plan: TargetReads, relations: Relations, scope: str | None,
                 moved: Sequence[MovedBounds] = ()):
        self.plan, self.relations, self.w = plan, relations, Query()
        self.scope, self.moved = scope, tuple(moved)
        # rows between moved bounds may come from any driver row: the driver is then read whole,
        # and cut down once the bounded columns can be computed (keep_moved)
        self.scoped = scope is not None and not self.moved
        self.aliases: list[str] = [plan.alias]
        self.lookups: dict[str, str] = {}  # join alias -> its lookup relation (__k0.., __v)
        self.pending: list[Aggregate] = []  # consecutive aggregates, joined together
        spec, alias = plan.spec, plan.alias
        driver_rows = f"SELECT {alias}.* FROM {relations.current[spec.driver.source]} {alias}"
        if self.scoped:
            matches = [f"({plan.scope_expr(name)}) <=> __s.{quote(name)}" for name in spec.scope_columns]
            driver_rows += f" LEFT SEMI JOIN {scope} __s ON {all_of(matches)}"
        rows = self.w.add("driver", driver_rows)
        versions = self.w.add("versions", plan.latest_rows(alias, plan.driver, rows, plan.source_key(), []))
        # the driver rows, as structs: scoped lookups read the keys they need from them
        self.base = self.current = self.w.add(
            "rows", f"SELECT struct({columns_of(alias, plan.driver.columns)}) AS {alias} FROM {versions} {alias}")

    def sql(self) -> str:
        """Each step reads the previous intermediate relation once (aggregates that follow one
        another share one), so the query stays linear in the number of steps: Spark inlines
        common table expressions at every reference."""
        cut = max((self._available_after(self.plan.output_expr(m.column)) for m in self.moved), default=None)
        if cut == -1:
            self.keep_moved()
        for index, step in enumerate(self.plan.spec.steps):
            self.add(step)
            if index == cut:
                self.flush()
                self.keep_moved()
        self.flush()
        return self.finish()

    def _available_after(self, text: str) -> int:
        """The index of the step after which an expression of the row can be computed (-1: from
        the driver rows; the last step when a reference cannot be placed)."""
        steps, at = self.plan.spec.steps, -1
        for ref in column_refs(text):
            if ref.alias == self.plan.alias:
                index = next((i for i, s in enumerate(steps) if isinstance(s, Derive) and s.name.lower() == ref.name.lower()), -1)
            elif ref.alias is not None and self.plan.spec.step_of(ref.alias) is not None:
                index = self.plan.spec.index_of(ref.alias)
            else:
                index = len(steps) - 1
            at = max(at, index)
        return at

    def keep_moved(self) -> None:
        """Keep the rows of the listed scopes and those between moved bounds, as soon as the
        bounded columns can be computed, so the later steps read only those."""
        join, condition = self.plan.kept_rows(self.scope, self.moved, self.plan.output_expr)
        aliases = ", ".join(f"__x.{a}" for a in self.aliases)
        self.current = self.w.add("kept", f"SELECT {aliases} FROM {self.current} __x{join} WHERE {condition}")

    def add(self, step: Step) -> None:
        if isinstance(step, Aggregate) and not step.is_global:
            if set(self.outer_refs(step)) & {a.alias for a in self.pending}:
                self.flush()
            self.pending.append(step)
            return
        self.flush()
        if isinstance(step, Derive):
            self.derive(step)
        elif isinstance(step, Join):
            self.join(step)
        else:
            self.global_aggregate(step)

    def _others(self) -> str:
        return "".join(f", {a}" for a in self.aliases if a != self.plan.alias)

    def derive(self, step: Derive) -> None:
        alias, value = self.plan.alias, step.expr.text
        current = self.current
        if is_generator(value):
            current = self.w.add("generate", f"SELECT __x.*, {value} AS __gen FROM {current} __x")
            value = "__gen"
        self.current = self.w.add("derive", f"SELECT struct({alias}.*, ({value}) AS {quote(step.name)}) AS {alias}"
                                            f"{self._others()} FROM {current}")

    def _values_of(self, outer: str) -> str | None:
        """A relation listing the values an expression takes over the rows at hand, when it can
        be read without the intermediate chain (from the driver rows or one earlier lookup)."""
        if self.plan.raw_driver_refs(outer):
            return f"SELECT {outer} FROM {self.base}"
        aliases = {r.alias for r in column_refs(outer)}
        if len(aliases) == 1 and (alias := next(iter(aliases))) in self.lookups:
            return f"SELECT {outer} FROM (SELECT __v AS {alias} FROM {self.lookups[alias]}) __l"
        return None

    def join(self, step: Join) -> None:
        plan, a = self.plan, step.alias
        info = plan.sources[step.source]
        where = None
        order = [order_sql(p.text) for p in step.pick]
        key = [f"{a}.{quote(c)}" for c, _ in step.on]
        if self.scoped and not plan.unique(a, info, key, order):
            # rank only the keys the rows at hand ask for (a lookup by identity needs no ranking:
            # its join does the filtering, without reading the scoped rows once more)
            filters = [f"{a}.{quote(c)} IN ({values})" for c, outer in step.on
                       if (values := self._values_of(outer.text)) is not None]
            where = all_of(filters) if filters else None
        chosen = plan.latest_rows(a, info, self.relations.current[step.source], key, order, where)
        keys = ", ".join(f"{a}.{quote(c)} AS __k{i}" for i, (c, _) in enumerate(step.on))
        lookup = self.w.add("lookup", f"SELECT {keys}, struct({columns_of(a, info.columns)}) AS __v FROM (\n{chosen}\n) {a}")
        self.lookups[a] = lookup
        match = all_of(f"__y.__k{i} = ({outer.text})" for i, (_, outer) in enumerate(step.on))
        self.current = self.w.add("join", f"SELECT __x.*, __y.__v AS {a} FROM {self.current} __x "
                                          f"LEFT JOIN {lookup} __y ON {match}")
        self.aliases.append(a)

    def _measures(self, step: Aggregate) -> tuple[str, str]:
        measures = ", ".join(f"{m.text} AS {quote(name)}" for name, m in step.measures)
        return measures, (f" WHERE {step.where.text}" if step.where is not None else "")

    def global_aggregate(self, step: Aggregate) -> None:
        plan, a = self.plan, step.alias
        measures, filters = self._measures(step)
        rows = self.w.add("source", plan.aggregate_rows(step, plan.sources[step.source],
                                                         self.relations.current[step.source], None))
        totals = self.w.add("aggregate", f"SELECT struct({measures}) AS __m FROM {rows} {a}{filters}")
        self.current = self.w.add("join", f"SELECT __x.*, __y.__m AS {a} FROM {self.current} __x "
                                          f"CROSS JOIN {totals} __y")
        self.aliases.append(a)

    def _totals(self, step: Aggregate, base: str) -> tuple[str, str]:
        """The measures per distinct match values, and the condition joining them back."""
        plan, a = self.plan, step.alias
        info = plan.sources[step.source]
        where: str | None = None
        key = plan.source_key(step)
        if self.scoped and key and not plan.unique(a, info, key, []):  # rank only the rows asked for
            conditions = [f"({s.text}) IN ({values})" for s, o in step.on
                          if self.filters_whole_keys(step, s) and plan.raw_driver_refs(o.text)
                          and (values := self._values_of(o.text)) is not None]
            where = all_of(conditions) if conditions else None
        rows = self.w.add("source", plan.aggregate_rows(step, info, self.relations.current[step.source], where))
        refs = self.outer_refs(step)
        structs = {x: f"struct({', '.join(f'{x}.{quote(c)} AS {quote(c)}' for c in cols)})" for x, cols in refs.items()}
        groups = self.w.add("groups", f"SELECT DISTINCT {', '.join(f'{v} AS {x}' for x, v in structs.items())} "
                                      f"FROM {base}")
        match = [f"({s.text}) = ({o.text})" for s, o in step.on] + ([f"({step.when.text})"] if step.when else [])
        measures, filters = self._measures(step)
        totals = self.w.add("aggregate", f"SELECT {', '.join(f'__g.{x} AS __a_{x}' for x in structs)}, "
                                         f"struct({measures}) AS __m\n"
                                         f"FROM {groups} __g JOIN {rows} {a} ON {all_of(match)}{filters}\n"
                                         f"GROUP BY {', '.join(f'__g.{x}' for x in structs)}")
        return totals, all_of(f"{{y}}.__a_{x} <=> {v}" for x, v in structs.items())

    def flush(self) -> None:
        if not self.pending:
            return
        base, selects, joins = self.current, [], []
        for index, step in enumerate(self.pending):
            totals, back = self._totals(step, base)
            selects.append(f"__y{index}.__m AS {step.alias}")
            joins.append(f"LEFT JOIN {totals} __y{index} ON {back.replace('{y}', f'__y{index}')}")
            self.aliases.append(step.alias)
        self.current = self.w.add("join", f"SELECT __x.*, {', '.join(selects)} FROM {base} __x\n" + "\n".join(joins))
        self.pending = []

    def outer_refs(self, step: Aggregate) -> dict[str, list[str]]:
        """Row columns an aggregate's match uses, per alias."""
        refs: dict[str, list[str]] = {}
        texts = [outer.text for _, outer in step.on] + ([step.when.text] if step.when else [])
        for text in texts:
            for ref in column_refs(text):
                if ref.alias and ref.alias != step.alias and ref.name not in refs.setdefault(ref.alias, []):
                    refs[ref.alias].append(ref.name)
        return refs

    def filters_whole_keys(self, step: Aggregate, source_expr: Expr) -> bool:
        """Filtering by this match value keeps all rows of a step's `key` together."""
        if not step.key:
            return True
        key_columns = set()
        for text in self.plan.source_key(step):
            key_columns |= {r.name.lower() for r in column_refs(text)}
        return all(r.name.lower() in key_columns for r in column_refs(source_expr.text))

    def finish(self) -> str:
        plan, w, current = self.plan, self.w, self.current
        spec, alias = plan.spec, plan.alias
        outputs = []
        for column in spec.columns:
            outputs.append(f"{plan.output_expr(column.name)} AS {quote(column.name)}")
        ranks = []
        for index, item in enumerate(spec.order):
            expr, descending, nulls = split_order(item.text)
            outputs.append(f"({expr}) AS __o{index}")
            ranks.append(f"__o{index}{' DESC' if descending else ''}{f' NULLS {nulls}' if nulls else ''}")
        # rows competing for a target key come from different source rows: the whole row breaks
        # ties (a row re-sent unchanged keeps its metadata, so it cannot change the winner)
        outputs.append(f"{alias} AS __row")
        ranks.append("__row")
        where = f"\nWHERE {spec.where.text}" if spec.where is not None else ""
        final = w.add("final", f"SELECT {', '.join(outputs)}\nFROM {current}{where}")
        partition = ", ".join(quote(k) for k in spec.key)
        ranked = w.add("ranked", f"SELECT *, row_number() OVER (PARTITION BY {partition} ORDER BY {', '.join(ranks)}) "
                                 f"AS __rn FROM {final}")
        names = ", ".join(quote(c) for c in spec.column_names)
        return w.render(f"SELECT {names}, current_timestamp() AS {quote(spec.load_timestamp)} "
                        f"FROM {ranked} WHERE __rn = 1")
