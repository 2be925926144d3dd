"""Value formats exactly as Synthea writes them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from framework.generate import GenerateReport

from .helpers import SOURCES, Table, load, rows

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
MONEY = re.compile(r"^-?\d+\.\d{2}$")
BALANCE = re.compile(r"^(0|\d+\.\d{2})$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

DATES = {
    "patients": ("BIRTHDATE", "DEATHDATE"), "allergies": ("START", "STOP"), "conditions": ("START", "STOP"),
    "careplans": ("START", "STOP"), "supplies": ("DATE",),
}
STAMPS = {
    "encounters": ("START", "STOP"), "claims": ("CURRENTILLNESSDATE", "SERVICEDATE", "LASTBILLEDDATE1",
                                                "LASTBILLEDDATE2", "LASTBILLEDDATEP"),
    "claims_transactions": ("FROMDATE", "TODATE"), "devices": ("START", "STOP"), "imaging_studies": ("DATE",),
    "immunizations": ("DATE",), "medications": ("START", "STOP"), "observations": ("DATE",),
    "payer_transitions": ("START_DATE", "END_DATE"), "procedures": ("START", "STOP"),
}
MONIES = {
    "encounters": ("BASE_ENCOUNTER_COST", "TOTAL_CLAIM_COST", "PAYER_COVERAGE"),
    "medications": ("BASE_COST", "PAYER_COVERAGE", "TOTALCOST"), "procedures": ("BASE_COST",),
    "immunizations": ("BASE_COST",), "payers": ("AMOUNT_COVERED", "AMOUNT_UNCOVERED", "REVENUE"),
    "organizations": ("REVENUE",), "patients": ("HEALTHCARE_EXPENSES", "HEALTHCARE_COVERAGE"),
    "claims_transactions": ("AMOUNT", "UNITAMOUNT", "TRANSFERS"),
}
BALANCES = {
    "claims_transactions": ("PAYMENTS", "ADJUSTMENTS", "OUTSTANDING"),
    "claims": ("OUTSTANDING1", "OUTSTANDING2", "OUTSTANDINGP"),
}
IDS = {
    "patients": ("Id",), "encounters": ("Id", "PATIENT", "ORGANIZATION", "PROVIDER", "PAYER"),
    "claims": ("Id", "PATIENTID", "PROVIDERID", "APPOINTMENTID"), "claims_transactions": ("ID", "CLAIMID"),
    "organizations": ("Id",), "providers": ("Id", "ORGANIZATION"), "payers": ("Id",), "careplans": ("Id",),
}
REQUIRED = {"patients": ("BIRTHDATE",), "encounters": ("START", "STOP"), "observations": ("DATE",)}


def _tables(landing: Path, deliveries: range) -> list[Table]:
    found = []
    for k in deliveries:
        for source in SOURCES:
            table = load(landing, source, k)
            if table is not None:
                found.append(table)
    return found


def _check(table: Table, source: str, columns: Mapping[str, tuple[str, ...]], pattern: re.Pattern[str],
           optional: bool = True) -> None:
    for column in columns.get(source, ()):
        for value in table.column(column):
            if value or not optional:
                assert pattern.match(value), f"{table.path.name} {column}={value!r}"


def test_every_line_splits_into_header_width_and_nothing_is_quoted(series: tuple[Path, GenerateReport]) -> None:
    landing, report = series
    tables = _tables(landing, range(1, 4))
    assert len(tables) == len(report.files)
    for table in tables:  # Table() already checked field counts, LF endings, UTF-8 without BOM
        assert all('"' not in line for line in table.lines), table.path
        assert len(table) == next(f.rows for f in report.files if f.path == table.path)


def test_dates_timestamps_money_and_ids(series: tuple[Path, GenerateReport]) -> None:
    landing, _ = series
    for k in range(1, 4):
        for source in SOURCES:
            table = load(landing, source, k)
            if table is None:
                continue
            _check(table, source, DATES, DATE)
            _check(table, source, STAMPS, STAMP)
            _check(table, source, MONIES, MONEY)
            _check(table, source, BALANCES, BALANCE)
            _check(table, source, IDS, UUID, optional=False)
            for column in REQUIRED.get(source, ()):
                assert all(table.column(column)), (source, column)


def test_synthea_quirks_are_present(single: tuple[Path, GenerateReport]) -> None:
    landing, _ = single
    transactions = rows(landing, "claims_transactions")
    assert any(r["TODATE"] == "1970-01-01T00:00:00Z" for r in transactions)
    assert {r["OUTSTANDING"] for r in transactions} >= {"0"}
    assert any(r["OUTSTANDING"] not in ("", "0") for r in transactions)
    payers = rows(landing, "payers")
    assert any(r["QOLS_AVG"] == "NaN" for r in payers)
    observations = rows(landing, "observations")
    assert any("  " in r["DESCRIPTION"] for r in observations + rows(landing, "immunizations"))
    gbd = [r for r in observations if r["CODE"] in ("QALY", "DALY", "QOLS")]
    assert gbd and all(r["ENCOUNTER"] == "" for r in gbd)
    assert all(r["ENCOUNTER"] for r in observations if r["CODE"] not in ("QALY", "DALY", "QOLS"))


def test_leading_zeros_and_names(single: tuple[Path, GenerateReport]) -> None:
    landing, _ = single
    patients = rows(landing, "patients")
    assert any(p["ZIP"].startswith("0") for p in patients), "Massachusetts ZIPs start with 0"
    assert any(p["FIPS"].startswith("0") for p in patients), "Connecticut county FIPS start with 09"
    assert all(len(p["ZIP"]) == 5 and len(p["FIPS"]) == 5 for p in patients)
    assert any(o["ZIP"].startswith("0") for o in rows(landing, "organizations"))
    names = [p[c] for p in patients for c in ("FIRST", "MIDDLE", "LAST", "MAIDEN")]
    names += [p["NAME"] for p in rows(landing, "providers")]
    assert any(not n.isascii() for n in names)
    assert any("'" in n for n in names)
    assert all(re.search(r"\d$", p["FIRST"]) and re.search(r"\d$", p["LAST"]) for p in patients)


@pytest.mark.parametrize("source", ["observations", "supplies"])
def test_exact_duplicate_rows_exist(single: tuple[Path, GenerateReport], source: str) -> None:
    table = load(single[0], source)
    assert table is not None
    assert len(set(table.lines)) < len(table.lines)
