"""Serverless speaks Spark Connect: the whole pipeline, run through a local Spark Connect server,
must produce the same tables as a classic local session.

Both runs go through `tests.compat.pipeline` in one process and one JVM (its own, not the test
session's: once a Connect client exists, pyspark builds Connect columns in that process): two
deliveries of every source through a classic session, then the same deliveries through a
Spark Connect client of that session, in a schema of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from framework.generate import generate
from tests.compat.pipeline import assert_same_runs
from tests.helpers import PROJECT, TEST_SPARK_SUBMIT_ARGS

pytestmark = [pytest.mark.slow, pytest.mark.spark]


def test_connect_and_classic_runs_give_equal_tables(tmp_path: Path) -> None:
    deliveries = tmp_path / "deliveries"
    for number in (1, 2):
        generate(deliveries / f"{number}", patients=8, seed=5, deliveries=2, delivery=number)
    out = tmp_path / "runs.json"
    command = [sys.executable, "-m", "tests.compat.pipeline", str(deliveries), str(tmp_path / "work"), str(out),
               "--modes", "classic", "connect"]
    # a small delivery: 2 GiB of heap is plenty beside the test sessions' JVMs, started as they are
    environment = {**os.environ, "PYSPARK_PYTHON": sys.executable, "MEDALLION_DRIVER_MEMORY": "2g",
                   "PYSPARK_SUBMIT_ARGS": TEST_SPARK_SUBMIT_ARGS}
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=1800, env=environment)
    assert done.returncode == 0, f"the pipeline runs failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    runs = json.loads(out.read_text())
    classic, connect = runs["classic"], runs["connect"]
    assert (classic["connect"], connect["connect"]) == (False, True)
    assert classic["exit_codes"] == [0, 0], classic["errors"]
    assert_same_runs(classic, connect)
    bronze_silver_gold = [name for name in classic["tables"] if name.endswith(("_bronze", "_silver", "_gold"))]
    assert sum(bool(classic["tables"][name]["rows"]) for name in bronze_silver_gold) >= 20, \
        "most tables should hold rows"
