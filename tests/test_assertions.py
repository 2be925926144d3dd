"""The tests' own table assertions (tests/assertions.py) catch what they are there to catch: a row
too many or too few (as multisets), a changed value, a repeated key; nulls compare equal."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assertions import assert_frames_equal, assert_unique

pytestmark = pytest.mark.spark

ROWS = [("a", 1, None), ("a", 1, None), ("b", None, 2.5)]


def frame(spark: Any, rows: list[tuple[Any, ...]]) -> Any:
    return spark.createDataFrame(rows, "k STRING, n INT, x DOUBLE")


def test_equal_multisets_pass_whatever_the_order(spark: Any) -> None:
    assert_frames_equal(frame(spark, ROWS), frame(spark, list(reversed(ROWS))))


@pytest.mark.parametrize(("actual", "said"), [
    (ROWS[:2], "missing: {'k': 'b', 'n': None, 'x': 2.5}"),  # a row lost
    (ROWS[1:], "missing: {'k': 'a', 'n': 1, 'x': None}"),  # one of two equal rows lost
    ([*ROWS, ROWS[0]], "unexpected: {'k': 'a', 'n': 1, 'x': None}"),  # a row twice too many
    ([*ROWS[:2], ("b", 0, 2.5)], "unexpected: {'k': 'b', 'n': 0, 'x': 2.5}"),  # a null became a value
])
def test_a_difference_names_the_rows_each_way(spark: Any, actual: list[tuple[Any, ...]], said: str) -> None:
    with pytest.raises(AssertionError, match="orders: rows differ") as failed:
        assert_frames_equal(frame(spark, actual), frame(spark, ROWS), label="orders")
    assert said in str(failed.value)


def test_ignored_columns_are_left_out_and_layouts_must_match(spark: Any) -> None:
    changed = [(k, n, 0.0) for k, n, _ in ROWS]
    assert_frames_equal(frame(spark, changed), frame(spark, ROWS), ignore=["x"])
    with pytest.raises(AssertionError, match="columns differ"):
        assert_frames_equal(frame(spark, ROWS).drop("x"), frame(spark, ROWS))


def test_a_repeated_key_is_named(spark: Any) -> None:
    assert_unique(frame(spark, ROWS[1:]), ["k"])
    with pytest.raises(AssertionError, match=r"key \(k\) repeats"):
        assert_unique(frame(spark, ROWS), ["k"])
