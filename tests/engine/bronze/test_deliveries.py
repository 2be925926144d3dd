"""Bronze over generated Synthea deliveries: every version's headers, and exactly once end to end."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from framework.engine.bronze.archive import archive
from framework.engine.bronze.ingest import ingest
from framework.engine.bronze.ingest_log import PENDING, IngestLog
from framework.engine.lakehouse import Lakehouse
from framework.engine.report import Report
from framework.engine.runs import new_run_id
from framework.generate import generate
from tests.helpers import make_env, shipped_catalog


def csv_rows(folder: Path) -> dict[str, int]:
    """Data lines per source in a folder of delivered files (what bronze must hold)."""
    counts: dict[str, int] = {}
    for path in folder.rglob("*.csv"):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
        source = path.relative_to(folder).parts[0]
        counts[source] = counts.get(source, 0) + len(lines)
    return counts


def bronze_rows(lakehouse: Lakehouse) -> dict[str, int]:
    return {s: lakehouse.table(spec.table).count() for s, spec in shipped_catalog().bronze.items()}


def run_ingest(lakehouse: Lakehouse) -> Report:
    report = Report(quiet=True)
    ingest(lakehouse, shipped_catalog().bronze, new_run_id(), report)
    return report


@pytest.mark.parametrize("version", ["3.0", "3.2", "3.4"])
def test_generated_exports_of_each_version_load_clean(spark: Any, tmp_path: Path, lakehouse_root: Path,
                                                      version: str) -> None:
    lakehouse = Lakehouse(spark, make_env(tmp_path, lakehouse_root))
    generate(lakehouse.env.landing_path, patients=12, seed=7, synthea_version=version)
    expected = csv_rows(lakehouse.env.landing_path)
    report = run_ingest(lakehouse)
    assert report.of_level("error") == [] and report.of_level("warning") == []
    got = bronze_rows(lakehouse)
    assert {s: got[s] for s in expected} == expected
    rescued = lakehouse.sql(f"SELECT count(*) FROM {lakehouse.name('patients_bronze')} WHERE _rescue_reason IS NOT NULL")
    assert rescued.first()[0] == 0
    if version == "3.0":
        old = lakehouse.sql(f"SELECT count(START_YEAR), count(START_DATE) FROM {lakehouse.name('payer_transitions_bronze')}")
        assert tuple(old.first()) == (expected["payer_transitions"], 0)


def test_deliveries_resends_and_crashes_leave_exactly_the_distinct_files(spark: Any, tmp_path: Path,
                                                                         lakehouse_root: Path) -> None:
    lakehouse = Lakehouse(spark, make_env(tmp_path, lakehouse_root))
    landing = lakehouse.env.landing_path
    delivered = tmp_path / "delivered"  # a copy of every distinct delivery, to count expected rows
    for delivery in (1, 2):
        generate(landing, patients=10, seed=3, deliveries=2, delivery=delivery)
        shutil.copytree(landing, delivered / f"d{delivery}", ignore=shutil.ignore_patterns("archive"))
        run_ingest(lakehouse)
        if delivery == 1:  # the run dies between ingest and archive, and even before its log update
            log = IngestLog(lakehouse)
            entries = log.entries()
            for entry in entries:
                entry.status = PENDING
            log.append(entries)
            run_ingest(lakehouse)  # the rerun
        archive(lakehouse, Report(quiet=True))
    generate(landing, patients=10, seed=3, deliveries=2, delivery=2)  # delivery 2 re-sent, identical
    report = run_ingest(lakehouse)
    assert sum("same content as" in f.message for f in report.findings) == len(list(landing.rglob("*.csv"))) - len(
        list(landing.rglob("archive/**/*.csv")))
    archive(lakehouse, Report(quiet=True))
    expected = csv_rows(delivered / "d1")
    for source, rows in csv_rows(delivered / "d2").items():
        expected[source] = expected.get(source, 0) + rows
    got = bronze_rows(lakehouse)
    assert {s: got[s] for s in expected} == expected
    assert not [p for p in landing.glob("*/*.csv")]
