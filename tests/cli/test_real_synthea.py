"""The release matrix: what every Synthea release on Maven Central writes, through the whole
pipeline (docs/synthea.md lists the releases and what differs between them).

Per release, real Synthea's export of about ten patients (`medallion generate --engine synthea
--synthea-release V`, run once per machine and kept in the cache) goes through `medallion run`,
then `medallion check`. Asserted: every landed line is in bronze, no value is rescued (a
release's own output fits our types), no per-row warning is printed, every check passes, and
every target holds rows.

The oldest release, the one that differs most (no end date, START_YEAR payer transitions),
arrives the way new data does: first the export with half of the patients, then the whole export
again, and every target must then equal a full rebuild with unique keys. The other releases load
once: their incremental path is the same engine over the same columns, and the pinned release's
is proven on a real re-export by test_real_synthea_reexport (an incremental load is the costly
part of this matrix: one per release tripled its time in CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from framework.config import Environment
from framework.engine.lakehouse import Lakehouse
from framework.specs.loader import load_catalog
from tests.engine.conftest import Lake
from tests.helpers import medallion_in_session, require_real_synthea, shipped_catalog, synthea_export, write_bytes

pytestmark = [pytest.mark.slow, pytest.mark.synthea]

#: Every 3.x release on Maven Central (3.4 is not published there)
RELEASES = ["3.0.0", "3.1.0", "3.2.0", "3.3.0"]
#: the release delivered in two parts (an incremental load) and compared with a full rebuild
DELIVERED_IN_TWO = "3.0.0"
PATIENTS, SEED = 10, 11
PATIENT_COLUMNS = ("PATIENT", "PATIENTID")  # patients.csv: its Id


def land(export: Path, landing: Path, patients: set[str] | None = None) -> dict[str, bytes]:
    """Copy the export's files into landing; with `patients`, only their rows (files without a
    patient column, the organizations, providers and payers, whole). Returns each file's bytes."""
    files = {}
    for folder in sorted(p for p in export.iterdir() if p.is_dir()):
        source = folder.name
        lines = (folder / f"{source}.csv").read_bytes().splitlines(keepends=True)
        header = lines[0].decode().rstrip("\r\n").split(",")
        column = 0 if source == "patients" else next((header.index(c) for c in PATIENT_COLUMNS if c in header), None)
        if patients is not None and column is not None:  # Synthea never quotes: a comma separates fields
            lines = lines[:1] + [line for line in lines[1:] if line.split(b",")[column].decode() in patients]
        files[source] = b"".join(lines)
        write_bytes(landing, source, f"{source}.csv", files[source])
    return files


def data_rows(data: bytes) -> int:
    return sum(1 for line in data.splitlines() if line.strip()) - 1


@pytest.mark.parametrize("release", RELEASES)
def test_a_real_synthea_release_loads_clean(release: str, spark: Any, env: Environment,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    require_real_synthea()
    export = synthea_export(PATIENTS, SEED, release=release)
    ids = sorted(line.split(",", 1)[0] for line in (export / "patients" / "patients.csv").read_text().splitlines()[1:])
    assert len(ids) >= PATIENTS

    in_two = release == DELIVERED_IN_TWO
    first: dict[str, bytes] = {}
    if in_two:
        first = land(export, env.landing_path, set(ids[: len(ids) // 2]))
        assert medallion_in_session(env, spark, "run") == 0, capsys.readouterr().err
    whole = land(export, env.landing_path)
    assert medallion_in_session(env, spark, "run") == 0, capsys.readouterr().err
    printed = capsys.readouterr()
    assert "rescued" not in printed.out + printed.err  # no per-row warning

    assert medallion_in_session(env, spark, "check") == 0, capsys.readouterr()
    checks = capsys.readouterr().out.splitlines()
    assert len(checks) >= 30 and all(line.startswith("ok ") for line in checks), checks

    # every landed line is in bronze, typed: both deliveries, but a file delivered again byte for
    # byte (organizations, providers, payers) is skipped
    bronze = shipped_catalog().bronze
    for source, data in whole.items():
        before = first.get(source)
        expected = (data_rows(before) if before else 0) + (data_rows(data) if data != before else 0)
        rows, rescued = spark.sql(f"SELECT count(*), count(_rescued_data) "
                                  f"FROM {env.table_name(bronze[source].table)}").first()
        assert (rows, rescued) == (expected, 0), source

    if in_two:
        lake = Lake(Lakehouse(spark, env), load_catalog(env.tables_path))
        lake.check()  # every target equals a full rebuild from bronze, no key repeats
    for target in ("claims_silver", "patient_encounters_silver", "medications_silver", "procedures_silver"):
        assert spark.table(env.table_name(target)).count() > 0, target
    gold = spark.table(env.table_name("member_monthly_snapshot_gold"))
    assert 0 < gold.select("patient_id").distinct().count() <= len(ids)
