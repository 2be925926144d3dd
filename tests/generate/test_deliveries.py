"""Later deliveries: full dimension files again, only new facts, re-sent prescriptions, and a
late-arriving patient."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from framework.generate import GenerateReport

from .conftest import SERIES
from .helpers import SOURCES, rows

FACTS = ("allergies", "careplans", "claims", "claims_transactions", "conditions", "devices", "encounters",
         "imaging_studies", "immunizations", "medications", "observations", "procedures", "supplies")
ADDRESS = ("ADDRESS", "CITY", "ZIP", "COUNTY", "LAT", "LON")


def _patient_column(source: str) -> str:
    return "PATIENTID" if source in ("claims", "claims_transactions") else "PATIENT"


def test_dimensions_are_resent_with_the_same_ids(series: tuple[Path, GenerateReport]) -> None:
    landing, _ = series
    for source in ("organizations", "providers", "payers"):
        ids = [{r["Id"] for r in rows(landing, source, k)} for k in range(1, SERIES + 1)]
        assert ids[0] and all(i == ids[0] for i in ids), source
    first = {r["Id"]: r for r in rows(landing, "patients", 1)}
    second = {r["Id"]: r for r in rows(landing, "patients", 2)}
    assert set(first) < set(second), "the full patients file again, plus new patients"
    moved = [i for i in first if any(first[i][c] != second[i][c] for c in ADDRESS)]
    assert 1 <= len(moved) <= 0.2 * len(first)
    for i in first:
        assert first[i]["BIRTHDATE"] == second[i]["BIRTHDATE"] and first[i]["SSN"] == second[i]["SSN"]
    keys1 = {(r["PATIENT"], r["START_DATE"]) for r in rows(landing, "payer_transitions", 1)}
    keys2 = {(r["PATIENT"], r["START_DATE"]) for r in rows(landing, "payer_transitions", 2)}
    assert keys1 <= keys2


def test_later_deliveries_hold_only_new_facts(series: tuple[Path, GenerateReport]) -> None:
    landing, report = series
    seen: set[str] = set()
    last = ""
    for k in range(1, SERIES + 1):
        encounters = rows(landing, "encounters", k)
        ids = {e["Id"] for e in encounters}
        assert ids and not ids & seen
        if k > 1:
            assert min(e["START"] for e in encounters) > last
            assert len(encounters) <= 0.15 * report.rows("encounters", 1)
            for source in FACTS:
                if source in ("encounters", "medications"):
                    continue
                column = "APPOINTMENTID" if source in ("claims", "claims_transactions") else "ENCOUNTER"
                assert {r[column] for r in rows(landing, source, k)} <= ids | {""}, source
        seen |= ids
        last = max(e["STOP"] for e in encounters)


def test_open_prescriptions_come_again_with_their_stop(series: tuple[Path, GenerateReport]) -> None:
    landing, _ = series
    open_rows: dict[tuple[str, str, str, str], dict[str, str]] = {}
    for k in range(1, SERIES + 1):
        current = rows(landing, "medications", k)
        if k > 1:
            resent = [m for m in current if (m["PATIENT"], m["ENCOUNTER"], m["CODE"], m["START"]) in open_rows]
            assert resent, f"delivery {k} re-sends no prescription"
            for m in resent:
                before = open_rows.pop((m["PATIENT"], m["ENCOUNTER"], m["CODE"], m["START"]))
                assert m["STOP"] and not before["STOP"]
                assert m["PAYER"] == before["PAYER"] and m["REASONCODE"] == before["REASONCODE"]
        for m in current:
            if not m["STOP"]:
                open_rows[(m["PATIENT"], m["ENCOUNTER"], m["CODE"], m["START"])] = m


def test_medication_pair_with_same_key(single: tuple[Path, GenerateReport]) -> None:
    groups = defaultdict(list)
    for m in rows(single[0], "medications"):
        groups[(m["PATIENT"], m["ENCOUNTER"], m["CODE"], m["START"])].append(m)
    pairs = [g for g in groups.values() if len(g) > 1]
    assert pairs
    assert any(len({(m["STOP"], m["DISPENSES"], m["TOTALCOST"]) for m in g}) == len(g) for g in pairs)


def test_late_arriving_patient(series: tuple[Path, GenerateReport]) -> None:
    landing, _ = series
    listed = [{r["Id"] for r in rows(landing, "patients", k)} for k in range(1, SERIES + 1)]
    for k in range(2, SERIES + 1):
        referenced = set()
        for source in FACTS:
            referenced |= {r[_patient_column(source)] for r in rows(landing, source, k)}
        missing = referenced - listed[k - 1]
        assert missing, f"delivery {k} has no late-arriving patient"
        assert not missing & listed[0]
        if k < SERIES:
            assert missing <= listed[k], "the late patient's row comes with the next delivery"
        transitions = {r["PATIENT"] for r in rows(landing, "payer_transitions", k)}
        assert not missing & transitions
    assert listed[1] - listed[0], "new patients appear in later deliveries"


def test_report_matches_files(series: tuple[Path, GenerateReport]) -> None:
    _, report = series
    assert report.deliveries == tuple(range(1, SERIES + 1))
    for f in report.files:
        assert f.path.exists() and f.source in SOURCES
        assert f.rows == len(f.path.read_text(encoding="utf-8").splitlines()) - 1
    summary = report.summary()
    assert "claims_transactions" in summary and f"{report.total_rows:,}" in summary
