"""SQL literals of Python values: what the engine inserts (logs, control rows) and reference data
travel as, inline in the statement; and the one line an error is reported by."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from framework.text import error_summary, sql_value, sql_values


def test_each_kind_of_value_has_its_literal() -> None:
    assert [sql_value(v) for v in (None, True, 3, 2.5, "it's")] == ["NULL", "TRUE", "3", "2.5", "'it\\'s'"]
    assert sql_value(date(2026, 1, 2)) == "DATE '2026-01-02'"
    assert sql_value(datetime(2026, 1, 2, 3, 4, 5, 6)) == "TIMESTAMP '2026-01-02 03:04:05.000006'"


def test_rows_are_typed_by_their_columns_and_no_rows_is_an_empty_query() -> None:
    columns = {"name": "STRING", "rows": "BIGINT"}
    assert sql_values(columns, [("a", 1), (None, None)]) == (
        "SELECT * FROM VALUES (CAST('a' AS STRING), CAST(1 AS BIGINT)), (CAST(NULL AS STRING), CAST(NULL AS BIGINT)) "
        "AS __values(`name`, `rows`)")
    assert sql_values(columns, []) == "SELECT CAST(NULL AS STRING) AS `name`, CAST(NULL AS BIGINT) AS `rows` WHERE FALSE"


def test_an_error_is_summed_up_by_the_line_that_says_what_went_wrong() -> None:
    # py4j's text of a JVM error pyspark does not convert: the call, then the JVM's exception
    py4j = ("An error occurred while calling o64.sql.\n: java.lang.OutOfMemoryError: Direct buffer memory\n"
            "\tat java.base/java.nio.Bits.reserveMemory(Bits.java:175)\n")
    assert error_summary(RuntimeError(py4j)) == "java.lang.OutOfMemoryError: Direct buffer memory"
    assert error_summary(ValueError("  \n[TABLE_OR_VIEW_NOT_FOUND] no table\nmore\n")) == "[TABLE_OR_VIEW_NOT_FOUND] no table"
    assert error_summary(KeyError()) == "KeyError"
    assert error_summary(RuntimeError("An error occurred while calling o1.sql.")) == (
        "An error occurred while calling o1.sql.")


def test_a_jvm_error_pyspark_does_not_convert_is_summed_up_by_its_exception(jvm: Any) -> None:
    with pytest.raises(Exception) as caught:
        jvm.java.lang.Class.forName("medallion.NoSuchClass")  # pyspark converts some JVM errors, not this one
    assert str(caught.value).startswith("An error occurred while calling")
    assert error_summary(caught.value) == "java.lang.ClassNotFoundException: medallion.NoSuchClass"
