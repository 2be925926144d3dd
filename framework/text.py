"""Text helpers every layer may import: a "did you mean" hint, an error's one-line cause and Spark SQL
literals.

Standard library only: the ground the layers stand on (tests/test_layers.py refuses it any
framework import).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime


def did_you_mean(name: str, known: Collection[str]) -> str | None:
    """A "did you mean ...?" hint for a misspelt name, or None."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if not close:
        lowered = {k.lower(): k for k in known}
        if name.lower() in lowered:
            close = [lowered[name.lower()]]
    return f"did you mean {close[0]!r}?" if close else None


#: py4j's first line of a JVM error that pyspark does not convert ("An error occurred while calling
#: o64.sql."): it names the call, and the next line holds the JVM's exception and message.
_PY4J_CALL = re.compile(r"An error occurred while calling \S+")


def error_summary(error: BaseException) -> str:
    """The line of an error that says what went wrong: its first line, or, when that is py4j's
    wrapper, the JVM exception under it ("java.lang.OutOfMemoryError: Direct buffer memory");
    the error's type when it has no message."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    if _PY4J_CALL.fullmatch(lines[0]) and len(lines) > 1:
        return lines[1].removeprefix(":").strip() or lines[0]
    return lines[0]


def sql_string(value: str) -> str:
    """A Spark SQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def sql_value(value: object) -> str:
    """A Spark SQL literal of a plain Python value (None, bool, number, date, datetime, text)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return f"TIMESTAMP {sql_string(value.isoformat(sep=' '))}"
    if isinstance(value, date):
        return f"DATE {sql_string(value.isoformat())}"
    return sql_string(str(value))


def sql_values(columns: Mapping[str, str], rows: Iterable[Sequence[object]]) -> str:
    """A query of Python values, typed by `columns` (name -> SQL type). The rows travel inline in
    the SQL text, so no Python worker runs to hand them to Spark, as a classic session's
    createDataFrame would start one."""
    names = ", ".join(f"`{c}`" for c in columns)
    lines = [f"({', '.join(f'CAST({sql_value(v)} AS {t})' for v, t in zip(row, columns.values(), strict=True))})"
             for row in rows]
    if not lines:
        return "SELECT " + ", ".join(f"CAST(NULL AS {t}) AS `{c}`" for c, t in columns.items()) + " WHERE FALSE"
    return f"SELECT * FROM VALUES {', '.join(lines)} AS __values({names})"
