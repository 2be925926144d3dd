"""The 18 Synthea CSV files: headers per Synthea version and how a row is written for each.

The generator builds every row once, in the current (3.3+) column order; :func:`row_adapter`
turns it into what an older Synthea wrote (columns dropped or renamed, ``0`` for "no payer" in
3.0/3.1 claims, ``null`` units in 3.0 observations, the patient id in claims_transactions
PATIENTINSURANCEID before 3.4).
"""

from __future__ import annotations

from collections.abc import Callable

VERSIONS: tuple[str, ...] = ("3.0", "3.1", "3.2", "3.3", "3.4")

Row = tuple[str, ...]
Adapter = Callable[[Row], Row]

HEADERS: dict[str, tuple[str, ...]] = {
    "allergies": (
        "START", "STOP", "PATIENT", "ENCOUNTER", "CODE", "SYSTEM", "DESCRIPTION", "TYPE", "CATEGORY",
        "REACTION1", "DESCRIPTION1", "SEVERITY1", "REACTION2", "DESCRIPTION2", "SEVERITY2",
    ),
    "careplans": (
        "Id", "START", "STOP", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION", "REASONCODE", "REASONDESCRIPTION",
    ),
    "claims": (
        "Id", "PATIENTID", "PROVIDERID", "PRIMARYPATIENTINSURANCEID", "SECONDARYPATIENTINSURANCEID",
        "DEPARTMENTID", "PATIENTDEPARTMENTID", "DIAGNOSIS1", "DIAGNOSIS2", "DIAGNOSIS3", "DIAGNOSIS4",
        "DIAGNOSIS5", "DIAGNOSIS6", "DIAGNOSIS7", "DIAGNOSIS8", "REFERRINGPROVIDERID", "APPOINTMENTID",
        "CURRENTILLNESSDATE", "SERVICEDATE", "SUPERVISINGPROVIDERID", "STATUS1", "STATUS2", "STATUSP",
        "OUTSTANDING1", "OUTSTANDING2", "OUTSTANDINGP", "LASTBILLEDDATE1", "LASTBILLEDDATE2",
        "LASTBILLEDDATEP", "HEALTHCARECLAIMTYPEID1", "HEALTHCARECLAIMTYPEID2",
    ),
    "claims_transactions": (
        "ID", "CLAIMID", "CHARGEID", "PATIENTID", "TYPE", "AMOUNT", "METHOD", "FROMDATE", "TODATE",
        "PLACEOFSERVICE", "PROCEDURECODE", "MODIFIER1", "MODIFIER2", "DIAGNOSISREF1", "DIAGNOSISREF2",
        "DIAGNOSISREF3", "DIAGNOSISREF4", "UNITS", "DEPARTMENTID", "NOTES", "UNITAMOUNT", "TRANSFEROUTID",
        "TRANSFERTYPE", "PAYMENTS", "ADJUSTMENTS", "TRANSFERS", "OUTSTANDING", "APPOINTMENTID", "LINENOTE",
        "PATIENTINSURANCEID", "FEESCHEDULEID", "PROVIDERID", "SUPERVISINGPROVIDERID",
    ),
    "conditions": ("START", "STOP", "PATIENT", "ENCOUNTER", "SYSTEM", "CODE", "DESCRIPTION"),
    "devices": ("START", "STOP", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION", "UDI"),
    "encounters": (
        "Id", "START", "STOP", "PATIENT", "ORGANIZATION", "PROVIDER", "PAYER", "ENCOUNTERCLASS", "CODE",
        "DESCRIPTION", "BASE_ENCOUNTER_COST", "TOTAL_CLAIM_COST", "PAYER_COVERAGE", "REASONCODE",
        "REASONDESCRIPTION",
    ),
    "imaging_studies": (
        "Id", "DATE", "PATIENT", "ENCOUNTER", "SERIES_UID", "BODYSITE_CODE", "BODYSITE_DESCRIPTION",
        "MODALITY_CODE", "MODALITY_DESCRIPTION", "INSTANCE_UID", "SOP_CODE", "SOP_DESCRIPTION",
        "PROCEDURE_CODE",
    ),
    "immunizations": ("DATE", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION", "BASE_COST"),
    "medications": (
        "START", "STOP", "PATIENT", "PAYER", "ENCOUNTER", "CODE", "DESCRIPTION", "BASE_COST",
        "PAYER_COVERAGE", "DISPENSES", "TOTALCOST", "REASONCODE", "REASONDESCRIPTION",
    ),
    "observations": ("DATE", "PATIENT", "ENCOUNTER", "CATEGORY", "CODE", "DESCRIPTION", "VALUE", "UNITS", "TYPE"),
    "organizations": ("Id", "NAME", "ADDRESS", "CITY", "STATE", "ZIP", "LAT", "LON", "PHONE", "REVENUE", "UTILIZATION"),
    "patients": (
        "Id", "BIRTHDATE", "DEATHDATE", "SSN", "DRIVERS", "PASSPORT", "PREFIX", "FIRST", "MIDDLE", "LAST",
        "SUFFIX", "MAIDEN", "MARITAL", "RACE", "ETHNICITY", "GENDER", "BIRTHPLACE", "ADDRESS", "CITY",
        "STATE", "COUNTY", "FIPS", "ZIP", "LAT", "LON", "HEALTHCARE_EXPENSES", "HEALTHCARE_COVERAGE", "INCOME",
    ),
    "payer_transitions": (
        "PATIENT", "MEMBERID", "START_DATE", "END_DATE", "PAYER", "SECONDARY_PAYER", "PLAN_OWNERSHIP", "OWNER_NAME",
    ),
    "payers": (
        "Id", "NAME", "OWNERSHIP", "ADDRESS", "CITY", "STATE_HEADQUARTERED", "ZIP", "PHONE", "AMOUNT_COVERED",
        "AMOUNT_UNCOVERED", "REVENUE", "COVERED_ENCOUNTERS", "UNCOVERED_ENCOUNTERS", "COVERED_MEDICATIONS",
        "UNCOVERED_MEDICATIONS", "COVERED_PROCEDURES", "UNCOVERED_PROCEDURES", "COVERED_IMMUNIZATIONS",
        "UNCOVERED_IMMUNIZATIONS", "UNIQUE_CUSTOMERS", "QOLS_AVG", "MEMBER_MONTHS",
    ),
    "procedures": (
        "START", "STOP", "PATIENT", "ENCOUNTER", "SYSTEM", "CODE", "DESCRIPTION", "BASE_COST", "REASONCODE",
        "REASONDESCRIPTION",
    ),
    "providers": (
        "Id", "ORGANIZATION", "NAME", "GENDER", "SPECIALITY", "ADDRESS", "CITY", "STATE", "ZIP", "LAT", "LON",
        "ENCOUNTERS", "PROCEDURES",
    ),
    "supplies": ("DATE", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION", "QUANTITY"),
}

SOURCES: tuple[str, ...] = tuple(sorted(HEADERS))

_OLD_TRANSITIONS = (
    "PATIENT", "MEMBERID", "START_YEAR", "END_YEAR", "PAYER", "SECONDARY_PAYER", "OWNERSHIP", "OWNERNAME",
)


def check_version(version: str) -> str:
    if version not in VERSIONS:
        raise ValueError(f"unsupported Synthea version {version!r}; expected one of {', '.join(VERSIONS)}")
    return version


def _without(source: str, *dropped: str) -> tuple[str, ...]:
    return tuple(c for c in HEADERS[source] if c not in dropped)


def header(source: str, version: str) -> tuple[str, ...]:
    """The header line Synthea ``version`` writes for ``source``."""
    old = check_version(version) in ("3.0", "3.1")
    if source == "patients":
        if version == "3.0":
            return _without(source, "MIDDLE", "FIPS", "INCOME")
        if version == "3.1":
            return _without(source, "MIDDLE", "FIPS")
        if version == "3.2":
            return _without(source, "MIDDLE")
    if source in ("conditions", "procedures") and version in ("3.0", "3.1", "3.2"):
        return _without(source, "SYSTEM")
    if source == "payer_transitions" and old:
        return _OLD_TRANSITIONS
    if source == "payers" and old:
        return _without(source, "OWNERSHIP")
    if source == "providers" and old:
        return (*_without(source, "ENCOUNTERS", "PROCEDURES"), "UTILIZATION")
    return HEADERS[source]


def _projection(source: str, columns: tuple[str, ...]) -> Adapter | None:
    full = HEADERS[source]
    if columns == full:
        return None
    index = [full.index(c) for c in columns]

    def project(row: Row) -> Row:
        return tuple([row[i] for i in index])

    return project


def row_adapter(source: str, version: str, no_insurance_id: str) -> Adapter | None:
    """How a current-format row of ``source`` becomes a ``version`` row (None: unchanged)."""
    check_version(version)
    old = version in ("3.0", "3.1")
    full = HEADERS[source]
    if source == "claims" and old:
        primary = full.index("PRIMARYPATIENTINSURANCEID")
        secondary = full.index("SECONDARYPATIENTINSURANCEID")

        def claims(row: Row) -> Row:
            out = list(row)
            if out[primary] == no_insurance_id:
                out[primary] = "0"
            if not out[secondary]:
                out[secondary] = "0"
            return tuple(out)

        return claims
    if source == "claims_transactions" and version != "3.4":
        member = full.index("PATIENTINSURANCEID")
        patient = full.index("PATIENTID")

        def transactions(row: Row) -> Row:
            return (*row[:member], row[patient], *row[member + 1 :])

        return transactions
    if source == "observations" and version == "3.0":
        units = full.index("UNITS")

        def observations(row: Row) -> Row:
            if row[units]:
                return row
            return (*row[:units], "null", *row[units + 1 :])

        return observations
    if source == "providers" and old:
        # UTILIZATION (the encounter count) took the place of ENCOUNTERS,PROCEDURES.
        return lambda row: row[:-1]
    if source == "payer_transitions":
        return None  # 3.0/3.1 only renamed the columns
    return _projection(source, header(source, version))
