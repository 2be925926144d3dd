"""Assertions on tables and DataFrames, chispa-like: one small API for the tests (not shipped in the wheel)."""

from __future__ import annotations

from collections.abc import Iterable

from pyspark.sql import DataFrame


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
    missing = expected.exceptAll(actual).limit(sample).collect()
    extra = actual.exceptAll(expected).limit(sample).collect()
    if missing or extra:
        lines = [f"{label}: rows differ"]
        lines += [f"  missing: {row.asDict()}" for row in missing]
        lines += [f"  unexpected: {row.asDict()}" for row in extra]
        raise AssertionError("\n".join(lines))


def assert_unique(frame: DataFrame, key: Iterable[str], *, label: str = "table", sample: int = 5) -> None:
    """No two rows share the key."""
    columns = list(key)
    repeated = frame.groupBy(*columns).count().where("count > 1").limit(sample).collect()
    if repeated:
        rows = "\n".join(f"  {row.asDict()}" for row in repeated)
        raise AssertionError(f"{label}: key ({', '.join(columns)}) repeats\n{rows}")
