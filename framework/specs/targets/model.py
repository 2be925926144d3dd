"""Target specs (silver and gold tables): what a `tables/<layer>/<table>.yml` file declares.

A target is built from one *driver* source (one output row per driver row, or per key after
deduplication), enriched by an ordered list of *steps*:

- `derive`: a named expression added to the driver row (windows and `explode` allowed);
- `join`: a to-one lookup of another source: one row per join key, its latest version;
- `aggregate`: measures of another source's rows grouped by the join values (a spine lookup).

then filtered (`where`), reduced to one row per `key` (the winner chosen by `order`, then by
the driver's latest version) and projected to `columns`. Every element remembers where it
stood in its YAML file (`at`), so problems point at a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: A location in a YAML document: the keys and list indexes leading to a node.
At = tuple[str | int, ...]

#: Layers that hold targets, in build order (bronze comes before both).
TARGET_LAYERS = ("silver", "gold")
LAYER_RANK = {"bronze": 0, "silver": 1, "gold": 2, "reference": 0}
DEFAULT_LOAD_TIMESTAMP = "silver_load_timestamp"


@dataclass(frozen=True)
class Expr:
    """A Spark SQL expression as written in the spec, and where it was written."""

    text: str
    at: At

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Driver:
    source: str
    alias: str
    #: expressions identifying one source row across deliveries; the latest version wins.
    #: None: the source's declared key (bronze `keys`); empty: every row stands alone.
    key: tuple[Expr, ...] | None
    at: At = ("driver",)


@dataclass(frozen=True)
class Derive:
    name: str
    expr: Expr
    at: At


@dataclass(frozen=True)
class Join:
    """A to-one lookup: `on` maps a column of the joined source to an expression of the row."""

    alias: str
    source: str
    on: tuple[tuple[str, Expr], ...]
    #: which row wins per join key when the key is not the source's own key (then: its latest
    #: version); e.g. the earliest condition of an encounter.
    pick: tuple[Expr, ...]
    at: At


@dataclass(frozen=True)
class Bounds:
    """What a global aggregate's measures mean to the target: its rows exist only where the
    output `column` lies between the measures `lower` and `upper`, and nothing else reads them
    (gold's span of encounter months, say). When the measures move, only the rows between the
    old and the new bounds change, so an incremental load recomputes those, not every scope."""

    column: str
    lower: str
    upper: str
    at: At


@dataclass(frozen=True)
class Aggregate:
    """Measures over the source rows matching `on` (source expression -> row expression)."""

    alias: str
    source: str
    on: tuple[tuple[Expr, Expr], ...]
    measures: tuple[tuple[str, Expr], ...]
    when: Expr | None  # extra match condition; may use the row's aliases
    where: Expr | None  # filter of the source rows alone
    key: tuple[Expr, ...] | None  # versions of one source row: the latest counts once
    at: At
    bounds: Bounds | None = None  # global aggregates only

    @property
    def is_global(self) -> bool:
        """No `on`: one set of measures over the whole source, beside every row."""
        return not self.on


Step = Derive | Join | Aggregate


@dataclass(frozen=True)
class Column:
    name: str
    expr: Expr  # for `hash:` columns, the expanded hash expression
    type: str | None = None
    hash: tuple[Expr, ...] = ()
    description: str = ""
    at: At = ()


@dataclass(frozen=True)
class TargetSpec:
    kind: str  # "silver" | "gold"
    table: str
    file: Path
    driver: Driver
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    steps: tuple[Step, ...] = ()
    where: Expr | None = None
    #: output columns whose values identify the rows recomputed together (default: the key)
    scope: tuple[str, ...] = ()
    order: tuple[Expr, ...] = ()
    load_timestamp: str = DEFAULT_LOAD_TIMESTAMP
    description: str = ""
    tags: tuple[str, ...] = ()

    @property
    def layer(self) -> str:
        return self.kind

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def output_columns(self) -> list[str]:
        """Every column of the table, the engine-managed load timestamp last."""
        return [*self.column_names, self.load_timestamp]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def scope_columns(self) -> tuple[str, ...]:
        return self.scope or self.key

    @property
    def joins(self) -> list[Join]:
        return [s for s in self.steps if isinstance(s, Join)]

    @property
    def aggregates(self) -> list[Aggregate]:
        return [s for s in self.steps if isinstance(s, Aggregate)]

    @property
    def derived(self) -> list[Derive]:
        return [s for s in self.steps if isinstance(s, Derive)]

    @property
    def sources(self) -> list[str]:
        """Every source read, the driver first, without repeats."""
        names = [self.driver.source] + [s.source for s in self.steps if isinstance(s, Join | Aggregate)]
        return list(dict.fromkeys(names))

    def step_of(self, alias: str) -> Join | Aggregate | None:
        return next((s for s in self.steps if isinstance(s, Join | Aggregate) and s.alias == alias), None)

    def index_of(self, alias: str) -> int:
        return next(i for i, s in enumerate(self.steps) if isinstance(s, Join | Aggregate) and s.alias == alias)
