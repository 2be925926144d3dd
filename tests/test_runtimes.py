"""One source for the deployed runtime's versions (framework/runtimes.json): the bundle, the
compat tier's pins and the README's "tested on" line must all say what it says."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
import yaml

from framework.runtimes import COMPANIONS, Runtime, deployed, main
from tests.helpers import PROJECT


@pytest.fixture(scope="module")
def runtime() -> Runtime:
    return deployed()


@pytest.fixture(scope="module")
def committed_bundle() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PROJECT / "databricks.yml").read_text())
    return loaded


def test_every_job_cluster_runs_the_runtime(runtime: Runtime, committed_bundle: dict[str, Any]) -> None:
    clusters = [c["new_cluster"] for job in committed_bundle["resources"]["jobs"].values()
                for c in job.get("job_clusters", [])]
    assert clusters
    assert {c["spark_version"] for c in clusters} == {runtime.spark_version}


def test_every_serverless_job_runs_the_environment_version(runtime: Runtime,
                                                           committed_bundle: dict[str, Any]) -> None:
    environments = [e["spec"] for job in committed_bundle["resources"]["jobs"].values()
                    for e in job.get("environments", [])]
    assert environments
    assert {e["environment_version"] for e in environments} == {runtime.serverless_environment_version}


def test_the_readme_says_what_is_tested(runtime: Runtime) -> None:
    readme = (PROJECT / "README.md").read_text()
    assert runtime.tested_on() in readme.splitlines(), (
        f"README.md must carry this line (from framework/runtimes.json):\n{runtime.tested_on()}")


def test_the_record_is_one_runtime(runtime: Runtime) -> None:
    """The runtime key, its name and the Scala of the Delta jar agree with each other."""
    number = re.fullmatch(r"Databricks Runtime (\d+\.\d+)( LTS)?", runtime.name)
    assert number, runtime.name
    assert runtime.spark_version == f"{number.group(1)}.x-scala2.13", "Delta's jars are the Scala 2.13 builds"
    assert runtime.spark.split(".")[:2] == runtime.delta.split(".")[:2], (
        "the Delta release built for a Spark minor shares its major.minor (Delta 4.0 for Spark 4.0)")


def test_the_compat_venv_installs_the_pins_from_the_record(runtime: Runtime, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["requirements"]) == 0
    pins = capsys.readouterr().out.splitlines()
    assert pins[:2] == [f"pyspark[connect]=={runtime.spark}", f"delta-spark=={runtime.delta}"]
    makefile = (PROJECT / "Makefile").read_text()
    assert "-m framework.runtimes requirements > $(COMPAT_VENV)/requirements.txt" in makefile
    assert "-r $(COMPAT_VENV)/requirements.txt" in makefile


def test_the_compat_companions_are_the_local_extra_without_spark() -> None:
    local = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["local"]
    assert tuple(r for r in local if not r.startswith(("pyspark", "delta-spark"))) == COMPANIONS


def test_the_command_line_names_its_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pins"]) == 2
    assert "requirements|tested-on" in capsys.readouterr().err
