"""A target added as YAML only is validated, run and queryable, through the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from framework.engine.current import refresh_current
from tests.engine.conftest import Lake
from tests.engine.targets.deliveries import HEADERS, IMMUNIZATIONS, P1, P2, P3
from tests.helpers import copy_tables

IMMUNIZATIONS_SILVER = """\
# a target nobody wrote Python for
kind: silver
table: immunizations_silver
description: One row per vaccination (patient, encounter, code, date), with the patient.
driver: {source: immunizations, as: t, key: [PATIENT, ENCOUNTER, CODE, DATE]}
key: [immunization_id]
steps:
  - join: {as: p, source: patients, match: {Id: t.PATIENT}}
columns:
  - {name: immunization_id, hash: [t.PATIENT, t.ENCOUNTER, t.CODE, t.DATE]}
  - {name: patient_id, expr: t.PATIENT}
  - {name: vaccine_code, expr: t.CODE}
  - {name: vaccination_date_key, expr: to_date(t.DATE)}
  - {name: cost, expr: t.BASE_COST}
  - {name: patient_city, expr: p.CITY}
  - {name: ingest_run_id, expr: t.ingest_run_id}
"""


@pytest.fixture(scope="module")
def lake(new_lake: Callable[..., Lake], tmp_path_factory: pytest.TempPathFactory) -> Lake:
    tables = copy_tables(tmp_path_factory.mktemp("specs") / "tables")
    (tables / "silver" / "immunizations_silver.yml").write_text(IMMUNIZATIONS_SILVER)
    lake = new_lake(tables)
    lake.deliver({"patients": (HEADERS["patients"], [P1, P2]),
                  "immunizations": (HEADERS["immunizations"], IMMUNIZATIONS)}, "d1", "20250101T000000000000Z-aaaaaa")
    return lake


def test_validate_accepts_it(lake: Lake, capsys: pytest.CaptureFixture[str]) -> None:
    assert lake.medallion("validate") == 0
    assert "5 silver" in capsys.readouterr().out


def test_run_and_query_it(lake: Lake, capsys: pytest.CaptureFixture[str]) -> None:
    assert lake.medallion("run", "silver", "--table", "immunizations_silver") == 0
    capsys.readouterr()
    assert lake.medallion("sql", "SELECT patient_id, vaccine_code, patient_city, cost FROM immunizations_silver "
                                  "ORDER BY patient_id, vaccine_code", "--format", "json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # the exact duplicate collapsed; p3's patient row has not arrived
    assert rows == [{"patient_id": "p1", "vaccine_code": "140", "patient_city": "Boston", "cost": "140.52"},
                    {"patient_id": "p3", "vaccine_code": "08", "patient_city": None, "cost": "140.52"}]


def _statistics(lake: Lake, table: str) -> set[str]:
    """The columns whose min and max values the files of the table's latest commit keep."""
    env = lake.lakehouse.env
    latest = max((env.lakehouse_path / env.schema / table / "_delta_log").glob("*.json"))
    adds = [json.loads(line)["add"] for line in latest.read_text().splitlines() if line.startswith('{"add"')]
    stats = [json.loads(a["stats"]) for a in adds if a.get("stats")]
    assert stats and len(stats) == len(adds) and all("numRecords" in s for s in stats), table  # counts are kept
    return {column for s in stats for column in s.get("minValues", {})}


def test_a_target_keeps_file_statistics_of_its_key_and_a_current_state_none(lake: Lake) -> None:
    """Delta's default, statistics of the first 32 columns, cost about a third of a wide table's
    write; nothing reads a state's, and a target's key is what its users look rows up by. (The
    test session collects none: tests/helpers.py; this test turns them on while it writes.)"""
    collect = "spark.databricks.delta.stats.collect"
    before = lake.spark.conf.get(collect)
    lake.spark.conf.set(collect, "true")
    try:  # a full refresh and a rebuild write what the first load wrote
        refresh_current(lake.lakehouse, lake.catalog, ["immunizations"], full=True)
        assert lake.medallion("rebuild", "--table", "immunizations_silver") == 0
    finally:
        lake.spark.conf.set(collect, before)
    assert _statistics(lake, "immunizations_current") == set()
    assert _statistics(lake, "immunizations_silver") == {"immunization_id"}


def test_it_loads_incrementally_and_rebuilds(lake: Lake, capsys: pytest.CaptureFixture[str]) -> None:
    lake.deliver({"patients": (HEADERS["patients"], [P1, P2, P3])}, "d2", "20250102T000000000000Z-bbbbbb")
    assert lake.medallion("run", "silver", "--table", "immunizations_silver") == 0
    lake.check(["immunizations_silver"])
    assert lake.scalar("SELECT patient_city FROM immunizations_silver WHERE patient_id = 'p3'") == "Salem"
    assert lake.medallion("rebuild", "--table", "immunizations_silver") == 0
    lake.check(["immunizations_silver"])
    capsys.readouterr()
    assert lake.medallion("sql", "SELECT count(*) AS n FROM immunizations_silver", "--format", "csv") == 0
    assert capsys.readouterr().out.splitlines() == ["n", "2"]


def test_sql_reports_a_bad_query(lake: Lake, capsys: pytest.CaptureFixture[str]) -> None:
    assert lake.medallion("sql", "SELECT nope FROM immunizations_silver") == 1
    assert "nope" in capsys.readouterr().err


def test_unknown_table_is_reported_with_a_guess(lake: Lake, capsys: pytest.CaptureFixture[str]) -> None:
    assert lake.medallion("run", "silver", "--table", "imunizations_silver") == 1
    assert "immunizations_silver" in capsys.readouterr().err


def test_a_table_folder_copy_is_independent(lake: Lake) -> None:
    assert Path(lake.lakehouse.env.tables or "").name == "tables"
    assert not (Path(__file__).resolve().parents[3] / "tables" / "silver" / "immunizations_silver.yml").exists()
