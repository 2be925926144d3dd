"""Spec expressions may call Spark built-ins only, never one that reaches outside the query."""

from __future__ import annotations

import pytest

from framework.specs.functions import ALLOWED, OUTSIDE, called_functions, refused_functions
from framework.specs.spark_builtins import BUILTINS


def names(text: str) -> list[str]:
    return [r.function for r in refused_functions(text)]


@pytest.mark.parametrize("text", [
    "java_method('java.lang.System', 'getenv', 'HOME')",
    "reflect('java.lang.System', 'getenv', 'HOME')",
    "upper(try_reflect('java.util.UUID', 'randomUUID'))",
    "`java_method`('java.lang.System', 'getenv', 'HOME')",
    "transform(array(t.a), x -> reflect('java.lang.System', 'getenv', x))",
    "CASE WHEN t.a > 1 THEN JAVA_METHOD('a', 'b') END",
])
def test_reflection_is_refused_however_it_is_written(text: str) -> None:
    refused = refused_functions(text)
    assert len(refused) == 1 and refused[0].function.lower() in {"java_method", "reflect", "try_reflect"}
    assert "Java method" in str(refused[0])


def test_udfs_and_catalog_functions_are_refused() -> None:
    assert names("my_udf(t.a)") == ["my_udf"]
    [qualified] = refused_functions("spark_catalog.default.upper(t.a)")
    assert "qualified" in str(qualified) and qualified.hint == "call the built-in by its plain name, e.g. upper(...)"


def test_a_misspelt_builtin_gets_a_did_you_mean() -> None:
    [refusal] = refused_functions("date_fromat(t.START, 'yyyy')")
    assert refusal.hint == "did you mean 'date_format'?"


def test_environment_and_file_readers_are_refused() -> None:
    assert names("concat(current_user(), input_file_name())") == ["current_user", "input_file_name"]
    assert names("concat(t.a, session_user)") == ["session_user"]
    assert names("t.user || 'user'") == []  # a column and a string, not the function


@pytest.mark.parametrize("text", [
    "IF(t.a > 1, left(t.b, 2), right(t.c, 1))",
    "count(*) FILTER (WHERE t.a > 1)",
    "sum(t.a) OVER (PARTITION BY t.b ORDER BY t.c)",
    "t.a IN (1, 2) AND EXISTS(SELECT 1 FROM r WHERE r.x = t.a)",
    "CAST(t.a AS DECIMAL(18, 2)) + try_cast(t.b AS INT)",
    "array(1, 2)[0] + size(map('a', 1)) + coalesce(t.x, 0)",
    "sha2(concat_ws(chr(31), t.a), 256)",
    "date_add(current_date(), 1)",
])
def test_ordinary_expressions_pass(text: str) -> None:
    assert refused_functions(text) == []


def test_calls_are_read_as_written() -> None:
    assert called_functions("Upper(a.b) + x.y.f(1)") == [("Upper", False), ("f", True)]


def test_the_allowlist_is_the_registry_minus_the_outside_reachers() -> None:
    assert "java_method" in BUILTINS and "reflect" in BUILTINS  # known to Spark, refused here
    assert set(OUTSIDE) & ALLOWED == set()
    assert {"upper", "sha2", "date_format", "try_cast", "explode"} <= ALLOWED
