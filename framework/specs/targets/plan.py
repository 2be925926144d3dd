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

from collections.abc import Sequence
from functools import cached_property

from framework.specs.targets.bounds import MovedBounds
from framework.specs.targets.changes import ALL, ChangeTracer
from framework.specs.targets.expressions import quote
from framework.specs.targets.reads import TargetReads
from framework.specs.targets.rows import RowsQuery
from framework.specs.targets.sql import Relations, all_of, column_type, columns_of

__all__ = ["ALL", "Relations", "TargetPlan", "column_type"]


class TargetPlan(TargetReads):
    """Everything the engine runs for one target, as SQL text."""

    # -- the queries -----------------------------------------------------------------------------

    def recompute(self, relations: Relations, scope: str | None = None, moved: Sequence[MovedBounds] = ()) -> str:
        """The target's rows: all of them, or those of the scopes listed by the `scope` relation
        and those between `moved` bounds (then `scope` None lists no scope)."""
        return RowsQuery(self, relations, scope, moved).sql()

    @cached_property
    def changes(self) -> ChangeTracer:
        return ChangeTracer(self)

    # -- writing -------------------------------------------------------------------------------

    def merge(self, target: str, rows: str, scope: str | None, moved: Sequence[MovedBounds] = ()) -> str:
        """MERGE the recomputed `rows` into `target`; rows of the recomputed scopes and bounds
        (all rows when there are neither, as in `recompute`) that the recomputation no longer
        produces are deleted."""
        spec = self.spec
        keys = [quote(k) for k in spec.key]
        values = [quote(c) for c in spec.output_columns if c not in spec.key]
        old = f"SELECT {', '.join(f'__o.{k}' for k in keys)} FROM {target} __o"
        if moved:
            join, condition = self.kept_rows(scope, moved, lambda name: f"__o.{quote(name)}")
            old += f"{join} WHERE {condition}"
        elif scope is not None:
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
