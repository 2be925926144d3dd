"""`medallion-task`, the generic task of every Databricks job, run locally with the job's own
parameters (only the environment and the bundle variables' values differ)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from framework.bundle.jobs import Task
from framework.cli.task import main, run_task
from framework.config import Environment
from tests.helpers import shipped_catalog, write_csv


def job_argv(layer: str, table: str | None, env: Environment) -> list[str]:
    """The parameters the bundle gives this task, pointed at a local test environment."""
    values = {"${var.catalog_name}": env.catalog, "${var.schema_name}": env.schema,
              "${var.base_volume_path}": env.landing}
    argv = Task("any", layer, table).parameters
    for variable, value in values.items():
        argv = [a.replace(variable, value) for a in argv]
    argv[argv.index("--env") + 1] = "local"
    return [*argv, "--set", f"lakehouse={env.lakehouse}"]


def test_job_parameters_name_the_databricks_environment() -> None:
    argv = Task("patients_bronze", "bronze", "patients").parameters
    assert argv[:6] == ["--env", "databricks", "--layer", "bronze", "--table", "patients"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--layer", "bronze", "--table", "patient"], "did you mean 'patients'?"),
    (["--layer", "silver", "--table", "claim_silver"], "did you mean 'claims_silver'?"),
    (["--layer", "archive", "--table", "patients"], "takes no --table"),
    (["--env", "nowhere", "--layer", "bronze"], "no environment 'nowhere'"),
    (["--layer", "bronze", "--set", "landing"], "expected key=value"),
])
def test_bad_parameters_fail_before_any_spark(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_task(argv) == 2
    assert message in capsys.readouterr().err


def test_main_fails_the_task_with_a_non_zero_exit(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--layer", "bronze", "--table", "nope"])
    assert exit_info.value.code == 2


def test_an_unknown_layer_is_refused() -> None:
    with pytest.raises(SystemExit):
        run_task(["--layer", "platinum"])


SAMPLE = {"double": "1.5", "long": "7", "int": "7", "decimal(18,2)": "10.25"}


def test_bronze_task_then_archive_task(spark: Any, env: Environment) -> None:
    landing = Path(env.landing)
    columns = shipped_catalog().bronze["organizations"].columns
    rows = [[{"Id": f"org-{i}", "ZIP": "02134"}.get(c.name) or SAMPLE.get(c.type) or f"{c.name.lower()}-{i}"
             for c in columns] for i in range(3)]
    write_csv(landing, "organizations", "organizations.csv", [c.name for c in columns], rows)

    assert run_task(job_argv("bronze", "organizations", env), spark=spark) == 0
    table = spark.table(env.table_name("organizations_bronze"))
    landed = table.collect()
    assert sorted(r["Id"] for r in landed) == ["org-0", "org-1", "org-2"]
    assert {(r["ZIP"], r["_rescue_reason"]) for r in landed} == {("02134", None)}

    assert run_task(job_argv("archive", None, env), spark=spark) == 0
    assert not (landing / "organizations" / "organizations.csv").exists()
    assert list((landing / "organizations" / "archive").rglob("organizations.csv"))


def test_a_task_records_its_problems_in_the_run_log(spark: Any, env: Environment,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The task runs the steps through the CLI's own path (pipeline.run_layers): each problem is
    printed as it happens and journaled, and the journal lands in medallion_run_log."""
    from framework.engine.lakehouse import Lakehouse
    from framework.engine.runlog import journal_folder, latest_problems

    columns = [c.name for c in shipped_catalog().bronze["organizations"].columns]
    rows = [[{"Id": f"org-{i}", "REVENUE": "12.5x" if i == 1 else "10.25"}.get(c, "1") for c in columns]
            for i in range(3)]
    write_csv(Path(env.landing), "organizations", "organizations.csv", columns, rows)

    assert run_task(job_argv("bronze", "organizations", env), spark=spark) == 0
    console = capsys.readouterr().err
    assert "organizations.csv" in console and "REVENUE" in console and "12.5x" not in console
    assert not list(journal_folder(env).glob("*.jsonl"))  # moved into the table
    problems = latest_problems(Lakehouse(spark, env))
    assert [(p["run"], p["stage"], p["level"], p["table_name"], p["file"], p["line"]) for p in problems] == [
        ("finished", "bronze", "warning", "organizations", "organizations.csv", 3)]
    assert "REVENUE" in problems[0]["message"]


def test_silver_task_loads_its_target_from_the_bronze_tasks(spark: Any, env: Environment) -> None:
    from framework.generate import generate

    generate(Path(env.landing), patients=8, seed=3)
    catalog = shipped_catalog()
    target = catalog.by_kind["silver"]["procedures_silver"]
    for source in sorted(set(target.sources) & set(catalog.bronze)):
        assert run_task(job_argv("bronze", source, env), spark=spark) == 0, source

    assert run_task(job_argv("silver", "procedures_silver", env), spark=spark) == 0
    loaded = spark.table(env.table_name("procedures_silver")).count()
    bronze = spark.sql(
        f"SELECT DISTINCT PATIENT, ENCOUNTER, CODE, START FROM {env.table_name('procedures_bronze')}").count()
    assert loaded == bronze > 0
