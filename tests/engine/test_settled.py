"""A run with nothing new answers from the files: when the lakehouse counts as settled (no Spark)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from framework.config import Environment
from framework.engine.runlog import journal_folder
from framework.engine.settled import settle, settled_by
from tests.helpers import make_env

SOURCES = {"patients", "claims"}


def _commit(env: Environment, table: str, version: int) -> None:
    log = env.lakehouse_path / env.schema / table / "_delta_log"
    log.mkdir(parents=True, exist_ok=True)
    (log / f"{version:020d}.json").write_text("{}\n")


@pytest.fixture
def settled(tmp_path: Path, tables: Path) -> Environment:
    env = make_env(tmp_path, tmp_path / "lake", tables)
    _commit(env, "patients_bronze", 0)
    _commit(env, "claims_silver", 3)
    (env.landing_path / "patients" / "archive" / "R0").mkdir(parents=True)  # archived and quarantined files:
    (env.landing_path / "patients" / "archive" / "R0" / "p.csv").write_text("Id\n1\n")  # nothing new
    settle(env, "R1")
    return env


def test_a_lakehouse_as_the_last_complete_run_left_it_is_settled(settled: Environment) -> None:
    assert settled_by(settled, SOURCES) == "R1"


def test_a_table_written_since_is_news(settled: Environment) -> None:
    _commit(settled, "claims_silver", 4)
    assert settled_by(settled, SOURCES) is None


def test_a_new_or_dropped_table_is_news(settled: Environment) -> None:
    _commit(settled, "claims_gold", 0)
    assert settled_by(settled, SOURCES) is None
    shutil.rmtree(settled.lakehouse_path / settled.schema / "claims_gold")
    assert settled_by(settled, SOURCES) == "R1"
    shutil.rmtree(settled.lakehouse_path / settled.schema / "claims_silver")
    assert settled_by(settled, SOURCES) is None


@pytest.mark.parametrize("entry", ["patients/p2.csv", "patients/README.txt", "stray.csv", "nobody/x.csv"])
def test_anything_in_landing_is_news(settled: Environment, entry: str) -> None:
    path = settled.landing_path / entry
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Id\n2\n")
    assert settled_by(settled, SOURCES) is None


def test_a_run_that_died_since_is_news(settled: Environment) -> None:
    journal_folder(settled).mkdir(parents=True)
    (journal_folder(settled) / "R2.jsonl").write_text("")
    assert settled_by(settled, SOURCES) is None


def test_a_changed_spec_or_setting_is_news(settled: Environment) -> None:
    spec = settled.tables_path / "silver" / "claims_silver.yml"
    spec.write_text(spec.read_text() + "\n# a comment counts: the specs are compared byte for byte\n")
    assert settled_by(settled, SOURCES) is None
    settle(settled, "R2")
    assert settled_by(settled, SOURCES) == "R2"
    moved = Environment(**{**settled.__dict__, "landing": str(Path(settled.landing) / "elsewhere")})
    assert settled_by(moved, SOURCES) is None


def test_never_settled_without_a_complete_run(tmp_path: Path) -> None:
    assert settled_by(make_env(tmp_path, tmp_path / "lake"), SOURCES) is None
