"""Which scopes a change touches: the diff of each changed source, traced back to the driver."""

from __future__ import annotations

from collections.abc import Iterable

from framework.specs.targets.expressions import column_refs, order_sql, quote
from framework.specs.targets.model import Aggregate, Join
from framework.specs.targets.reads import TargetReads
from framework.specs.targets.sources import REFERENCE, SourceInfo
from framework.specs.targets.sql import Query, Relations, all_of, columns_of

ALL = None  # "every scope": returned where a change cannot be traced to scopes


class ChangeTracer:
    """The scope queries of one target."""

    def __init__(self, plan: TargetReads):
        self.plan = plan
        self.spec = plan.spec
        self.sources = plan.sources
        self.driver = plan.driver
        self.alias = plan.alias

    def always_everything(self, source: str) -> bool:
        """A change of this source cannot be traced to scopes: every scope is recomputed."""
        if self.sources[source].kind == REFERENCE:
            return True
        return any(isinstance(step, Join | Aggregate) and step.source == source and step.on
                   and self._propagation_path(index) is None for index, step in enumerate(self.spec.steps))

    def touches_scopes(self, source: str) -> bool:
        """Changes of this source are traced to scopes (it drives, or a step matches on it)."""
        return source == self.spec.driver.source or any(
            isinstance(s, Join | Aggregate) and s.source == source and s.on for s in self.spec.steps)

    def global_aggregates(self, source: str) -> list[Aggregate]:
        return [s for s in self.spec.aggregates if s.source == source and s.is_global]

    def global_change(self, step: Aggregate, relations: Relations) -> str:
        """One row: did a global aggregate's measures change since the target last saw them
        (`changed`), and the measures then and now (`old`, `new`: structs)."""
        info, a = self.sources[step.source], step.alias
        measures = ", ".join(f"{m.text} AS {quote(name)}" for name, m in step.measures)
        filters = f" WHERE {step.where.text}" if step.where is not None else ""

        def totals(relation: str) -> str:
            return (f"(SELECT struct({measures}) FROM ({self.plan.aggregate_rows(step, info, relation, None)}) "
                    f"{a}{filters})")

        return (f"SELECT NOT (__old <=> __new) AS changed, __old AS old, __new AS new FROM (SELECT "
                f"{totals(relations.previous[step.source])} AS __old, {totals(relations.current[step.source])} "
                f"AS __new) __b")

    def scope_query(self, relations: Relations, changed: Iterable[str]) -> str | None:
        """Distinct scope tuples touched by the changed sources; ALL (None) when untraceable."""
        w, parts, probes = Query(), [], []
        for source in sorted(set(changed)):
            if self.always_everything(source):
                return ALL
            if source == self.spec.driver.source:
                parts.append(self._driver_changes(w, relations))
            for index, step in enumerate(self.spec.steps):
                if isinstance(step, Join | Aggregate) and step.source == source and step.on:
                    values = self._step_changes(w, step, relations)
                    probe = self._propagate(w, index, values, relations)
                    if probe is None:
                        return ALL
                    probes.append(probe)
        if probes:
            parts.append(self._driver_hits(w, relations, probes))
        names = ", ".join(quote(n) for n in self.spec.scope_columns)
        if not parts:
            empty = ", ".join(f"CAST(NULL AS STRING) AS {quote(n)}" for n in self.spec.scope_columns)
            return f"SELECT {empty} WHERE FALSE"
        union = "\nUNION\n".join(f"SELECT {names} FROM {p}" for p in parts)
        return w.render(f"SELECT DISTINCT * FROM (\n{union}\n) __u")

    def _driver_hits(self, w: Query, relations: Relations, probes: list[tuple[str, list[tuple[str, int]]]]) -> str:
        """The scopes of the driver rows any probe matches, in one pass over the driver: each
        probe (distinct values, and the driver expressions compared with them) is a left join
        that finds at most one row, so the driver is read once however many sources changed."""
        joins, hits = [], []
        for n, (values, pairs) in enumerate(probes):
            match = all_of(f"({outer}) <=> __h{n}.__v{i}" for outer, i in pairs)
            joins.append(f"LEFT JOIN (SELECT *, TRUE AS __hit FROM {values}) __h{n} ON {match}")
            hits.append(f"__h{n}.__hit IS NOT NULL")
        driver = relations.current[self.spec.driver.source]
        return w.add("touched", f"SELECT DISTINCT {self._scope_select()} FROM {driver} {self.alias}\n"
                                + "\n".join(joins) + f"\nWHERE {' OR '.join(hits)}")

    def _scope_select(self) -> str:
        return ", ".join(f"({self.plan.scope_expr(n)}) AS {quote(n)}" for n in self.spec.scope_columns)

    def _driver_changes(self, w: Query, relations: Relations) -> str:
        source = self.spec.driver.source
        # rows of the source's own identity: an update of columns the target does not read
        # (a patient's running totals, say) then touches nothing
        key = self.plan.source_key() or [quote(k) for k in self.driver.key]
        values = self._changed_values(w, self.alias, self.driver, relations, source, key, [],
                                      self.plan.read[self.alias], [self.plan.scope_expr(n) for n in self.spec.scope_columns])
        renamed = ", ".join(f"__v{i} AS {quote(n)}" for i, n in enumerate(self.spec.scope_columns))
        return w.add("touched", f"SELECT {renamed} FROM {values}")

    def _step_changes(self, w: Query, step: Join | Aggregate, relations: Relations) -> str:
        info = self.sources[step.source]
        if isinstance(step, Join):
            values = [f"{step.alias}.{quote(c)}" for c, _ in step.on]
            order = [order_sql(p.text) for p in step.pick]
            key = values
        else:
            values = [s.text for s, _ in step.on]
            order = []
            key = self.plan.source_key(step)
        return self._changed_values(w, step.alias, info, relations, step.source, key, order,
                                    self.plan.read[step.alias], values)

    def _changed_values(self, w: Query, a: str, info: SourceInfo, relations: Relations, source: str,
                        key: list[str], order: list[str], compared: Iterable[str], values: list[str]) -> str:
        """`values` (as __v0, __v1, ...) of the old and new chosen rows of every key whose chosen
        row changed in the compared columns; a key's chosen row is the first by `order`, then its
        latest version."""
        picked = ", ".join(f"({v}) AS __v{i}" for i, v in enumerate(values))
        if not key:  # every row stands alone: its values are touched
            return w.add("values", f"SELECT DISTINCT {picked} FROM {relations.changed[source]} {a}")
        keys = ", ".join(f"({k}) AS __k{i}" for i, k in enumerate(key))
        compare = ", ".join(["TRUE AS __present", *(f"{a}.{quote(c)}" for c in sorted(compared))])
        carried = columns_of(a, _read_by(a, info, values))
        if source in relations.events and self.plan.unique(a, info, key, order):
            diff = self._event_diff(w, a, relations.events[source], keys, compare, carried, len(key))
        else:
            diff = self._snapshot_diff(w, a, info, relations, source, key, order, keys, compare, carried)
        # both versions of each changed row, one reference to the diff (a CTE read twice is computed twice)
        both = w.add("versions", f"SELECT __r.* FROM (SELECT explode(array(__cr, __pr)) AS __r FROM {diff}) "
                                 f"WHERE __r IS NOT NULL")
        return w.add("values", f"SELECT DISTINCT {picked} FROM {both} {a}")

    @staticmethod
    def _event_diff(w: Query, a: str, events: str, keys: str, compare: str, carried: str, width: int) -> str:
        """The old and new rows of each changed key, from the change events alone: the key names
        one row, so its first event before any insert holds the old row (a pre-image or a delete;
        none when the key was inserted) and its last event the new one (a post-image or an
        insert; none when deleted). Within a commit the old images come first."""
        group = ", ".join(f"__k{i}" for i in range(width))
        rows = w.add("events", f"SELECT {keys}, struct(_change_type IN ('insert', 'update_postimage') AS __after, "
                               f"struct({compare}) AS __cmp, struct({carried}) AS __row) AS __e, "
                               f"_commit_version AS __at FROM {events} {a}")
        rank = "struct(__at, __e.__after)"
        ends = w.add("ends", f"SELECT min_by(__e, {rank}) AS __first, max_by(__e, {rank}) AS __last "
                             f"FROM {rows} GROUP BY {group}")
        old = "CASE WHEN NOT __first.__after THEN __first.{} END"
        new = "CASE WHEN __last.__after THEN __last.{} END"
        return w.add("diff", f"SELECT {new.format('__row')} AS __cr, {old.format('__row')} AS __pr FROM {ends} "
                             f"WHERE NOT ({new.format('__cmp')} <=> {old.format('__cmp')})")

    def _snapshot_diff(self, w: Query, a: str, info: SourceInfo, relations: Relations, source: str, key: list[str],
                       order: list[str], keys: str, compare: str, carried: str) -> str:
        """The old and new chosen rows of each changed key, read from the source as it is now and
        as this target last saw it (a key that ranks several rows: a change of one may change
        which row is chosen)."""
        touched = w.add("keys", f"SELECT DISTINCT {keys} FROM {relations.changed[source]} {a}")
        semi = all_of(f"({k}) <=> __t.__k{i}" for i, k in enumerate(key))

        def chosen(relation: str) -> str:
            rows = self.plan.latest_rows(a, info, f"(SELECT {a}.* FROM {relation} {a} LEFT SEMI JOIN {touched} __t "
                                                f"ON {semi})", key, order)
            return f"SELECT {keys}, struct({compare}) AS __cmp, struct({carried}) AS __row FROM ({rows}) {a}"

        new = w.add("new", chosen(relations.current[source]))
        old = w.add("old", chosen(relations.previous[source]))
        same_key = all_of(f"__c.__k{i} <=> __p.__k{i}" for i in range(len(key)))
        return w.add("diff", f"SELECT __c.__row AS __cr, __p.__row AS __pr FROM {new} __c FULL OUTER JOIN {old} __p "
                             f"ON {same_key} WHERE NOT (__c.__cmp <=> __p.__cmp)")

    def _propagation_path(self, index: int) -> list[tuple[int, list[int]]] | None:
        """How step `index`'s match values lead back to the driver: the steps passed through,
        each with the match pairs used; None when they do not."""
        step = self.spec.steps[index]
        assert isinstance(step, Join | Aggregate)
        raw = set(self.driver.columns)
        groups: dict[str, list[int]] = {}
        for i, (_, outer) in enumerate(step.on):
            refs = column_refs(outer.text)
            aliases = {r.alias for r in refs}
            if len(aliases) != 1 or None in aliases:
                continue
            alias = next(iter(aliases))
            if alias is None:
                continue
            if alias == self.alias and all(self.driver.resolve(r.name) in raw for r in refs):
                groups.setdefault(alias, []).append(i)
            elif alias != self.alias:
                earlier = next((j for j, s in enumerate(self.spec.steps[:index])
                                if isinstance(s, Join) and s.alias == alias), None)
                if earlier is not None:
                    groups.setdefault(alias, []).append(i)
        if self.alias in groups:
            return [(index, groups[self.alias])]
        for alias, pairs in groups.items():
            rest = self._propagation_path(self.spec.index_of(alias))
            if rest is not None:
                return [(index, pairs), *rest]
        return None

    def _propagate(self, w: Query, index: int, values: str, relations: Relations
                   ) -> tuple[str, list[tuple[str, int]]] | None:
        """How the changed `values` of step `index` reach the driver: distinct values, and the
        driver expressions matched with them (`__v<i>`); None when they do not lead back."""
        path = self._propagation_path(index)
        if path is None:
            return None
        for position, (step_index, pairs) in enumerate(path):
            step = self.spec.steps[step_index]
            assert isinstance(step, Join | Aggregate)
            if position == len(path) - 1:  # the pairs read the driver
                return values, [(step.on[i][1].text, i) for i in pairs]
            # the pairs read an earlier join: its rows with those values give its own match values
            match = all_of(f"({step.on[i][1].text}) <=> __v.__v{i}" for i in pairs)
            via = self.spec.steps[path[position + 1][0]]
            assert isinstance(via, Join)
            keys = ", ".join(f"{via.alias}.{quote(c)} AS __v{j}" for j, (c, _) in enumerate(via.on))
            values = w.add("values", f"SELECT DISTINCT {keys} FROM {relations.current[via.source]} {via.alias} "
                                     f"LEFT SEMI JOIN {values} __v ON {match}")
        return None  # unreachable: the path ends at the driver


def _read_by(alias: str, info: SourceInfo, expressions: Iterable[str]) -> list[str]:
    """The source's columns the expressions read (all of them when one cannot be told)."""
    read: list[str] = []
    for text in expressions:
        for ref in column_refs(text):
            name = info.resolve(ref.name) if ref.alias in (alias, None) and ref.name != "*" else None
            if name is None:
                return list(info.columns)
            if name not in read:
                read.append(name)
    return read or list(info.columns)
