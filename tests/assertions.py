"""Assertions on tables and DataFrames, chispa-like: one small API for the tests (not shipped in the wheel)."""

from __future__ import annotations

from collections.abc import Iterable

from pyspark.sql import DataFrame, Row, Window
from pyspark.sql import functions as F


def _layout(frame: DataFrame) -> list[tuple[str, str]]:
    return [(f.name, f.dataType.simpleString()) for f in frame.schema.fields]


def assert_frames_equal(actual: DataFrame, expected: DataFrame, *, ignore: Iterable[str] = (),
                        label: str = "table", sample: int = 5) -> None:
    """Same columns (names, types, order) and the same rows as multisets, ignoring `ignore`
    columns (e.g. load timestamps). On a difference, the message shows a few rows each way."""
    skip = set(ignore)
    actual = actual.select(*[c for c in actual.columns if c not in skip])
    expected = expected.select(*[c for c in expected.columns if c not in skip])
    if _layout(actual) != _layout(expected):
        raise AssertionError(f"{label}: columns differ\n  actual:   {_layout(actual)}\n  expected: {_layout(expected)}")
    missing, extra = _differences(actual, expected, sample)
    if missing or extra:
        lines = [f"{label}: rows differ"]
        lines += [f"  missing: {row.asDict()}" for row in missing]
        lines += [f"  unexpected: {row.asDict()}" for row in extra]
        raise AssertionError("\n".join(lines))


def _differences(actual: DataFrame, expected: DataFrame, sample: int) -> tuple[list[Row], list[Row]]:
    """Up to `sample` rows each that only `expected` and only `actual` hold (as multisets), in one
    job that reads each side once: every distinct row with its count on each side (grouping
    compares nulls as equal, as EXCEPT ALL does)."""
    columns = actual.columns
    side, rank = "__side", "__rank"
    counted = (actual.withColumn(side, F.lit(1)).unionByName(expected.withColumn(side, F.lit(-1)))
               .groupBy(*columns).agg(F.sum(side).alias(side)).where(F.col(side) != 0))
    first = Window.partitionBy(F.signum(side)).orderBy(*columns)
    rows = counted.withColumn(rank, F.row_number().over(first)).where(F.col(rank) <= sample).collect()
    differing = [(row[side], Row(**{c: row[c] for c in columns})) for row in rows]
    return [r for n, r in differing if n < 0], [r for n, r in differing if n > 0]


def assert_unique(frame: DataFrame, key: Iterable[str], *, label: str = "table", sample: int = 5) -> None:
    """No two rows share the key."""
    columns = list(key)
    repeated = frame.groupBy(*columns).count().where("count > 1").limit(sample).collect()
    if repeated:
        rows = "\n".join(f"  {row.asDict()}" for row in repeated)
        raise AssertionError(f"{label}: key ({', '.join(columns)}) repeats\n{rows}")
