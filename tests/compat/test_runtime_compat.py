"""The compatibility tier: the whole pipeline on the pyspark and delta-spark of the Databricks
runtime the bundle deploys to (framework/runtimes.json, installed in .venv-compat by the
Makefile), classic and through Spark Connect, must produce every table the main versions produce
on the same input. A function, Delta feature or pyspark API newer than that runtime fails here.
So must the main versions through Spark Connect, the protocol serverless compute speaks: the
engine needs nothing a Connect client lacks.

Two processes of `tests.compat.pipeline` side by side, each with one JVM: the main versions (this
interpreter) and the runtime's, each classic and then through Spark Connect (a client of the same
JVM). The sample is the smallest two-delivery input that drives every step and target
(tests/compat/sample.py): both runs of each pair, full and incremental.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from framework.generate import SOURCES as ALL_SOURCES
from framework.runtimes import deployed
from tests.compat.pipeline import assert_same_runs
from tests.compat.sample import SOURCES, write_sample
from tests.helpers import PROJECT

COMPAT_PYTHON = PROJECT / ".venv-compat" / "bin" / "python"
#: set by `make test` / `make compat`, which build .venv-compat first: a missing venv fails there
REQUIRE_ENV = "MEDALLION_REQUIRE_COMPAT"
TIMEOUT = 1800

#: sources the sample has no file of: their bronze tables are created empty
SOURCES_ABSENT = set(ALL_SOURCES) - set(SOURCES)

pytestmark = pytest.mark.compat


def compat_python() -> Path:
    if not COMPAT_PYTHON.exists():
        message = f"{COMPAT_PYTHON} is missing: `make compat` builds it and runs this tier"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(message)
        pytest.skip(message)
    return COMPAT_PYTHON


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("compat")
    write_sample(root / "deliveries")
    pythons = {"main": Path(sys.executable), "runtime": compat_python()}
    started = {name: _start(python, root, name) for name, python in pythons.items()}
    try:
        _wait(started, root)
    finally:
        for process in started.values():  # a failed or timed-out run must not leave JVMs behind
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    results = {name: json.loads((root / f"{name}.json").read_text()) for name in started}
    return {"main": results["main"]["classic"], "main-connect": results["main"]["connect"],
            "runtime": results["runtime"]["classic"], "runtime-connect": results["runtime"]["connect"]}


def _start(python: Path, root: Path, name: str) -> subprocess.Popen[bytes]:
    command = [str(python), "-m", "tests.compat.pipeline", str(root / "deliveries"), str(root / name),
               str(root / f"{name}.json"), "--modes", "classic", "connect"]
    # two JVMs at once on a small sample: 1 GiB each is plenty, and one GC thread each (the results
    # do not depend on it); the optimizing JIT stays on: a run of minutes plans faster with it
    # (tests/helpers.py, TEST_SPARK_SUBMIT_ARGS)
    environment = {**os.environ, "PYSPARK_PYTHON": str(python), "PYSPARK_DRIVER_PYTHON": str(python),
                   "MEDALLION_DRIVER_MEMORY": "1g", "JAVA_TOOL_OPTIONS": "-XX:+UseSerialGC"}
    with (root / f"{name}.log").open("wb") as log:  # a file, not a pipe: nobody reads it while it runs
        # its own process group, so that the JVM it starts is killed with it
        return subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _wait(started: dict[str, subprocess.Popen[bytes]], root: Path) -> None:
    """Until every run ended; the first that fails fails the tier at once, with its log's tail."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        for name, process in started.items():
            if process.poll() not in (None, 0):
                log = (root / f"{name}.log").read_text(errors="replace")
                pytest.fail(f"the {name} run failed (exit {process.returncode}):\n{log[-4000:]}")
        if all(process.poll() == 0 for process in started.values()):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the runs took more than {TIMEOUT} s; logs in {root}")
        time.sleep(1)


def test_the_runs_use_the_versions_they_claim(runs: dict[str, dict[str, Any]]) -> None:
    runtime = deployed()
    for name in ("runtime", "runtime-connect"):
        assert runs[name]["versions"] == {"pyspark": runtime.spark, "delta-spark": runtime.delta}, name
    assert runs["main-connect"]["versions"] == runs["main"]["versions"]
    assert runs["main"]["versions"] != runs["runtime"]["versions"], "the main venv should hold newer versions"
    assert [run["connect"] for run in runs.values()] == [False, True, False, True]


@pytest.mark.parametrize("name", ["main-connect", "runtime", "runtime-connect"])
def test_the_runtime_versions_give_every_table_of_the_main_versions(runs: dict[str, dict[str, Any]],
                                                                    name: str) -> None:
    assert_same_runs(runs["main"], runs[name])


def test_the_sample_drives_every_step(runs: dict[str, dict[str, Any]]) -> None:
    """Bronze (with rescued rows), archive, silver, gold and the checks, on two deliveries."""
    tables = runs["main"]["tables"]
    absent = {f"{source}_bronze" for source in SOURCES_ABSENT}
    empty = [name for name, table in tables.items() if not table["rows"] and name not in absent]
    assert not empty, f"tables without rows prove nothing: {empty}"
    log = tables["medallion_ingest_log"]["rows"]
    # run ids are numbered over every table (current states and targets have runs of their own)
    assert len({row["ingest_run_id"] for row in log}) == 2, "one ingest run per delivery"
    delivered = {(row["source"], row["file_name"], row["ingest_run_id"]) for row in log if row["status"] == "ingested"}
    archived = {(row["source"], row["file_name"], row["ingest_run_id"]) for row in log if row["archived_path"]}
    assert delivered <= archived, f"ingested, never archived: {delivered - archived}"
    assert any(row["status"] == "duplicate" for row in log), "a file delivered again is skipped"
    assert any(row["rescued_rows"] for row in log)
    control = tables["medallion_control"]["rows"]
    assert {row["mode"] for row in control} == {"full", "incremental"}
    assert {row["target"] for row in control} >= {"claims_silver", "member_monthly_snapshot_gold"}
    assert runs["main"]["exit_codes"] == [1, 0], "delivery 1 fails a gold check (a member's patient row is late)"
