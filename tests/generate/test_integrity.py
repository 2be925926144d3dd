"""Every reference resolves, and the money adds up."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from framework.generate import GenerateReport

from .helpers import rows

ENCOUNTER_FACTS = ("allergies", "careplans", "conditions", "devices", "imaging_studies", "immunizations",
                   "medications", "procedures", "supplies")


def _ids(landing: Path, source: str, column: str = "Id") -> set[str]:
    return {r[column] for r in rows(landing, source)}


def test_references_resolve(single: tuple[Path, GenerateReport]) -> None:
    landing, _ = single
    patients = _ids(landing, "patients")
    encounters = _ids(landing, "encounters")
    organizations = _ids(landing, "organizations")
    providers = _ids(landing, "providers")
    payers = _ids(landing, "payers")
    claims = _ids(landing, "claims")
    transitions = rows(landing, "payer_transitions")
    members = {r["MEMBERID"] for r in transitions} | {""}

    for r in rows(landing, "encounters"):
        assert r["PATIENT"] in patients and r["ORGANIZATION"] in organizations
        assert r["PROVIDER"] in providers and r["PAYER"] in payers
    for source in ENCOUNTER_FACTS:
        for r in rows(landing, source):
            assert r["PATIENT"] in patients and r["ENCOUNTER"] in encounters, source
    for r in rows(landing, "observations"):
        assert r["PATIENT"] in patients and r["ENCOUNTER"] in encounters | {""}
    for r in rows(landing, "medications"):
        assert r["PAYER"] in payers
    for r in rows(landing, "claims"):
        assert r["PATIENTID"] in patients and r["APPOINTMENTID"] in encounters
        assert {r["PROVIDERID"], r["SUPERVISINGPROVIDERID"]} <= providers
        assert r["REFERRINGPROVIDERID"] in providers | {""}
        assert r["PRIMARYPATIENTINSURANCEID"] in payers
        assert r["SECONDARYPATIENTINSURANCEID"] in payers | {""}
        assert r["DIAGNOSIS1"]
    for r in rows(landing, "claims_transactions"):
        assert r["CLAIMID"] in claims and r["PATIENTID"] in patients and r["APPOINTMENTID"] in encounters
        assert r["PLACEOFSERVICE"] in organizations
        assert {r["PROVIDERID"], r["SUPERVISINGPROVIDERID"]} <= providers
        assert r["PATIENTINSURANCEID"] in members  # 3.4: the MEMBERID of payer_transitions
    for r in transitions:
        assert r["PATIENT"] in patients and r["PAYER"] in payers and r["SECONDARY_PAYER"] in payers | {""}
    for r in rows(landing, "providers"):
        assert r["ORGANIZATION"] in organizations


def test_claims_are_one_per_encounter_plus_one_per_prescription(single: tuple[Path, GenerateReport]) -> None:
    landing, _ = single
    claims = rows(landing, "claims")
    encounters = rows(landing, "encounters")
    medications = rows(landing, "medications")
    assert len(claims) == len(encounters) + len(medications)
    assert 1.4 <= len(claims) / len(encounters) <= 2.0
    per_encounter: dict[str, int] = defaultdict(int)
    for c in claims:
        per_encounter[c["APPOINTMENTID"]] += 1
    assert set(per_encounter) == {e["Id"] for e in encounters}
    assert {c["STATUS1"] for c in claims} == {"CLOSED", "BILLED"}


def test_money_adds_up(single: tuple[Path, GenerateReport]) -> None:
    landing, _ = single
    charges: dict[str, Decimal] = defaultdict(Decimal)
    paid: dict[str, Decimal] = defaultdict(Decimal)
    kinds = set()
    for t in rows(landing, "claims_transactions"):
        kinds.add(t["TYPE"])
        if t["TYPE"] == "CHARGE":
            charges[t["APPOINTMENTID"]] += Decimal(t["AMOUNT"])
            assert Decimal(t["AMOUNT"]) == Decimal(t["UNITAMOUNT"]) * int(t["UNITS"])
        elif t["TYPE"] in ("PAYMENT", "ADJUSTMENT"):
            paid[t["APPOINTMENTID"]] += Decimal(t["PAYMENTS"]) + Decimal(t["ADJUSTMENTS"])
    assert kinds == {"CHARGE", "PAYMENT", "ADJUSTMENT", "TRANSFERIN", "TRANSFEROUT"}
    medication_cost: dict[str, Decimal] = defaultdict(Decimal)
    for m in rows(landing, "medications"):
        assert Decimal(m["TOTALCOST"]) == Decimal(m["BASE_COST"]) * int(m["DISPENSES"])
        assert Decimal(m["PAYER_COVERAGE"]) <= Decimal(m["TOTALCOST"])
        medication_cost[m["ENCOUNTER"]] += Decimal(m["TOTALCOST"])
    payers = {p["Id"]: p["NAME"] for p in rows(landing, "payers")}
    billed = {c["APPOINTMENTID"] for c in rows(landing, "claims") if c["STATUS1"] == "BILLED"}
    for e in rows(landing, "encounters"):
        total, covered = Decimal(e["TOTAL_CLAIM_COST"]), Decimal(e["PAYER_COVERAGE"])
        assert Decimal(e["BASE_ENCOUNTER_COST"]) <= total and covered <= total
        assert charges[e["Id"]] == total + medication_cost[e["Id"]]
        if payers[e["PAYER"]] == "NO_INSURANCE":
            assert covered == 0
        if e["Id"] not in billed:
            assert paid[e["Id"]] == charges[e["Id"]], "everything charged was settled"


def test_distributions_are_plausible(single: tuple[Path, GenerateReport]) -> None:
    landing, report = single
    encounters = rows(landing, "encounters")
    classes: dict[str, int] = defaultdict(int)
    for e in encounters:
        classes[e["ENCOUNTERCLASS"]] += 1
    assert set(classes) == {"wellness", "ambulatory", "outpatient", "emergency", "inpatient", "urgentcare"}
    assert classes["ambulatory"] > classes["wellness"] > classes["emergency"] > classes["inpatient"]
    assert 15 <= len(encounters) / report.patients <= 60
    payers = rows(landing, "payers")
    assert "NO_INSURANCE" in {p["NAME"] for p in payers} and len(payers) >= 9
    patients = rows(landing, "patients")
    assert any(p["DEATHDATE"] for p in patients)
    chronic = {"44054006", "59621000", "38341003", "55822004"}
    assert chronic & {c["CODE"] for c in rows(landing, "conditions")}


def test_coverage_periods_are_contiguous(single: tuple[Path, GenerateReport]) -> None:
    landing, _ = single
    by_patient: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows(landing, "payer_transitions"):
        by_patient[r["PATIENT"]].append(r)
    no_insurance = next(p["Id"] for p in rows(landing, "payers") if p["NAME"] == "NO_INSURANCE")
    deaths = {p["Id"]: p["DEATHDATE"] for p in rows(landing, "patients") if p["DEATHDATE"]}
    uninsured = past_death = 0
    for patient, periods in by_patient.items():
        periods.sort(key=lambda r: r["START_DATE"])
        for a, b in pairwise(periods):
            assert a["END_DATE"][:10] < b["START_DATE"][:10] and a["END_DATE"].endswith("T23:59:59Z")
            assert b["START_DATE"].endswith("T00:00:00Z")
        uninsured += any(r["PAYER"] == no_insurance for r in periods)
        if patient in deaths:
            past_death += periods[-1]["END_DATE"][:10] > deaths[patient]
    assert uninsured > 0
    assert past_death > 0, "as in Synthea, coverage rows run past death"
