"""`medallion compile` prints SQL that runs as is through `medallion sql` and writes what the
load would: a full build's rows, and an incremental load's MERGE after a second delivery."""

from __future__ import annotations

import re
from typing import Any

import pytest

from framework.config import Environment
from framework.engine.lakehouse import Lakehouse
from framework.specs.loader import load_catalog
from framework.specs.targets.sources import target_specs
from tests.assertions import assert_frames_equal
from tests.helpers import medallion_in_session
from tests.rebuild import Rebuild

SILVER, GOLD = "claims_silver", "member_monthly_snapshot_gold"


def _compiled(env: Environment, spark: Any, capsys: pytest.CaptureFixture[str], table: str, part: str) -> list[str]:
    capsys.readouterr()
    assert medallion_in_session(env, spark, "compile", "--table", table, part) == 0
    out = capsys.readouterr().out
    # each statement is printed as `STATEMENT;` and a blank line, the first after a comment line
    statements = ["\n".join(line for line in chunk.strip().splitlines() if not line.startswith("--"))
                  for chunk in re.split(r";\n", out)]
    return [s for s in statements if s]


def _through_sql(env: Environment, spark: Any, capsys: pytest.CaptureFixture[str], statements: list[str]) -> None:
    for statement in statements:
        assert medallion_in_session(env, spark, "sql", statement, "--format", "csv") == 0, capsys.readouterr().err


def _equal_to_rebuild(env: Environment, spark: Any, table: str) -> None:
    catalog = load_catalog(env.tables_path)
    lakehouse = Lakehouse(spark, env)
    spec = target_specs(catalog)[table]
    assert_frames_equal(lakehouse.table(table), Rebuild(lakehouse, catalog).rows(table),
                        ignore=[spec.load_timestamp], label=table)


def test_compiled_sql_runs_as_is(env: Environment, spark: Any, capsys: pytest.CaptureFixture[str]) -> None:
    generate = ("generate", "--patients", "25", "--seed", "7", "--deliveries", "2")
    assert medallion_in_session(env, spark, *generate, "--delivery", "1") == 0
    assert medallion_in_session(env, spark, "run") == 0
    lakehouse = Lakehouse(spark, env)
    spec = target_specs(load_catalog(env.tables_path))
    for table in (SILVER, GOLD):  # the full build's SELECT gives the table's rows
        [select] = _compiled(env, spark, capsys, table, "--full")
        _through_sql(env, spark, capsys, [select])
        assert_frames_equal(lakehouse.table(table), spark.sql(select), ignore=[spec[table].load_timestamp], label=table)

    # the second delivery in bronze and the current states, the targets not loaded yet
    assert medallion_in_session(env, spark, *generate, "--delivery", "2") == 0
    assert medallion_in_session(env, spark, "run", "bronze") == 0
    assert medallion_in_session(env, spark, "run", "current") == 0
    statements = _compiled(env, spark, capsys, SILVER, "--incremental")
    assert any(s.startswith("MERGE INTO") for s in statements)
    _through_sql(env, spark, capsys, statements)
    _equal_to_rebuild(env, spark, SILVER)

    assert medallion_in_session(env, spark, "run", "silver") == 0
    statements = _compiled(env, spark, capsys, GOLD, "--incremental")
    _through_sql(env, spark, capsys, statements)
    _equal_to_rebuild(env, spark, GOLD)


def test_compile_names_unknown_tables(capsys: pytest.CaptureFixture[str]) -> None:
    from framework.cli.main import main

    assert main(["compile", "--table", "claim_silver", "--full"]) == 2
    assert "did you mean 'claims_silver'?" in capsys.readouterr().err
