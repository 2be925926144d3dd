"""What Synthea itself writes, through the whole pipeline: `medallion generate --engine synthea`
for about 20 patients, `medallion run`, then `medallion check` passes on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from framework.config import Environment
from framework.jobs.cli import main
from framework.specs.catalog import load_catalog
from tests.helpers import PROJECT, medallion, require_real_synthea

pytestmark = pytest.mark.slow


def data_lines(landing: Path) -> dict[str, int]:
    """Rows per source as the files hold them (Synthea writes one line per row, never quoted)."""
    counts = {}
    for folder in sorted(p for p in landing.iterdir() if p.is_dir()):
        with (folder / f"{folder.name}.csv").open("rb") as handle:
            counts[folder.name] = sum(1 for line in handle if line.strip()) - 1
    return counts


def test_real_synthea_runs_end_to_end_and_reconciles(spark: Any, env: Environment,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    require_real_synthea()
    landing = Path(env.landing)
    assert main(["generate", "--engine", "synthea", "--patients", "20", "--seed", "11",
                 "--set", f"landing={landing}"]) == 0
    landed = data_lines(landing)
    assert landed["patients"] >= 20 and landed["claims_transactions"] > 0

    assert medallion(env, spark, "run") == 0, capsys.readouterr().err
    capsys.readouterr()
    assert medallion(env, spark, "check") == 0, capsys.readouterr()
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) >= 30 and all(line.startswith("ok ") for line in printed), printed

    # nothing lost, nothing rescued: every row of every file is in its bronze table, typed
    bronze = load_catalog(PROJECT / "tables").bronze
    for source, rows in landed.items():
        landed_rows, rescued = spark.sql(f"SELECT count(*), count(_rescued_data) "
                                         f"FROM {env.table_name(bronze[source].table)}").first()
        assert landed_rows == rows, source
        assert rescued == 0, source
    # every target holds rows; the gold snapshot has months for insured patients only
    for target in ("claims_silver", "patient_encounters_silver", "medications_silver", "procedures_silver"):
        assert spark.table(env.table_name(target)).count() > 0, target
    gold = spark.table(env.table_name("member_monthly_snapshot_gold"))
    assert 0 < gold.select("patient_id").distinct().count() <= landed["patients"]
