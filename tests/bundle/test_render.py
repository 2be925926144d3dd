"""What `medallion bundle` renders: four jobs, one task per table, the same entry point everywhere."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from framework.bundle import plan_jobs, render_bundle
from framework.bundle.jobs import ENTRY_POINT, PACKAGE
from framework.cli.pipeline import STEPS
from framework.config import Environment
from framework.specs.catalog import SpecCatalog
from framework.specs.current import current_sources
from framework.specs.loader import load_catalog
from tests.helpers import PROJECT, copy_tables

BRONZE, SILVER = "daily_bronze_ingestion_incr", "daily_silver_load_incr"
JOBS = (BRONZE, SILVER, f"{BRONZE}_serverless", f"{SILVER}_serverless")
WHEEL = "./dist/*.whl"


def _tasks(bundle: dict[str, Any], job: str) -> dict[str, dict[str, Any]]:
    return {t["task_key"]: t for t in bundle["resources"]["jobs"][job]["tasks"]}


def _depends(task: dict[str, Any]) -> set[str]:
    return {d["task_key"] for d in task.get("depends_on", [])}


def _argument(task: dict[str, Any], flag: str) -> str | None:
    parameters = task["python_wheel_task"]["parameters"]
    return parameters[parameters.index(flag) + 1] if flag in parameters else None


def test_four_jobs_by_the_names_users_run(bundle: dict[str, Any]) -> None:
    jobs = bundle["resources"]["jobs"]
    assert sorted(jobs) == sorted(JOBS)
    assert all(job["name"] == key for key, job in jobs.items())


def test_variables_targets_and_the_wheel_artifact(bundle: dict[str, Any]) -> None:
    variables = bundle["variables"]
    assert {"catalog_name", "base_volume_path", "schema_name"} <= set(variables)
    assert variables["schema_name"]["default"] == "synthea"
    assert "default" not in variables["catalog_name"] and "default" not in variables["base_volume_path"]
    assert bundle["targets"]["development"] == {"default": True, "mode": "development"}
    assert bundle["targets"]["production"]["mode"] == "production"
    (artifact,) = bundle["artifacts"].values()
    assert artifact["type"] == "whl" and artifact["path"] == "."
    assert "--wheel-dir dist" in artifact["build"]


def test_every_bronze_source_is_a_task_and_archive_waits_for_all(bundle: dict[str, Any], catalog: SpecCatalog) -> None:
    for job in (BRONZE, f"{BRONZE}_serverless"):
        tasks = _tasks(bundle, job)
        bronze = {key: t for key, t in tasks.items() if _argument(t, "--layer") == "bronze"}
        assert {_argument(t, "--table") for t in bronze.values()} == set(catalog.bronze)
        assert set(bronze) == {spec.table for spec in catalog.bronze.values()}  # keys from table names
        assert all(not _depends(t) for t in bronze.values())  # all in parallel
        (archive,) = [t for t in tasks.values() if _argument(t, "--layer") == "archive"]
        assert _depends(archive) == set(bronze)
        assert _argument(archive, "--table") is None


def test_every_target_is_a_task_and_gold_waits_for_silver(bundle: dict[str, Any], catalog: SpecCatalog) -> None:
    silver, gold = catalog.by_kind.get("silver", {}), catalog.by_kind.get("gold", {})
    current = {catalog.bronze[s].current_table: s for s in current_sources(catalog)}
    for job in (SILVER, f"{SILVER}_serverless"):
        tasks = _tasks(bundle, job)
        assert set(tasks) == set(current) | set(silver) | set(gold)
        for table, source in current.items():  # first the current states, which silver only reads
            assert _argument(tasks[table], "--layer") == "current" and _argument(tasks[table], "--table") == source
            assert not _depends(tasks[table])
        for table in silver:
            assert _argument(tasks[table], "--layer") == "silver" and _argument(tasks[table], "--table") == table
            assert _depends(tasks[table]) == set(current)
        for table in gold:
            assert _argument(tasks[table], "--layer") == "gold"
            assert _depends(tasks[table]) >= set(silver)


def test_schedules_are_paused_at_two_and_half_past_two_utc(bundle: dict[str, Any]) -> None:
    expected = {BRONZE: "0 0 2 * * ?", SILVER: "0 30 2 * * ?"}
    for key, job in bundle["resources"]["jobs"].items():
        schedule = job["schedule"]
        assert schedule["quartz_cron_expression"] == expected[key.removesuffix("_serverless")]
        assert schedule["timezone_id"] == "UTC" and schedule["pause_status"] == "PAUSED"


def test_serverless_jobs_use_an_environment_with_the_wheel_and_no_cluster(bundle: dict[str, Any]) -> None:
    for name in JOBS:
        job = bundle["resources"]["jobs"][name]
        if name.endswith("_serverless"):
            assert "job_clusters" not in job
            (environment,) = job["environments"]
            assert int(environment["spec"]["environment_version"]) >= 2
            assert environment["spec"]["dependencies"] == [WHEEL]
            for task in job["tasks"]:
                assert task["environment_key"] == environment["environment_key"]
                assert not {"job_cluster_key", "new_cluster", "existing_cluster_id", "libraries"} & set(task)
        else:
            assert "environments" not in job
            (cluster,) = job["job_clusters"]
            assert cluster["new_cluster"]["data_security_mode"] in ("SINGLE_USER", "USER_ISOLATION")
            for task in job["tasks"]:
                assert task["job_cluster_key"] == cluster["job_cluster_key"]
                assert task["libraries"] == [{"whl": WHEEL}]


def test_every_task_is_the_same_wheel_entry_point_with_the_bundle_variables(bundle: dict[str, Any]) -> None:
    overrides = ["catalog=${var.catalog_name}", "schema=${var.schema_name}", "landing=${var.base_volume_path}"]
    for job in bundle["resources"]["jobs"].values():
        for task in job["tasks"]:
            wheel_task = task["python_wheel_task"]
            assert (wheel_task["package_name"], wheel_task["entry_point"]) == (PACKAGE, ENTRY_POINT)
            parameters = wheel_task["parameters"]
            assert parameters[:2] == ["--env", "databricks"]
            assert _argument(task, "--layer") in STEPS
            assert [parameters[i + 1] for i, p in enumerate(parameters) if p == "--set"] == overrides


def test_entry_point_and_package_match_the_project() -> None:
    import tomllib

    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    assert project["scripts"][ENTRY_POINT] == "framework.cli.task:main"
    assert project["name"].replace("-", "_") == PACKAGE
    assert not [d for d in project["dependencies"] if d.split("[")[0].startswith(("pyspark", "delta-spark"))]


def test_a_table_added_as_yaml_becomes_a_task(tables: Path, databricks_env: Environment) -> None:
    spec = (tables / "bronze" / "payers.yml").read_text()
    (tables / "bronze" / "insurers.yml").write_text(
        spec.replace("source: payers", "source: insurers").replace("table: payers_bronze", "table: insurers_bronze"))
    bundle = yaml.safe_load(render_bundle(load_catalog(tables), databricks_env))
    for job in (BRONZE, f"{BRONZE}_serverless"):
        tasks = _tasks(bundle, job)
        assert _argument(tasks["insurers_bronze"], "--table") == "insurers"
        assert "insurers_bronze" in _depends(tasks["archive"])


def test_a_target_reading_another_of_its_layer_waits_for_it(tmp_path: Path) -> None:
    def target(table: str, sources: list[str]) -> SimpleNamespace:
        return SimpleNamespace(table=table, sources=sources, file=tmp_path / f"{table}.yml")

    catalog = SpecCatalog(root=tmp_path)
    catalog.by_kind["silver"] = {"a_silver": target("a_silver", ["claims"]),
                                 "b_silver": target("b_silver", ["patients", "a_silver"])}
    catalog.by_kind["gold"] = {"c_gold": target("c_gold", ["b_silver"])}
    (_, targets) = plan_jobs(catalog)
    depends = {t.key: set(t.depends_on) for t in targets.tasks}
    assert depends == {"a_silver": set(), "b_silver": {"a_silver"}, "c_gold": {"a_silver", "b_silver"}}


def test_without_target_specs_there_is_no_load_job(tmp_path: Path, databricks_env: Environment) -> None:
    catalog = load_catalog(copy_tables(tmp_path, "bronze"))
    assert [job.name for job in plan_jobs(catalog)] == [BRONZE]
    jobs = yaml.safe_load(render_bundle(catalog, databricks_env))["resources"]["jobs"]
    assert sorted(jobs) == [BRONZE, f"{BRONZE}_serverless"]
