"""The current state of a bronze source: one row per identity, what targets read.

Bronze is append-only history: a full re-export delivers most rows again. The current state
(`<source>_current`, a Delta table with its change data feed on) keeps one row per identity
(`Identity` in the bronze spec) and changes only where the content changed, so the targets,
which read its change feed, recompute only what a delivery really changed.

The state is a function of the bronze history (runs in run id order):
- a run *carries* an identity's partition (its key, its group, or the row itself) when it
  holds a row of it. Per partition and run the rows are de-duplicated (exact duplicates are one
  row); a keyed partition keeps one row (the latest file, then the smallest content); a group
  keeps its rows, numbered 1, 2, ... by the identity's `order`, ties by content (its `line`);
- a partition's current rows are those of the latest run that carries it: a group that comes
  back with fewer rows loses the rest, and a partition no later run carries stays as it was
  (Synthea's history window is not a deletion);
- each current row keeps the values (metadata and ignored columns included) of the first run of
  its final streak: the run since which every carrying run delivered that line with the same
  content. A row re-sent unchanged is therefore not a change at all.

A load applies only the new runs: the same computation over them alone, MERGEd so that a row is
rewritten only when its content changed, or when the new runs broke its streak (content that
changed and came back). That equals the computation over the whole history as long as the new
runs are later than every run already applied; a run that committed late makes the load
recompute the whole state instead (the engine checks that).
"""

from __future__ import annotations

from dataclasses import dataclass

from framework.specs.bronze import GROUP, ROW, BronzeSpec
from framework.specs.catalog import SpecCatalog
from framework.specs.targets.expressions import quote
from framework.specs.targets.sources import target_specs
from framework.specs.targets.sql import merged_table_properties
from framework.text import sql_string

#: delivery metadata a current row keeps (that of the first run of its final streak)
METADATA = ("ingest_run_id", "ingest_timestamp", "source_file")
#: bronze's record of values that did not fit their type: content like any column
RESCUE = ("_rescued_data", "_rescue_reason")
RUN = "ingest_run_id"


def current_sources(catalog: SpecCatalog) -> list[str]:
    """The bronze sources some target reads: those that keep a current state."""
    read = {name for spec in target_specs(catalog).values() for name in spec.sources}
    return sorted(s for s in catalog.bronze if s in read)


def _on(left: str, right: str, columns: tuple[str, ...]) -> str:
    return " AND ".join(f"{left}.{c} <=> {right}.{c}" for c in columns) or "TRUE"


def _struct(alias: str, columns: tuple[str, ...]) -> str:
    return "struct(" + ", ".join(f"{alias}.{c}" for c in columns) + ")"


@dataclass(frozen=True)
class CurrentStatePlan:
    """The SQL of one source's current state: built whole, or MERGEd from new runs."""

    spec: BronzeSpec

    @property
    def declared(self) -> tuple[str, ...]:
        return tuple(quote(c) for c in self.spec.column_names)

    @property
    def line(self) -> str | None:
        return quote(self.spec.identity.line) if self.spec.identity.mode == GROUP and self.spec.identity.line else None

    @property
    def values(self) -> tuple[str, ...]:
        """What a row holds besides its metadata and line: every column, the rescued values too."""
        return (*self.declared, *RESCUE)

    @property
    def content(self) -> tuple[str, ...]:
        ignored = {c.lower() for c in self.spec.identity.ignore}
        return tuple(c for c in self.values if c.strip("`").lower() not in ignored)

    @property
    def partition(self) -> tuple[str, ...]:
        identity = self.spec.identity
        if identity.mode == ROW:
            return self.values
        return tuple(quote(c) for c in (identity.key or identity.group))

    @property
    def identity(self) -> tuple[str, ...]:
        """The columns a current row is found by."""
        return (*self.partition, self.line) if self.line else self.partition

    @property
    def columns(self) -> tuple[str, ...]:
        """The table's columns, in order."""
        line = (self.line,) if self.line else ()
        return (*self.declared, *line, *RESCUE, *METADATA)

    def rows(self, bronze: str, present: set[str], runs: list[str] | None) -> str:
        """The bronze rows of the given runs (all when None), declared columns that the table
        lacks (optional columns of older exports) as NULL."""
        have = {c.lower() for c in present}
        picked = [quote(c.name) if c.name.lower() in have else f"CAST(NULL AS {c.sql_type}) AS {quote(c.name)}"
                  for c in self.spec.columns]
        where = f" WHERE {RUN} IN ({', '.join(sql_string(r) for r in runs)})" if runs is not None else ""
        return f"SELECT {', '.join([*picked, *RESCUE, *METADATA])} FROM {bronze}{where}"

    def _versions(self) -> str:
        """Per partition and run, the rows it carries (`__line` numbered), duplicates dropped.
        A group's rows are shuffled and sorted once, in the order of its last window, the `lag`
        (every value, then the latest file first); the dense rank's order, without the file, is a
        prefix of it, so neither window sorts again. That order names every value, so a duplicate
        comes right after its twin and ties with it: `__line`, the dense rank of the values,
        numbers the distinct rows, and a row whose `__line` is the row before's is a twin, dropped
        (the latest file's copy stays).
        (Comparing each value with the row before's, a `lag` per column, cost a quarter of the
        state's time at 10,000 patients; a first window partitioned by the whole row, to drop the
        duplicates, cost a shuffle and a sort of its own.)"""
        partition = ", ".join(self.partition)
        kept = ", ".join((*self.values, *METADATA))
        if self.line is None:  # one row per partition and run: the latest file's, then the smallest
            ties = "" if self.spec.identity.mode == ROW else "".join(f", {c}" for c in self.values)
            return (f"SELECT {kept}, 1 AS __line FROM (SELECT __v.*, row_number() OVER (PARTITION BY "
                    f"{partition}, {RUN} ORDER BY source_file DESC{ties}) AS __n FROM __rows __v) WHERE __n = 1")
        # the content first, then the ignored columns: the order of struct(content), struct(values)
        ignored = [c for c in self.values if c not in self.content]
        order = ", ".join([*self.spec.identity.order, *self.content, *ignored])
        window = f"PARTITION BY {partition}, {RUN} ORDER BY {order}"
        # the window's distribution and the last window's order, given once (a window on top of
        # this finds both satisfied); correct without it, the windows would sort for themselves
        sorted_rows = (f"SELECT * FROM __rows DISTRIBUTE BY {partition}, {RUN} "
                       f"SORT BY {partition}, {RUN}, {order}, source_file DESC")
        return (f"SELECT {kept}, __line FROM (SELECT __v.*, lag(__line) OVER ({window}, source_file DESC) <=> __line "
                f"AS __twin FROM (\n  SELECT __v.*, dense_rank() OVER ({window}) AS __line FROM ({sorted_rows}) __v) __v)\n"
                "WHERE NOT __twin")

    def state(self, rows: str, single_run: bool) -> str:
        """The state the given bronze rows make, with `__unbroken`: true when every run among
        them that carries a row's partition delivered that row with the same content."""
        output = ", ".join([*(f"__m.{c}" for c in (*self.declared, *RESCUE, *METADATA)),
                            *([f"__m.__line AS {self.line}"] if self.line else [])])
        head = f"WITH __rows AS ({rows}),\n__d AS ({self._versions()})"
        if single_run:
            return f"{head}\nSELECT {output}, TRUE AS __unbroken FROM __d __m"
        # windows only (Spark's optimizer chokes on joins over wide null-safe comparisons): each
        # carrying run of a partition gets an ordinal; going back from the latest run, a line's
        # streak lasts while it is present at each earlier ordinal with the final content
        keys = ", ".join(self.partition)
        content = _struct("__d", self.content)
        return (f"{head},\n"
                f"__k AS (SELECT __d.*, {content} AS __c, dense_rank() OVER (PARTITION BY {keys} ORDER BY {RUN}) AS __k\n"
                f"  FROM __d),\n"
                f"__i AS (SELECT *, max(__k) OVER (PARTITION BY {keys}) AS __last,\n"
                f"  row_number() OVER (PARTITION BY {keys}, __line ORDER BY {RUN} DESC) AS __i,\n"
                f"  first_value(__c) OVER (PARTITION BY {keys}, __line ORDER BY {RUN} DESC) AS __final FROM __k),\n"
                f"__s AS (SELECT *, min(CASE WHEN __k = __last - __i + 1 AND __c <=> __final THEN 1 ELSE 0 END)\n"
                f"  OVER (PARTITION BY {keys}, __line ORDER BY {RUN} DESC ROWS UNBOUNDED PRECEDING) AS __streak FROM __i),\n"
                f"__st AS (SELECT *, row_number() OVER (PARTITION BY {keys}, __line ORDER BY {RUN}) AS __first\n"
                f"  FROM __s WHERE __streak = 1)\n"
                f"SELECT {output}, __m.__k = 1 AS __unbroken FROM __st __m WHERE __m.__first = 1")

    def build(self, table: str, rows: str, single_run: bool, *, replace: bool = False) -> str:
        """CREATE TABLE of the state the rows make (the first load of a source; `replace`: a
        full refresh, the table made anew from the whole history)."""
        verb = "CREATE OR REPLACE TABLE" if replace else "CREATE TABLE"
        return (f"{verb} {table} USING DELTA TBLPROPERTIES ({merged_table_properties()}) AS\n"
                f"SELECT {', '.join(self.columns)} FROM (\n{self.state(rows, single_run)}\n) __s")

    def merge(self, table: str, rows: str, single_run: bool, *, whole: bool) -> str:
        """MERGE the state of the new runs' rows into the table. `whole`: the rows are the whole
        history, the table is made equal to their state (rows no longer produced are deleted)."""
        state = self.state(rows, single_run)
        identity = self.identity
        if whole:  # no streak of the table's rows is trusted: rows differing in anything are rewritten
            source = f"SELECT {', '.join(self.columns)}, FALSE AS __unbroken, FALSE AS __delete FROM ({state}) __n"
        elif self.line is not None:  # a group carried again loses the lines it no longer has
            p = self.partition
            old = (f"SELECT {', '.join(f'__o.{c}' for c in identity)} FROM {table} __o LEFT SEMI JOIN "
                   f"(SELECT DISTINCT {', '.join(p)} FROM __n) __g ON {_on('__o', '__g', p)}")
            picked = [f"coalesce(__n.{c}, __o.{c}) AS {c}" for c in identity]
            rest = [f"__n.{c}" for c in self.columns if c not in identity]
            source = (f"WITH __n AS ({state})\nSELECT {', '.join([*picked, *rest])}, __n.__unbroken, "
                      f"__n.__unbroken IS NULL AS __delete\nFROM __n FULL OUTER JOIN ({old}) __o "
                      f"ON {_on('__n', '__o', identity)}")
        else:
            source = f"SELECT *, FALSE AS __delete FROM ({state}) __n"
        differs = f"NOT ({_struct('__t', self.columns)} <=> {_struct('__s', self.columns)})"
        resent = f"__s.__unbroken AND {_struct('__t', self.content)} <=> {_struct('__s', self.content)}"
        columns = ", ".join(self.columns)
        merge = (f"MERGE INTO {table} __t\nUSING (\n{source}\n) __s\nON {_on('__t', '__s', identity)}\n"
                 f"WHEN MATCHED AND __s.__delete THEN DELETE\n"
                 f"WHEN MATCHED AND {differs} AND NOT ({resent}) THEN UPDATE SET "
                 f"{', '.join(f'__t.{c} = __s.{c}' for c in self.columns)}\n"
                 f"WHEN NOT MATCHED AND NOT __s.__delete THEN INSERT ({columns}) "
                 f"VALUES ({', '.join(f'__s.{c}' for c in self.columns)})")
        if whole:
            merge += "\nWHEN NOT MATCHED BY SOURCE THEN DELETE"
        return merge
