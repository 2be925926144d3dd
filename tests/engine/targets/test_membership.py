"""Gold membership on coverage periods shaped like a real Synthea 3.0 export (targets.md
section 5): a patient is a member in a month when any real payer covers any day of it; the
month's payer is the real payer whose period started last.

The newborn below is what a real 3.0 export held: a Medicaid period that starts and ends at one
instant, and a NO_INSURANCE period starting at that same instant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from framework.generate import header as synthea_header
from tests.engine.conftest import Lake
from tests.engine.targets.deliveries import HEADERS, HEADERS_3_0, ORGANIZATIONS, PROVIDERS, Delivery, encounter, patient

BIRTH = "2024-01-10T23:24:16Z"
TARGETS = ["patient_encounters_silver", "medications_silver", "member_monthly_snapshot_gold"]


def coverage(pid: str, start: str, end: str, payer: str) -> dict[str, str]:
    """A Synthea 3.0 payer_transitions row (START_YEAR/END_YEAR hold full datetimes)."""
    return {"PATIENT": pid, "MEMBERID": "" if payer == "none" else f"{pid}-{payer}", "START_YEAR": start,
            "END_YEAR": end, "PAYER": payer, "OWNERSHIP": "" if payer == "none" else "Guardian"}


def delivery() -> Delivery:
    payers = [{"Id": "medicaid", "NAME": "Medicaid", "QOLS_AVG": "NaN"},
              {"Id": "aetna", "NAME": "Aetna", "QOLS_AVG": "NaN"},
              {"Id": "none", "NAME": "NO_INSURANCE", "QOLS_AVG": "NaN"}]
    patients = [{k: v for k, v in patient(pid, birth, pid, "Boston", "02134").items() if k not in ("FIPS", "INCOME")}
                for pid, birth in (("newborn", "2024-01-10"), ("switcher", "1990-05-05"))]
    transitions = [
        coverage("newborn", BIRTH, BIRTH, "medicaid"),
        coverage("newborn", BIRTH, "2025-01-01T00:00:00Z", "none"),
        # January: Medicaid, then Aetna from the 15th, then uninsured from the 20th
        coverage("switcher", "2023-01-01T00:00:00Z", "2024-01-15T00:00:00Z", "medicaid"),
        coverage("switcher", "2024-01-15T00:00:00Z", "2024-01-20T00:00:00Z", "aetna"),
        coverage("switcher", "2024-01-20T00:00:00Z", "2025-01-01T00:00:00Z", "none"),
    ]
    encounters = [
        encounter("birth", "2024-01-10T23:24:16Z", "2024-01-11T00:24:16Z", "newborn", "o1", "pr1", "wellness",
                  "269.68", "0.00"),
        encounter("checkup", "2024-02-12T09:00:00Z", "2024-02-12T09:30:00Z", "newborn", "o1", "pr1", "wellness",
                  "150.00", "0.00"),
        encounter("visit", "2023-12-01T09:00:00Z", "2023-12-01T09:30:00Z", "switcher", "o1", "pr1", "ambulatory",
                  "80.00", "60.00"),
    ]
    return {
        "patients": (HEADERS_3_0["patients"], patients),
        "payers": (",".join(synthea_header("payers", "3.0")), payers),
        "payer_transitions": (HEADERS_3_0["payer_transitions"], transitions),
        "organizations": (HEADERS["organizations"], ORGANIZATIONS),
        "providers": (HEADERS["providers"], PROVIDERS),
        "encounters": (HEADERS["encounters"], encounters),
        "conditions": (HEADERS["conditions"], []),
        "medications": (HEADERS["medications"], []),
    }


@pytest.fixture(scope="module")
def lake(new_lake: Callable[..., Lake], run_ids: dict[str, str]) -> Lake:
    lake = new_lake()
    lake.deliver(delivery(), "d1", run_ids["d1"])
    lake.load(TARGETS)
    lake.check(TARGETS)
    return lake


def months(lake: Lake, pid: str) -> list[dict[str, Any]]:
    return lake.rows("member_monthly_snapshot_gold", f"patient_id = '{pid}'", order="month_start_date")


def test_a_real_payer_starting_with_no_insurance_makes_the_month_a_member_month(lake: Lake) -> None:
    [january] = months(lake, "newborn")  # February: NO_INSURANCE only, not a member month
    assert (january["month_start_date"], january["payer_id"]) == (date(2024, 1, 1), "medicaid")
    assert (january["total_encounters"], january["total_cost"]) == (1, Decimal("269.68"))


def test_the_months_payer_is_the_real_payer_that_started_last(lake: Lake) -> None:
    rows = months(lake, "switcher")
    assert [(r["month_start_date"], r["payer_id"]) for r in rows] == [(date(2023, 12, 1), "medicaid"),
                                                                      (date(2024, 1, 1), "aetna")]
