"""Chronic conditions: the one list the generator draws from and the pipeline counts.

``CHRONIC_CONDITIONS`` is the source of truth; ``tables/reference/chronic_conditions.csv``
(the reference data the gold snapshot reads) holds exactly the same rows, and a test keeps
the two equal. ``FAMILIES`` says how the generator uses the codes: a patient gets at most
one code of a family (e.g. one CKD stage), with an onset age, medications, labs and a plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from framework.generate.fmt import clean


class ChronicCondition(NamedTuple):
    code: str
    description: str  # as Synthea exports it (no commas)
    category: str


def _c(code: str, description: str, category: str) -> ChronicCondition:
    return ChronicCondition(code, clean(description), category)


CHRONIC_CONDITIONS: tuple[ChronicCondition, ...] = (
    _c("59621000", "Essential hypertension (disorder)", "cardiovascular"),
    _c("38341003", "Hypertensive disorder, systemic arterial (disorder)", "cardiovascular"),
    _c("53741008", "Coronary heart disease (disorder)", "cardiovascular"),
    _c("88805009", "Chronic congestive heart failure (disorder)", "cardiovascular"),
    _c("49436004", "Atrial fibrillation (disorder)", "cardiovascular"),
    _c("230690007", "Cerebrovascular accident (disorder)", "cardiovascular"),
    _c("44054006", "Diabetes mellitus type 2 (disorder)", "metabolic"),
    _c("55822004", "Hyperlipidemia (disorder)", "metabolic"),
    _c("162864005", "Body mass index 30+ - obesity (finding)", "metabolic"),
    _c("40930008", "Hypothyroidism (disorder)", "metabolic"),
    _c("195967001", "Asthma (disorder)", "respiratory"),
    _c("233678006", "Childhood asthma (disorder)", "respiratory"),
    _c("13645005", "Chronic obstructive lung disease (disorder)", "respiratory"),
    _c("185086009", "Chronic obstructive bronchitis (disorder)", "respiratory"),
    _c("87433001", "Pulmonary emphysema (disorder)", "respiratory"),
    _c("431855005", "Chronic kidney disease stage 1 (disorder)", "renal"),
    _c("431856006", "Chronic kidney disease stage 2 (disorder)", "renal"),
    _c("433144002", "Chronic kidney disease stage 3 (disorder)", "renal"),
    _c("431857002", "Chronic kidney disease stage 4 (disorder)", "renal"),
    _c("46177005", "End-stage renal disease (disorder)", "renal"),
    _c("370143000", "Major depressive disorder (disorder)", "mental_health"),
    _c("35489007", "Depressive disorder (disorder)", "mental_health"),
    _c("197480006", "Anxiety disorder (disorder)", "mental_health"),
    _c("239873007", "Osteoarthritis of knee (disorder)", "musculoskeletal"),
    _c("239872002", "Osteoarthritis of hip (disorder)", "musculoskeletal"),
    _c("69896004", "Rheumatoid arthritis (disorder)", "musculoskeletal"),
    _c("64859006", "Osteoporosis (disorder)", "musculoskeletal"),
    _c("26929004", "Alzheimer's disease (disorder)", "neurological"),
    _c("84757009", "Epilepsy (disorder)", "neurological"),
    _c("254837009", "Malignant neoplasm of breast (disorder)", "oncology"),
    _c("126906006", "Neoplasm of prostate (disorder)", "oncology"),
)

CHRONIC_CODES: frozenset[str] = frozenset(c.code for c in CHRONIC_CONDITIONS)
_BY_CODE: dict[str, ChronicCondition] = {c.code: c for c in CHRONIC_CONDITIONS}


def reference_csv_path() -> Path:
    """Where the reference copy lives in the repository (``tables/reference``)."""
    return Path(__file__).resolve().parents[2] / "tables" / "reference" / "chronic_conditions.csv"


def reference_csv_text() -> str:
    """The reference file's exact content (header ``code,description,category``, LF endings)."""
    lines = ["code,description,category"]
    lines += [f"{c.code},{c.description},{c.category}" for c in CHRONIC_CONDITIONS]
    return "\n".join(lines) + "\n"


class Family(NamedTuple):
    """How one chronic disease is simulated."""

    name: str
    codes: tuple[tuple[str, float], ...]  # code and relative weight; one is drawn per patient
    prevalence: float  # share of patients who ever get it (by the end of the onset range)
    onset: tuple[int, int]  # onset age range, years
    sex: str | None  # "M"/"F" when sex-specific (else both)
    medications: tuple[str, ...]  # keys into codes.MEDICATIONS: started at diagnosis, ongoing
    labs: tuple[str, ...]  # keys into codes.OBS taken at follow-ups
    careplan: str | None  # key into codes.CAREPLANS
    remission: float  # share that resolves (condition STOP filled)


FAMILIES: tuple[Family, ...] = (
    Family("hypertension", (("59621000", 0.7), ("38341003", 0.3)), 0.42, (30, 75), None,
           ("lisinopril", "amlodipine", "hctz"), ("systolic", "diastolic"), "hypertension", 0.0),
    Family("hyperlipidemia", (("55822004", 1.0),), 0.30, (35, 75), None,
           ("simvastatin", "atorvastatin"), ("cholesterol", "ldl", "hdl", "triglycerides"), None, 0.0),
    Family("diabetes", (("44054006", 1.0),), 0.13, (35, 75), None,
           ("metformin", "insulin"), ("a1c", "glucose"), "diabetes", 0.0),
    Family("obesity", (("162864005", 1.0),), 0.30, (18, 60), None, (), ("bmi",), "weight", 0.15),
    Family("hypothyroidism", (("40930008", 1.0),), 0.05, (30, 70), None, ("levothyroxine",), (), None, 0.0),
    Family("asthma", (("195967001", 0.6), ("233678006", 0.4)), 0.09, (2, 30), None,
           ("fluticasone", "albuterol"), ("fev1",), "asthma", 0.1),
    Family("copd", (("13645005", 0.5), ("185086009", 0.3), ("87433001", 0.2)), 0.06, (45, 75), None,
           ("advair", "albuterol"), ("fev1", "oxygen_sat"), "copd", 0.0),
    Family("ckd", (("431855005", 0.25), ("431856006", 0.35), ("433144002", 0.3), ("431857002", 0.07),
                   ("46177005", 0.03)), 0.10, (50, 85), None, (), ("egfr", "creatinine"), "kidney", 0.0),
    Family("chd", (("53741008", 1.0),), 0.09, (50, 80), None,
           ("clopidogrel", "nitroglycerin", "aspirin"), ("cholesterol", "ldl"), "heart", 0.0),
    Family("chf", (("88805009", 1.0),), 0.05, (60, 88), None,
           ("metoprolol", "furosemide"), ("nt_probnp",), "heart", 0.0),
    Family("afib", (("49436004", 1.0),), 0.07, (60, 88), None, ("warfarin", "apixaban"), (), None, 0.0),
    Family("stroke", (("230690007", 1.0),), 0.04, (55, 88), None, ("clopidogrel",), (), None, 0.0),
    Family("depression", (("370143000", 0.6), ("35489007", 0.4)), 0.14, (15, 60), None,
           ("sertraline", "escitalopram"), ("phq9",), "depression", 0.3),
    Family("anxiety", (("197480006", 1.0),), 0.10, (15, 50), None, ("escitalopram",), ("phq2",), None, 0.2),
    Family("osteoarthritis", (("239873007", 0.65), ("239872002", 0.35)), 0.22, (45, 80), None,
           ("naproxen", "acetaminophen"), ("pain",), "musculoskeletal", 0.0),
    Family("rheumatoid", (("69896004", 1.0),), 0.015, (30, 65), None, ("methotrexate",), ("pain",), None, 0.0),
    Family("osteoporosis", (("64859006", 1.0),), 0.14, (55, 80), "F", ("alendronate",), (), None, 0.0),
    Family("alzheimers", (("26929004", 1.0),), 0.08, (70, 92), None, ("donepezil", "memantine"), ("mmse",),
           "mental", 0.0),
    Family("epilepsy", (("84757009", 1.0),), 0.01, (1, 40), None, ("levetiracetam",), (), None, 0.0),
    Family("breast_cancer", (("254837009", 1.0),), 0.06, (45, 80), "F", ("anastrozole",), (), "cancer", 0.0),
    Family("prostate_cancer", (("126906006", 1.0),), 0.08, (55, 85), "M", ("leuprolide",), (), "cancer", 0.0),
)


def condition(code: str) -> ChronicCondition:
    return _BY_CODE[code]
