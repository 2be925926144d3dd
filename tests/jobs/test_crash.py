"""The crash test: the CLI killed (kill -9, its whole process tree) at every step boundary and
once from outside by time, then run again, holds what one uninterrupted run holds.

One lakehouse takes every kill in turn (each rerun finishes what the dead run left, then dies
at the next point), over two small deliveries so that each point is reached with work to do;
an uninterrupted lakehouse runs each delivery once. Every table is then compared, without the
columns that name a run (run ids, load times, landing paths).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from framework.config import load_environment
from framework.engine.stop import ENV
from framework.engine.testing import assert_frames_equal
from framework.jobs.cli import main
from framework.specs.catalog import load_catalog
from framework.specs.targets.sources import target_specs
from tests.helpers import PROJECT

# Not yet run to the end (written at the end of the session): opt in until it is measured green.
pytestmark = [pytest.mark.spark, pytest.mark.skipif(os.environ.get("MEDALLION_CRASH_TEST") != "1",
                                                    reason="unverified: set MEDALLION_CRASH_TEST=1 to run it")]
PATIENTS, SEED = 5, 7
#: (delivery, points): each is a run that dies there; a None point is a kill from outside by time
KILLS = [(1, ["bronze:logged", "bronze:appended", "after:bronze", "archive:moved", "after:archive", None,
              "after:current", "after:silver"]),
         (2, ["after:bronze", "after:gold"])]
RUN_COLUMNS = {"ingest_run_id", "ingest_timestamp", "source_file", "load_id", "loaded_at"}


def cli(lakehouse: Path, landing: Path, *args: str, stop: str | None = None, kill_after: float | None = None) -> int:
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "PYSPARK_PYTHON": sys.executable}
    env.pop(ENV, None)
    if stop:
        env[ENV] = stop
    command = [sys.executable, "-m", "framework.jobs.cli", *args, "--set", f"lakehouse={lakehouse}",
               "--set", f"landing={landing}"]
    process = subprocess.Popen(command, env=env, cwd=PROJECT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _, err = process.communicate(timeout=kill_after or 600)
    except subprocess.TimeoutExpired:
        err = ""
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the tree: the CLI and its JVM
        process.wait()
    if stop is None and kill_after is None:
        assert process.returncode == 0, err
    return process.returncode


def deliver(landing: Path, delivery: int) -> None:
    assert main(["generate", "--patients", str(PATIENTS), "--seed", str(SEED), "--deliveries", "2",
                 "--delivery", str(delivery), "--set", f"landing={landing}"]) == 0


def tables(lakehouse: Path) -> dict[str, Path]:
    schema = lakehouse / load_environment().schema
    return {p.name: p for p in sorted(schema.iterdir()) if (p / "_delta_log").is_dir()}


def test_killed_at_every_step_boundary_the_rerun_equals_an_uninterrupted_run(spark: Any, tmp_path: Path) -> None:
    crashed, clean = tmp_path / "crashed", tmp_path / "clean"
    started, points = time.monotonic(), 0
    for delivery, stops in KILLS:
        deliver(crashed / "landing", delivery)
        deliver(clean / "landing", delivery)
        cli(clean / "lake", clean / "landing", "run")
        for stop in stops:
            code = cli(crashed / "lake", crashed / "landing", "run", stop=stop, kill_after=None if stop else 25.0)
            assert code != 0, f"the run did not die at {stop}"
            points += 1
        cli(crashed / "lake", crashed / "landing", "run")
    assert points >= 8
    load_times = {spec.load_timestamp for spec in target_specs(load_catalog(PROJECT / "tables")).values()}
    expected, actual = tables(clean / "lake"), tables(crashed / "lake")
    assert set(actual) == set(expected)
    for name, path in expected.items():
        if name.startswith("medallion_"):
            continue  # the logs of the runs themselves: the crashed lakehouse had more runs
        frame, other = spark.read.format("delta").load(str(path)), spark.read.format("delta").load(str(actual[name]))
        ignore = [c for c in frame.columns if c in RUN_COLUMNS | load_times]
        assert_frames_equal(other, frame, ignore=ignore, label=name)
    # every file archived, none left in landing
    assert not [p for p in (crashed / "landing").glob("*/*.csv")]
    shutil.rmtree(tmp_path, ignore_errors=True)
    print(f"crash test: {points} kills, {time.monotonic() - started:.0f} s")
