"""Small hand-written Synthea deliveries for the target tests.

A handful of patients, written as CSV files in Synthea's layout (3.4 headers, and 3.0 headers
where a delivery comes from an older export). What each delivery exercises:

- D1: first delivery. Encounter e4 belongs to patient p3, whose patient row is not delivered
  yet; medications hold a pair with the same patient, encounter, code and START (a one-day
  dispense beside an ongoing prescription); a claim line without end date (1970-01-01).
- D2: patients re-sent, p1 moved (new city and ZIP), p3 arrives; other dimensions re-sent with
  changes in columns no target reads (payers byte-identical: bronze skips that file);
  the ongoing prescription comes back with its STOP filled in; an encounter's cost corrected;
  exact duplicate rows; a new encounter a few months later (the months of data grow); claim c1
  comes again whole, unchanged but renumbered (new ID and CHARGEID, as every Synthea export does).
- D3: a Synthea 3.0 export (a new member whose coverage has START_YEAR/END_YEAR and whose
  patient file lacks FIPS and INCOME, a procedure without SYSTEM), ingested under a run id
  *older* than D2's: a run that committed late.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from framework.generate import header as synthea_header

#: the header line of each source, as Synthea 3.4 writes it (the generator's own table)
HEADERS = {source: ",".join(synthea_header(source, "3.4")) for source in (
    "patients", "payers", "organizations", "providers", "encounters", "claims", "claims_transactions",
    "conditions", "medications", "procedures", "payer_transitions", "immunizations")}
#: Synthea 3.0 headers of the files that differ
HEADERS_3_0 = {source: ",".join(synthea_header(source, "3.0")) for source in ("patients", "payer_transitions", "procedures")}

Rows = list[dict[str, str]]
Delivery = dict[str, tuple[str, Rows]]


def write(landing: Path, delivery: Delivery, name: str) -> None:
    """Write one delivery: `<landing>/<source>/<name>.csv` per source (Synthea never quotes)."""
    for source, (header, rows) in delivery.items():
        folder = landing / source
        folder.mkdir(parents=True, exist_ok=True)
        columns = header.split(",")
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                unknown = set(row) - set(columns)
                assert not unknown, f"{source}: {unknown} not in the header"
                writer.writerow([row.get(c, "") for c in columns])


def _current(rows: Iterable[dict[str, str]], source: str) -> tuple[str, Rows]:
    return HEADERS[source], list(rows)


# -- dimensions ---------------------------------------------------------------------------------

def patient(pid: str, birth: str, first: str, city: str, zip_code: str, *, death: str = "", gender: str = "F",
            race: str = "white") -> dict[str, str]:
    return {"Id": pid, "BIRTHDATE": birth, "DEATHDATE": death, "FIRST": first, "LAST": "Test",
            "RACE": race, "ETHNICITY": "nonhispanic", "GENDER": gender, "ADDRESS": "1 Main St", "CITY": city,
            "STATE": "Massachusetts", "COUNTY": "Suffolk County", "FIPS": "25025", "ZIP": zip_code,
            "LAT": "42.1", "LON": "-71.1", "HEALTHCARE_EXPENSES": "1000.00", "HEALTHCARE_COVERAGE": "500.00",
            "INCOME": "50000"}


P1 = patient("p1", "1980-06-15", "Alice", "Boston", "02134")
P1_MOVED = patient("p1", "1980-06-15", "Alice", "Cambridge", "02139")
P2 = patient("p2", "1950-03-01", "Bob", "Quincy", "02169", death="2024-02-10", gender="M")
P3 = patient("p3", "2000-12-31", "Carol", "Salem", "01970")

PAYERS = [
    {"Id": "pay1", "NAME": "Aetna", "OWNERSHIP": "PRIVATE", "CITY": "Hartford", "STATE_HEADQUARTERED": "CT",
     "ZIP": "06156", "QOLS_AVG": "NaN"},
    {"Id": "payn", "NAME": "NO_INSURANCE", "OWNERSHIP": "NO_INSURANCE", "QOLS_AVG": "NaN"},
]
ORGANIZATIONS = [
    {"Id": "o1", "NAME": "General Hospital", "CITY": "Boston", "STATE": "MA", "ZIP": "02114", "LAT": "42.3",
     "LON": "-71.0", "REVENUE": "1000.00", "UTILIZATION": "10"},
    {"Id": "o2", "NAME": "Family Clinic", "CITY": "Quincy", "STATE": "MA", "ZIP": "02169", "LAT": "42.2",
     "LON": "-71.0", "REVENUE": "500.00", "UTILIZATION": "5"},
]
PROVIDERS = [
    {"Id": "pr1", "ORGANIZATION": "o1", "NAME": "Dr. One", "GENDER": "F", "SPECIALITY": "GENERAL PRACTICE",
     "CITY": "Boston", "STATE": "MA", "ZIP": "02114", "ENCOUNTERS": "10", "PROCEDURES": "2"},
    {"Id": "pr2", "ORGANIZATION": "o2", "NAME": "Dr. Two", "GENDER": "M", "SPECIALITY": "INTERNAL MEDICINE",
     "CITY": "Quincy", "STATE": "MA", "ZIP": "02169", "ENCOUNTERS": "5", "PROCEDURES": "1"},
]
COVERAGE = [
    {"PATIENT": "p1", "MEMBERID": "m1", "START_DATE": "2023-01-01T00:00:00Z", "END_DATE": "2024-12-31T00:00:00Z",
     "PAYER": "pay1", "PLAN_OWNERSHIP": "Self", "OWNER_NAME": "Alice"},
    {"PATIENT": "p2", "MEMBERID": "m2", "START_DATE": "2023-01-01T00:00:00Z", "END_DATE": "2024-12-31T00:00:00Z",
     "PAYER": "pay1", "PLAN_OWNERSHIP": "Self", "OWNER_NAME": "Bob"},
    {"PATIENT": "p3", "MEMBERID": "", "START_DATE": "2023-01-01T00:00:00Z", "END_DATE": "2023-06-30T00:00:00Z",
     "PAYER": "payn"},
    {"PATIENT": "p3", "MEMBERID": "m3", "START_DATE": "2023-07-01T00:00:00Z", "END_DATE": "2024-12-31T00:00:00Z",
     "PAYER": "pay1", "PLAN_OWNERSHIP": "Self", "OWNER_NAME": "Carol"},
]


# -- facts --------------------------------------------------------------------------------------

def encounter(eid: str, start: str, stop: str, pid: str, org: str, prov: str, klass: str, total: str,
              covered: str) -> dict[str, str]:
    return {"Id": eid, "START": start, "STOP": stop, "PATIENT": pid, "ORGANIZATION": org, "PROVIDER": prov,
            "PAYER": "pay1", "ENCOUNTERCLASS": klass, "CODE": "185345009", "DESCRIPTION": f"{klass} visit",
            "BASE_ENCOUNTER_COST": "100.00", "TOTAL_CLAIM_COST": total, "PAYER_COVERAGE": covered}


def claim(cid: str, pid: str, prov: str, eid: str, when: str, diagnosis: str) -> dict[str, str]:
    return {"Id": cid, "PATIENTID": pid, "PROVIDERID": prov, "PRIMARYPATIENTINSURANCEID": "pay1",
            "SECONDARYPATIENTINSURANCEID": "0", "DEPARTMENTID": "1", "PATIENTDEPARTMENTID": "1",
            "DIAGNOSIS1": diagnosis, "APPOINTMENTID": eid, "CURRENTILLNESSDATE": when, "SERVICEDATE": when,
            "STATUS1": "CLOSED", "OUTSTANDING1": "0", "HEALTHCARECLAIMTYPEID1": "1"}


def line(tid: str, cid: str, charge: str, pid: str, kind: str, start: str, stop: str, eid: str, prov: str,
         org: str, *, amount: str = "", payments: str = "", outstanding: str = "0") -> dict[str, str]:
    return {"ID": tid, "CLAIMID": cid, "CHARGEID": charge, "PATIENTID": pid, "TYPE": kind, "AMOUNT": amount,
            "FROMDATE": start, "TODATE": stop, "PLACEOFSERVICE": org, "PROCEDURECODE": "185345009",
            "UNITS": "1", "UNITAMOUNT": amount, "PAYMENTS": payments, "OUTSTANDING": outstanding,
            "APPOINTMENTID": eid, "PATIENTINSURANCEID": pid, "PROVIDERID": prov, "SUPERVISINGPROVIDERID": prov}


def condition(start: str, stop: str, pid: str, eid: str, code: str, text: str) -> dict[str, str]:
    return {"START": start, "STOP": stop, "PATIENT": pid, "ENCOUNTER": eid, "SYSTEM": "SNOMED-CT", "CODE": code,
            "DESCRIPTION": text}


def medication(start: str, stop: str, pid: str, eid: str, code: str, dispenses: str, total: str,
               covered: str) -> dict[str, str]:
    return {"START": start, "STOP": stop, "PATIENT": pid, "PAYER": "pay1", "ENCOUNTER": eid, "CODE": code,
            "DESCRIPTION": f"drug {code}", "BASE_COST": "10.00", "PAYER_COVERAGE": covered, "DISPENSES": dispenses,
            "TOTALCOST": total}


def procedure(start: str, stop: str, pid: str, eid: str, code: str, cost: str) -> dict[str, str]:
    return {"START": start, "STOP": stop, "PATIENT": pid, "ENCOUNTER": eid, "SYSTEM": "SNOMED-CT", "CODE": code,
            "DESCRIPTION": f"procedure {code}", "BASE_COST": cost}


E1 = encounter("e1", "2023-01-10T09:00:00Z", "2023-01-10T09:30:00Z", "p1", "o1", "pr1", "wellness", "150.00", "120.00")
E2 = encounter("e2", "2023-03-05T22:00:00Z", "2023-03-06T01:15:00Z", "p1", "o1", "pr1", "emergency", "900.00", "700.00")
E2_CORRECTED = {**E2, "TOTAL_CLAIM_COST": "950.00"}
E3 = encounter("e3", "2023-02-01T08:00:00Z", "2023-02-04T08:00:00Z", "p2", "o2", "pr2", "inpatient", "5000.00",
               "4500.00")
E4 = encounter("e4", "2023-08-15T10:00:00Z", "2023-08-15T10:20:00Z", "p3", "o2", "pr2", "ambulatory", "120.00", "0.00")
E5 = encounter("e5", "2024-03-20T14:00:00Z", "", "p1", "o2", "pr2", "ambulatory", "200.00", "150.00")

NO_END = "1970-01-01T00:00:00Z"
LINES_D1 = [
    line("t1", "c1", "1", "p1", "CHARGE", "2023-01-10T09:00:00Z", "2023-01-10T09:30:00Z", "e1", "pr1", "o1",
         amount="150.00"),
    line("t2", "c1", "1", "p1", "PAYMENT", "2023-01-10T09:00:00Z", "2023-01-10T09:30:00Z", "e1", "pr1", "o1",
         payments="120.00", outstanding="30.00"),
    line("t3", "c2", "2", "p1", "CHARGE", "2023-03-05T22:00:00Z", NO_END, "e2", "pr1", "o1", amount="900.00"),
    line("t4", "c3", "3", "p2", "CHARGE", "2023-02-01T08:00:00Z", "2023-02-04T08:00:00Z", "e3", "pr2", "o2",
         amount="5000.00"),
    line("t5", "c4", "4", "p3", "CHARGE", "2023-08-15T10:00:00Z", "2023-08-15T10:20:00Z", "e4", "pr2", "o2",
         amount="120.00"),
]
RX_START = "2023-01-10T09:00:00Z"
#: the pair: same patient, encounter, code and START; a one-day dispense and an ongoing one
RX_ONE_DAY = medication(RX_START, "2023-01-11T09:00:00Z", "p1", "e1", "860975", "1", "10.00", "8.00")
RX_ONGOING = medication(RX_START, "", "p1", "e1", "860975", "3", "30.00", "24.00")
RX_STOPPED = medication(RX_START, "2023-12-10T09:00:00Z", "p1", "e1", "860975", "11", "110.00", "88.00")
RX_P2 = medication("2023-02-01T08:00:00Z", "2023-02-15T08:00:00Z", "p2", "e3", "197361", "1", "25.00", "20.00")


def d1() -> Delivery:
    return {
        "patients": _current([P1, P2], "patients"),  # p3's row comes later than its encounter
        "payers": _current(PAYERS, "payers"),
        "organizations": _current(ORGANIZATIONS, "organizations"),
        "providers": _current(PROVIDERS, "providers"),
        "payer_transitions": _current(COVERAGE, "payer_transitions"),
        "encounters": _current([E1, E2, E3, E4], "encounters"),
        "claims": _current([claim("c1", "p1", "pr1", "e1", E1["START"], "44054006"),
                            claim("c2", "p1", "pr1", "e2", E2["START"], "55822004"),
                            claim("c3", "p2", "pr2", "e3", E3["START"], "10509002"),
                            claim("c4", "p3", "pr2", "e4", E4["START"], "")], "claims"),
        "claims_transactions": _current(LINES_D1, "claims_transactions"),
        "conditions": _current([
            condition("2023-01-10", "", "p1", "e1", "59621000", "Essential hypertension (disorder)"),
            condition("2023-01-10", "", "p1", "e1", "44054006", "Diabetes mellitus type 2 (disorder)"),
            condition("2023-03-05", "", "p1", "e2", "55822004", "Hyperlipidemia (disorder)"),
            condition("2023-02-01", "2023-02-20", "p2", "e3", "10509002", "Acute bronchitis (disorder)"),
        ], "conditions"),
        "medications": _current([RX_ONE_DAY, RX_ONGOING, RX_P2], "medications"),
        "procedures": _current([procedure("2023-01-10T09:05:00Z", "2023-01-10T09:20:00Z", "p1", "e1", "430193006",
                                          "45.00"),
                                procedure("2023-02-02T10:00:00Z", "2023-02-02T11:00:00Z", "p2", "e3", "387713003",
                                          "800.00")], "procedures"),
    }


def d2() -> Delivery:
    # dimensions come again in full: the organizations' and providers' counters moved (columns no
    # target reads), coverage is the same rows in another order
    return {
        "patients": _current([P1_MOVED, P2, P3], "patients"),
        "payers": _current(PAYERS, "payers"),
        "organizations": _current([{**o, "UTILIZATION": "20"} for o in ORGANIZATIONS], "organizations"),
        "providers": _current([{**p, "ENCOUNTERS": "30"} for p in PROVIDERS], "providers"),
        "payer_transitions": _current(list(reversed(COVERAGE)), "payer_transitions"),
        "encounters": _current([E2_CORRECTED, E5], "encounters"),
        "claims": _current([claim("c5", "p1", "pr2", "e5", E5["START"], "")], "claims"),
        "claims_transactions": _current([
            # claim c1 delivered again, unchanged but renumbered
            *({**t, "ID": f"{t['ID']}-x", "CHARGEID": "7"} for t in LINES_D1[:2]),
            line("t6", "c5", "1", "p1", "CHARGE", "2024-03-20T14:00:00Z", NO_END, "e5", "pr2", "o2", amount="200.00"),
            line("t7", "c5", "1", "p1", "PAYMENT", "2024-03-20T14:00:00Z", NO_END, "e5", "pr2", "o2",
                 payments="150.00", outstanding="50.00"),
        ], "claims_transactions"),
        "conditions": _current([], "conditions"),
        "medications": _current([RX_ONE_DAY, RX_STOPPED, RX_P2, RX_P2], "medications"),  # + an exact duplicate
        "procedures": _current([procedure("2024-03-20T14:10:00Z", "2024-03-20T14:40:00Z", "p1", "e5", "430193006",
                                          "45.00")], "procedures"),
    }


P4 = {k: v for k, v in patient("p4", "1990-01-20", "Dan", "Lynn", "01901", gender="M").items()
      if k not in ("MIDDLE", "FIPS", "INCOME")}


def d3_old_export() -> Delivery:
    """A Synthea 3.0 export: a new member p4 (coverage columns START_YEAR/END_YEAR, a patient file
    without FIPS and INCOME) and a procedure without SYSTEM."""
    coverage = [{"PATIENT": "p4", "MEMBERID": "m4", "START_YEAR": "2023-10-01T00:00:00Z",
                 "END_YEAR": "2024-12-31T00:00:00Z", "PAYER": "pay1", "OWNERSHIP": "Self", "OWNERNAME": "Dan"}]
    procedures = [{"START": "2023-02-03T09:00:00Z", "STOP": "2023-02-03T09:30:00Z", "PATIENT": "p2",
                   "ENCOUNTER": "e3", "CODE": "71651007", "DESCRIPTION": "Mammography", "BASE_COST": "120.00"}]
    return {"patients": (HEADERS_3_0["patients"], [P4]),
            "payer_transitions": (HEADERS_3_0["payer_transitions"], coverage),
            "procedures": (HEADERS_3_0["procedures"], procedures)}


IMMUNIZATIONS = [
    {"DATE": "2023-01-10T09:10:00Z", "PATIENT": "p1", "ENCOUNTER": "e1", "CODE": "140", "DESCRIPTION": "Influenza",
     "BASE_COST": "140.52"},
    {"DATE": "2023-01-10T09:10:00Z", "PATIENT": "p1", "ENCOUNTER": "e1", "CODE": "140", "DESCRIPTION": "Influenza",
     "BASE_COST": "140.52"},  # an exact duplicate
    {"DATE": "2023-08-15T10:05:00Z", "PATIENT": "p3", "ENCOUNTER": "e4", "CODE": "08", "DESCRIPTION": "Hep B",
     "BASE_COST": "140.52"},
]
