"""Spark SQL expressions in specs, read without Spark (sqlglot, spark dialect).

The text a spec author wrote is what runs: these helpers only *read* expressions (which
columns and tables they use, whether they parse) and quote the SQL the planner writes around
them. They never rewrite an author's expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

GENERATORS = (exp.Explode, exp.Posexplode, exp.Inline)
_ORDER = re.compile(r"^(?P<expr>.*?)(?:\s+(?P<dir>ASC|DESC))?(?:\s+NULLS\s+(?P<nulls>FIRST|LAST))?\s*$",
                    re.IGNORECASE | re.DOTALL)


class ExpressionError(ValueError):
    """An expression that does not parse as Spark SQL."""


@dataclass(frozen=True)
class ColumnRef:
    alias: str | None  # the qualifier as written (None: unqualified)
    name: str


@lru_cache(maxsize=4096)
def parse(text: str) -> exp.Expr:
    """Parse one expression; raise ExpressionError with sqlglot's message."""
    if not text.strip():
        raise ExpressionError("empty expression")
    try:
        tree = sqlglot.parse_one(text, read="spark")
    except ParseError as error:
        first = error.errors[0] if error.errors else {}
        detail = first.get("description") or str(error).splitlines()[0]
        raise ExpressionError(f"does not parse as Spark SQL: {detail}") from None
    if tree is None or isinstance(tree, exp.Select | exp.Union | exp.Command):
        raise ExpressionError("expected an expression, not a statement")
    return tree


def _subquery_tables(column: exp.Column) -> set[str] | None:
    """The names (and aliases) of the tables of the innermost subquery holding a column."""
    select = column.find_ancestor(exp.Select)
    if select is None:
        return None
    names: set[str] = set()
    for table in select.find_all(exp.Table):
        names.add(table.name.lower())
        if table.alias:
            names.add(table.alias.lower())
    return names


def _ref(column: exp.Column) -> ColumnRef:
    db = column.args.get("db")
    if db is not None:  # a.b.c: field c of column b of alias a -> (a, b)
        return ColumnRef(db.name, column.table)
    return ColumnRef(column.table or None, column.name)


def column_refs(text: str) -> list[ColumnRef]:
    """Columns an expression reads from its row (not those bound inside its subqueries)."""
    refs = []
    for column in parse(text).find_all(exp.Column):
        if isinstance(column.this, exp.Star):
            refs.append(ColumnRef(column.table or None, "*"))
            continue
        ref = _ref(column)
        inner = _subquery_tables(column)
        if inner is not None and (ref.alias is None or ref.alias.lower() in inner):
            continue  # bound to the subquery's own table
        refs.append(ref)
    return refs


def subquery_column_refs(text: str) -> list[tuple[frozenset[str], ColumnRef]]:
    """Columns read inside subqueries, with the table names each subquery reads."""
    found = []
    for column in parse(text).find_all(exp.Column):
        inner = _subquery_tables(column)
        ref = _ref(column)
        if inner is not None and (ref.alias is None or ref.alias.lower() in inner):
            found.append((frozenset(inner), ref))
    return found


def table_refs(text: str) -> set[str]:
    """Tables named in an expression's subqueries."""
    return {t.name for t in parse(text).find_all(exp.Table)}


def window_partitions(text: str) -> list[set[str]]:
    """For each window in an expression, its PARTITION BY expressions (normalised)."""
    partitions = []
    for window in parse(text).find_all(exp.Window):
        partitions.append({normalize_tree(p) for p in window.args.get("partition_by") or []})
    return partitions


def is_generator(text: str) -> bool:
    """True when the expression is a row generator (explode, posexplode, inline)."""
    tree = parse(text)
    while isinstance(tree, exp.Paren | exp.Alias):
        tree = tree.this
    return isinstance(tree, GENERATORS) or type(tree).__name__ == "_ExplodeOuter"


def normalize_tree(tree: exp.Expr) -> str:
    return tree.sql(dialect="spark").lower().replace("`", "")


def normalize(text: str) -> str:
    """A canonical spelling, for comparing two expressions."""
    return normalize_tree(parse(text))


def split_order(text: str) -> tuple[str, bool, str | None]:
    """`"cov.start DESC NULLS LAST"` -> ("cov.start", True, "LAST")."""
    match = _ORDER.match(text.strip())
    assert match is not None  # the pattern matches any text
    direction = (match.group("dir") or "ASC").upper()
    nulls = match.group("nulls")
    return match.group("expr").strip(), direction == "DESC", nulls.upper() if nulls else None


def order_sql(text: str) -> str:
    """An order item as SQL, defaulting to Spark's own defaults."""
    expr, desc, nulls = split_order(text)
    return f"({expr}){' DESC' if desc else ''}{f' NULLS {nulls}' if nulls else ''}"


def quote(identifier: str) -> str:
    """A backquoted Spark identifier."""
    return "`" + identifier.replace("`", "``") + "`"


def hash_sql(parts: list[str]) -> str:
    """A surrogate key: SHA-256 over the parts, each tagged so that NULL and '' differ, joined by
    the unit separator (U+001F) so that ("ab", "c") and ("a", "bc") differ."""
    tagged = [f"CASE WHEN ({p}) IS NULL THEN '0' ELSE concat('1', CAST(({p}) AS STRING)) END" for p in parts]
    return f"sha2(concat_ws(chr(31), {', '.join(tagged)}), 256)"
