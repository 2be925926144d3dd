"""The fixed cast: payers, organizations (hospitals, clinics, urgent care) and clinicians.

Their ids are name-based (seed plus name), so every delivery re-sends them with the same ids,
as a Synthea run with the same seed does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from framework.generate.fmt import clean
from framework.generate.geography import (
    STATE_ABBREVIATION,
    STATES,
    City,
    first_name,
    jitter,
    last_name,
    pick_city,
    street_address,
)
from framework.generate.ids import keyed_rng, named_id

NO_INSURANCE = "NO_INSURANCE"


@dataclass(slots=True)
class Payer:
    index: int
    id: str
    name: str
    kind: str  # medicare, medicaid, dual, commercial, none
    ownership: str  # GOVERNMENT, PRIVATE, NO_INSURANCE
    address: str
    city: str
    state: str
    zip: str
    phone: str
    coverage: float  # share of each charge the payer pays
    copay_cents: int  # per office visit
    premium_cents: int  # per member month

    @property
    def insured(self) -> bool:
        return self.kind != "none"


@dataclass(slots=True)
class Clinician:
    index: int
    id: str
    organization: int
    name: str
    gender: str
    speciality: str


@dataclass(slots=True)
class Organization:
    index: int
    id: str
    name: str
    kind: str  # hospital, clinic, urgent
    address: str
    city: City
    zip: str
    lat: float
    lon: float
    phone: str
    clinicians: list[int] = field(default_factory=list)

    @property
    def institutional(self) -> bool:
        return self.kind == "hospital"


@dataclass(slots=True)
class World:
    payers: list[Payer]
    organizations: list[Organization]
    clinicians: list[Clinician]
    by_state: dict[str, dict[str, list[int]]]  # state -> kind -> organization indexes

    @property
    def no_insurance(self) -> Payer:
        return self.payers[-1]

    def payer(self, kind: str) -> list[Payer]:
        return [p for p in self.payers if p.kind == kind]


_PAYERS: tuple[tuple[str, str, str, str, str, str, str, str, float, int, int], ...] = (
    # name, kind, ownership, address, city, state, zip, phone, coverage, copay, premium
    ("Medicare", "medicare", "GOVERNMENT", "7500 Security Blvd", "Baltimore", "MD", "21244", "1-800-633-4227",
     0.80, 0, 17490),
    ("Medicaid", "medicaid", "GOVERNMENT", "7500 Security Blvd", "Baltimore", "MD", "21244", "1-877-267-2323",
     1.00, 0, 0),
    ("Dual Eligible", "dual", "GOVERNMENT", "7500 Security Blvd", "Baltimore", "MD", "21244", "1-877-267-2323",
     1.00, 0, 0),
    ("Aetna", "commercial", "PRIVATE", "151 Farmington Avenue", "Hartford", "CT", "06156", "1-800-872-3862",
     0.80, 2500, 45530),
    ("Anthem", "commercial", "PRIVATE", "220 Virginia Ave", "Indianapolis", "IN", "46204", "1-800-331-1476",
     0.75, 2000, 41200),
    ("Blue Cross Blue Shield", "commercial", "PRIVATE", "225 N Michigan Ave", "Chicago", "IL", "60601",
     "1-800-262-2583", 0.85, 2500, 48910),
    ("Cigna Health", "commercial", "PRIVATE", "900 Cottage Grove Road", "Bloomfield", "CT", "06002",
     "1-800-997-1654", 0.80, 3000, 44075),
    ("Humana", "commercial", "PRIVATE", "500 West Main St", "Louisville", "KY", "40202", "1-844-330-7799",
     0.75, 2000, 39850),
    ("UnitedHealthcare", "commercial", "PRIVATE", "9800 Health Care Lane", "Minnetonka", "MN", "55436",
     "1-888-545-5205", 0.80, 2500, 46320),
)

_HOSPITAL_SUFFIXES = ("GENERAL HOSPITAL", "MEDICAL CENTER", "REGIONAL HOSPITAL", "COMMUNITY HOSPITAL")
_CLINIC_FORMS = ("{city} FAMILY HEALTH CENTER", "{last} FAMILY PRACTICE", "PCP{number}", "{city} PRIMARY CARE")
_URGENT_BRANDS = ("CONCENTRA", "AFC", "CARENOW", "MINUTECLINIC", "WELLNOW")
_HOSPITAL_SPECIALITIES = (
    "EMERGENCY MEDICINE", "EMERGENCY MEDICINE", "INTERNAL MEDICINE", "CARDIOLOGY", "GENERAL SURGERY",
    "ORTHOPEDIC SURGERY", "PULMONARY DISEASE", "NEPHROLOGY", "HEMATOLOGY/ONCOLOGY", "DIAGNOSTIC RADIOLOGY",
)
_CLINIC_SPECIALITIES = ("GENERAL PRACTICE", "FAMILY PRACTICE", "INTERNAL MEDICINE", "PEDIATRIC MEDICINE")


def build_world(seed: int, patients: int) -> World:
    payers = [
        Payer(i, named_id(seed, "payer", name), name, kind, own, addr, city, state, zip_, phone, cov, copay, prem)
        for i, (name, kind, own, addr, city, state, zip_, phone, cov, copay, prem) in enumerate(_PAYERS)
    ]
    payers.append(
        Payer(len(payers), named_id(seed, "payer", NO_INSURANCE), NO_INSURANCE, "none", NO_INSURANCE,
              "", "", "", "", "", 0.0, 0, 0)
    )

    rng = keyed_rng(seed, "organizations", patients)
    total = max(15, patients // 25)
    organizations: list[Organization] = []
    clinicians: list[Clinician] = []
    by_state: dict[str, dict[str, list[int]]] = {}
    names: set[str] = set()
    for state in STATES:
        count = max(3, round(total * state.weight))
        hospitals = max(1, round(count * 0.2))
        urgent = max(1, round(count * 0.15))
        clinics = max(1, count - hospitals - urgent)
        kinds = ["hospital"] * hospitals + ["clinic"] * clinics + ["urgent"] * urgent
        by_state[state.name] = {"hospital": [], "clinic": [], "urgent": []}
        for kind in kinds:
            city = pick_city(state.name, rng)
            name = _unique(_org_name(kind, city, rng), names)
            lat, lon = jitter(city, rng)
            org = Organization(
                len(organizations), named_id(seed, "organization", name), name, kind,
                street_address(rng).upper(), city, rng.choice(city.zips), lat, lon,
                f"{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}",
            )
            organizations.append(org)
            by_state[state.name][kind].append(org.index)
            specialities = _staff(kind, rng)
            for n, speciality in enumerate(specialities):
                gender = rng.choice("MF")
                full = f"{first_name(gender, rng)} {last_name(rng)}"
                clinician = Clinician(
                    len(clinicians), named_id(seed, "provider", name, full, n), org.index, full, gender, speciality
                )
                clinicians.append(clinician)
                org.clinicians.append(clinician.index)
    return World(payers, organizations, clinicians, by_state)


def _staff(kind: str, rng: random.Random) -> list[str]:
    if kind == "hospital":
        return list(_HOSPITAL_SPECIALITIES[: rng.randint(6, len(_HOSPITAL_SPECIALITIES))])
    if kind == "clinic":
        return [rng.choice(_CLINIC_SPECIALITIES) for _ in range(rng.randint(2, 4))]
    return ["GENERAL PRACTICE", "EMERGENCY MEDICINE"][: rng.randint(1, 2)]


def _org_name(kind: str, city: City, rng: random.Random) -> str:
    town = city.name.upper()
    if kind == "hospital":
        name = f"{town} {rng.choice(_HOSPITAL_SUFFIXES)}"
        # Some legal names carry ", INC": Synthea turns the comma into a space.
        return clean(name + ", INC") if rng.random() < 0.2 else name
    if kind == "urgent":
        return f"{rng.choice(_URGENT_BRANDS)} URGENT CARE - {town}"
    form = rng.choice(_CLINIC_FORMS)
    last = last_name(rng).upper()
    return form.format(city=town, last="".join(ch for ch in last if not ch.isdigit()), number=rng.randint(10000, 99999))


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} {n}", n + 1
    taken.add(candidate)
    return candidate


def state_abbreviation(state: str) -> str:
    return STATE_ABBREVIATION[state]
