"""Real Synthea's way of delivering new data: two 3.3.0 exports of one population (same seeds and
reference date), six months apart (`--end-date`), delivered one after the other through
`medallion run`. The second export has every file whole again, with claims_transactions ID and
CHARGEID renumbered (../shared/spec/synthea-csv.md, Deliveries), so each check below compares
the targets with what the two exports say, computed from the CSV files in plain Python:

- claims_silver holds each (claim, line_number) once: the second export's lines plus those of
  the first export's claims that the second no longer carries (targets.md, section 1);
- a claim's payments add up to those of the latest export carrying it;
- each medication group (PATIENT, ENCOUNTER, CODE, START) has exactly the rows of the latest
  export carrying it (targets.md, section 3);
- every target equals a full rebuild from bronze.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from framework.config import Environment
from framework.engine.lakehouse import Lakehouse
from framework.specs.loader import load_catalog
from tests.engine.conftest import Lake
from tests.helpers import make_env, medallion_in_session, require_real_synthea, synthea_export

pytestmark = [pytest.mark.slow, pytest.mark.spark, pytest.mark.synthea]

PATIENTS, SEED = 12, 21
END_DATES = (date(2025, 1, 1), date(2025, 7, 1))  # the reference date, then six months on

MedicationGroup = tuple[str, str, str, str]
MedicationRow = tuple[str | None, int, Decimal]


def read(export: Path, source: str) -> list[dict[str, str]]:
    with (export / source / f"{source}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def money(values: list[str]) -> Decimal | None:
    """Sum of the non-empty values (None when every one is empty, as SQL's sum of nulls)."""
    present = [Decimal(v) for v in values if v]
    return sum(present, Decimal(0)) if present else None


@dataclass
class Expected:
    """What the targets must hold, from the two exports' CSV files."""

    claim_lines: int
    claim_payments: dict[str, Decimal | None]
    medication_groups: dict[MedicationGroup, Counter[MedicationRow]]


def expected(first: Path, second: Path) -> Expected:
    lines: dict[str, list[dict[str, str]]] = {}
    groups: dict[MedicationGroup, Counter[MedicationRow]] = {}
    for export in (first, second):  # the later export replaces what it carries
        by_claim: dict[str, list[dict[str, str]]] = {}
        for row in read(export, "claims_transactions"):
            by_claim.setdefault(row["CLAIMID"], []).append(row)
        lines.update(by_claim)
        by_group: dict[MedicationGroup, Counter[MedicationRow]] = {}
        for m in read(export, "medications"):
            group = (m["PATIENT"], m["ENCOUNTER"], m["CODE"], m["START"])
            by_group.setdefault(group, Counter())[(m["STOP"] or None, int(m["DISPENSES"]), Decimal(m["TOTALCOST"]))] += 1
        groups.update(by_group)
    return Expected(
        claim_lines=sum(len(ls) for ls in lines.values()),
        claim_payments={claim: money([r["PAYMENTS"] for r in ls]) for claim, ls in lines.items()},
        medication_groups=groups,
    )


def deliver(export: Path, landing: Path) -> None:
    shutil.copytree(export, landing, dirs_exist_ok=True)


@pytest.fixture(scope="module")
def exports() -> tuple[Path, Path]:
    require_real_synthea()
    first, second = (synthea_export(PATIENTS, SEED, end) for end in END_DATES)
    return first, second


@pytest.fixture(scope="module")
def lake(spark: Any, lakehouse_root: Path, tmp_path_factory: pytest.TempPathFactory,
         exports: tuple[Path, Path]) -> Iterator[Lake]:
    """Export 1 delivered and loaded, then export 2 delivered and loaded (incrementally)."""
    env: Environment = make_env(tmp_path_factory.mktemp("reexport"), lakehouse_root)
    for export in exports:
        deliver(export, env.landing_path)
        assert medallion_in_session(env, spark, "run") == 0
    yield Lake(Lakehouse(spark, env), load_catalog(env.tables_path))


def lines_by_position(export: Path) -> dict[tuple[str, int], dict[str, str]]:
    """Each transaction line under (claim, its position in the claim by CHARGEID)."""
    claims: dict[str, list[dict[str, str]]] = {}
    for row in read(export, "claims_transactions"):
        claims.setdefault(row["CLAIMID"], []).append(row)
    return {(claim, n): row for claim, rows in claims.items()
            for n, row in enumerate(sorted(rows, key=lambda r: int(r["CHARGEID"])), start=1)}


def test_the_second_export_is_a_re_export(exports: tuple[Path, Path]) -> None:
    """The premise: claims and encounters keep their ids; a line at the same (claim, position)
    mostly has another transaction ID."""
    claims = [{r["Id"] for r in read(e, "claims")} for e in exports]
    assert len(claims[0] & claims[1]) >= 0.8 * len(claims[0]) and claims[1] - claims[0]
    encounters = [{r["Id"] for r in read(e, "encounters")} for e in exports]
    assert len(encounters[0] & encounters[1]) >= 0.8 * len(encounters[0])
    first, second = (lines_by_position(e) for e in exports)
    both = set(first) & set(second)
    assert len(both) >= 0.8 * len(first)
    assert sum(first[line]["ID"] == second[line]["ID"] for line in both) <= 0.1 * len(both)


def test_claims_silver_holds_each_line_of_the_latest_export_once(lake: Lake, exports: tuple[Path, Path]) -> None:
    want = expected(*exports).claim_lines
    rows = lake.scalar("SELECT count(*) FROM claims_silver")
    assert rows == want, (f"claims_silver has {rows} rows; the second export's lines plus those of the first "
                          f"export's claims it no longer carries are {want}")
    lines = lake.scalar("SELECT count(DISTINCT claim_id, line_number) FROM claims_silver")
    assert lines == rows, "a (claim_id, line_number) repeats"


def test_claim_payments_equal_the_latest_export(lake: Lake, exports: tuple[Path, Path]) -> None:
    want = expected(*exports).claim_payments
    got = {r[0]: r[1] for r in lake.lakehouse.sql(
        f"SELECT claim_id, sum(payment_amount) FROM {lake.lakehouse.name('claims_silver')} GROUP BY claim_id").collect()}
    wrong = {c: (got.get(c), want.get(c)) for c in set(got) | set(want) if got.get(c) != want.get(c)}
    assert not wrong, f"{len(wrong)} of {len(want)} claims have other payments (silver, latest export), e.g. " \
                      f"{sorted(wrong.items())[:3]}"


def test_each_medication_group_has_the_rows_of_the_latest_export(lake: Lake, exports: tuple[Path, Path]) -> None:
    want = expected(*exports).medication_groups
    got: dict[MedicationGroup, Counter[MedicationRow]] = {}
    stamp = "yyyy-MM-dd'T'HH:mm:ss'Z'"  # as Synthea writes it; the session time zone is UTC
    for r in lake.lakehouse.sql(
            f"SELECT patient_id, encounter_id, medication_code, date_format(prescription_start_date, \"{stamp}\"), "
            f"date_format(prescription_stop_date, \"{stamp}\"), dispenses, total_cost "
            f"FROM {lake.lakehouse.name('medications_silver')}").collect():
        got.setdefault((r[0], r[1], r[2], r[3]), Counter())[(r[4], int(r[5]), r[6])] += 1
    wrong = {g: (got.get(g), want.get(g)) for g in set(got) | set(want) if got.get(g) != want.get(g)}
    assert not wrong, f"{len(wrong)} of {len(want)} medication groups differ (silver, latest export), e.g. " \
                      f"{sorted(wrong.items(), key=str)[:3]}"


def test_every_target_equals_a_full_rebuild(lake: Lake) -> None:
    lake.check()
