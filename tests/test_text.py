"""SQL literals of Python values: what the engine inserts (logs, control rows) and reference data
travel as, inline in the statement."""

from __future__ import annotations

from datetime import date, datetime

from framework.text import sql_value, sql_values


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
