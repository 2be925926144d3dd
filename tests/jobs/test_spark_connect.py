"""Serverless speaks Spark Connect: the whole pipeline, run through a local Spark Connect
server, must produce the same tables as a classic local session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from framework.generate import generate
from framework.specs.catalog import load_catalog
from tests.helpers import PROJECT

#: columns that name the run, the moment or the file path: different by construction
VOLATILE = {"ingest_run_id", "ingest_timestamp", "source_file", "silver_load_timestamp"}


def medallion(*args: str, landing: Path, lakehouse: Path) -> None:
    command = [sys.executable, "-m", "framework.jobs.cli", "--set", f"landing={landing}", "--set",
               f"lakehouse={lakehouse}", *args]
    environment = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=environment)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stderr[-3000:]}"


def pipeline(root: Path, deliveries: Path, *extra: str) -> Path:
    landing, lakehouse = root / "landing", root / "lakehouse"
    for delivery in sorted(deliveries.iterdir()):
        shutil.copytree(delivery, landing, dirs_exist_ok=True)
        medallion(*extra, "run", landing=landing, lakehouse=lakehouse)
    return lakehouse / "synthea"


def test_connect_and_classic_runs_give_equal_tables(spark: Any, tmp_path: Path) -> None:
    deliveries = tmp_path / "deliveries"
    for number in (1, 2):
        generate(deliveries / f"{number}", patients=8, seed=5, deliveries=2, delivery=number)
    classic = pipeline(tmp_path / "classic", deliveries)
    connect = pipeline(tmp_path / "connect", deliveries, "--connect")
    catalog = load_catalog(PROJECT / "tables")
    tables = [s.table for s in catalog.bronze.values()]
    tables += [t for kind in ("silver", "gold") for t in catalog.by_kind.get(kind, {})]
    compared = 0
    for table in tables:
        left = spark.read.format("delta").load(str(classic / table))
        right = spark.read.format("delta").load(str(connect / table))
        columns = [c for c in left.columns if c not in VOLATILE]
        assert sorted(columns) == sorted(c for c in right.columns if c not in VOLATILE), table
        left, right = left.select(*columns), right.select(*columns)
        assert left.count() == right.count(), table
        assert left.exceptAll(right).count() == 0 and right.exceptAll(left).count() == 0, table
        compared += left.count() > 0
    assert compared >= 20, "most tables should hold rows"


pytestmark = pytest.mark.slow
