"""Patients: demographics, chronic disease onsets, death, insurance plan and moves.

A person's whole life is drawn once, from a generator keyed by the person: birth, the onset
(and any remission) of each chronic disease, the date of death, and the coverage periods up to
year 2100. Deliveries then only reveal the part of that life inside their window, which keeps
every delivery a function of (patients, seed, delivery) alone.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field

from framework.generate.chronic import FAMILIES, Family, condition
from framework.generate.fmt import DAY, YEAR, add_years, clean, day_start
from framework.generate.geography import (
    City,
    State,
    first_name,
    jitter,
    last_name,
    pick_city,
    pick_state,
    street_address,
)
from framework.generate.ids import keyed_rng, new_id
from framework.generate.timeline import HORIZON
from framework.generate.world import Payer, World

_AGE_BINS: tuple[tuple[int, int, float], ...] = (
    (0, 5, 0.06), (5, 18, 0.16), (18, 30, 0.16), (30, 45, 0.19), (45, 65, 0.25), (65, 80, 0.13), (80, 100, 0.05),
)
_RACES = ("white", "black", "asian", "native", "hawaiian", "other")
_RACE_WEIGHTS = (0.75, 0.08, 0.07, 0.01, 0.005, 0.085)
_SUFFIXES = ("PhD", "MD", "JD", "DDS")


@dataclass(slots=True)
class Address:
    street: str
    city: City
    zip: str
    lat: float
    lon: float


@dataclass(slots=True)
class Period:
    """One payer_transitions row: ``[start, end)`` with one primary payer."""

    start: int
    end: int  # exclusive
    payer: Payer
    secondary: Payer | None
    member_id: str
    ownership: str
    owner: str


@dataclass(slots=True)
class Onset:
    """A chronic disease this person gets."""

    family: Family
    code: str
    description: str
    onset: int
    stop: int | None  # remission
    medication: str | None  # started at diagnosis, taken until discontinued or death
    recorded: bool = False


@dataclass(slots=True)
class Ongoing:
    """A prescription exported with an empty STOP, waiting to be re-sent with its STOP."""

    start: int
    payer: Payer
    encounter: str
    medication: str
    reason_code: str
    reason_description: str
    planned_stop: int | None
    delivery: int  # the delivery that sent it with an empty STOP


@dataclass(slots=True)
class Person:
    key: str
    id: str
    first_delivery: int  # first delivery with this person's facts
    row_from: int  # first delivery whose patients file has this person's row
    birth: int
    death: int | None
    gender: str
    first: str
    middle: str
    last: str
    prefix: str
    suffix: str
    maiden: str
    marital: str
    race: str
    ethnicity: str
    birthplace: str
    ssn: str
    drivers: str
    passport: str
    address: Address
    income: int
    smoker: str  # never, former, current
    bmi: float
    height: float  # adult height, cm
    onsets: list[Onset]
    periods: list[Period]
    clinic: int
    pcp: int
    hospital: int
    urgent: int
    wellness_day: int
    expenses: int  # cents, HEALTHCARE_EXPENSES
    covered: int  # cents, HEALTHCARE_COVERAGE
    qols: float
    ongoing: list[Ongoing] = field(default_factory=list)
    period_starts: list[int] = field(default_factory=list)
    last_condition: str = ""  # code of the latest condition recorded, a claim's diagnosis of last resort

    def coverage_at(self, t: int) -> Period:
        i = bisect.bisect_right(self.period_starts, t) - 1
        return self.periods[max(i, 0)]

    def alive_at(self, t: int) -> bool:
        return self.death is None or t < self.death

    def active_chronic(self, t: int) -> list[Onset]:
        return [o for o in self.onsets if o.onset <= t and (o.stop is None or o.stop > t)]

    @property
    def state(self) -> str:
        return self.address.city.state


def create_person(
    seed: int, key: str, world: World, *, first_delivery: int, row_from: int, reference: int, death_from: int,
    state: State | None = None,
) -> Person:
    """Draw a whole life. ``reference`` is the time the age distribution refers to; nobody
    dies before ``death_from``; ``state`` forces the home state (else drawn by weight)."""
    rng = keyed_rng(seed, "person", key)
    pid = new_id(rng)
    gender = "M" if rng.random() < 0.49 else "F"
    low, high, _ = rng.choices(_AGE_BINS, weights=[w for *_, w in _AGE_BINS])[0]
    birth = reference - int(rng.uniform(low, high) * YEAR)
    adult = birth <= reference - 18 * YEAR
    age_now = (reference - birth) / YEAR

    first = first_name(gender, rng)
    middle = first_name(gender, rng) if rng.random() < 0.6 else ""
    last = last_name(rng)
    marital = ""
    if adult:
        marital = rng.choices("MSDW", weights=(0.5, 0.3, 0.12, 0.08 if age_now > 60 else 0.01))[0]
    prefix = ""
    if adult:
        prefix = "Mr." if gender == "M" else ("Mrs." if marital in "MW" else "Ms.")
    suffix = rng.choice(_SUFFIXES) if adult and rng.random() < 0.01 else ""
    maiden = last_name(rng) if gender == "F" and marital in ("M", "W", "D") and marital else ""
    race = rng.choices(_RACES, weights=_RACE_WEIGHTS)[0]
    ethnicity = "hispanic" if rng.random() < 0.12 else "nonhispanic"

    drawn = pick_state(rng)
    state = state or drawn
    city = pick_city(state.name, rng)
    birth_city = city if rng.random() < 0.7 else pick_city(pick_state(rng).name, rng)
    birthplace = clean(f"{birth_city.name}, {birth_city.state}, US")
    ssn = f"999-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
    drivers = f"S99{rng.randint(0, 9_999_999):07d}" if age_now >= 16 else ""
    passport = f"X{rng.randint(0, 99_999_999):08d}X" if adult and rng.random() < 0.6 else ""
    address = new_address(city, rng)
    income = int(min(max(rng.lognormvariate(math.log(52_000), 0.7), 6_000), 600_000))
    smoker = "never"
    if adult:
        smoker = rng.choices(("never", "former", "current"), weights=(0.66, 0.2, 0.14))[0]
    bmi = rng.gauss(26.5, 4.0) if adult else rng.gauss(18.5, 2.5)
    height = rng.gauss(176.0, 7.0) if gender == "M" else rng.gauss(163.0, 6.5)

    onsets = _draw_onsets(rng, gender, birth, smoker, bmi)
    if any(o.family.name == "obesity" for o in onsets):
        bmi = max(bmi, rng.uniform(30.2, 41.0))
    death = _draw_death(rng, birth, onsets, death_from)

    clinics = world.by_state[state.name]["clinic"]
    near = [i for i in clinics if world.organizations[i].city == city] or clinics
    clinic = rng.choice(near)
    pcp = rng.choice(world.organizations[clinic].clinicians)
    hospitals = world.by_state[state.name]["hospital"]
    hospital = rng.choice([i for i in hospitals if world.organizations[i].city == city] or hospitals)
    urgent = rng.choice(world.by_state[state.name]["urgent"])

    history_cents = int(max(age_now, 0.5) * rng.uniform(400, 1800) * 100)
    person = Person(
        key=key, id=pid, first_delivery=first_delivery, row_from=row_from, birth=birth, death=death,
        gender=gender, first=first, middle=middle, last=last, prefix=prefix, suffix=suffix, maiden=maiden,
        marital=marital, race=race, ethnicity=ethnicity, birthplace=birthplace, ssn=ssn, drivers=drivers,
        passport=passport, address=address, income=income, smoker=smoker, bmi=bmi, height=height, onsets=onsets, periods=[],
        clinic=clinic, pcp=pcp, hospital=hospital, urgent=urgent, wellness_day=rng.randrange(365),
        expenses=history_cents, covered=int(history_cents * rng.uniform(1.5, 5.0)),
        qols=max(0.3, 1.0 - 0.03 * len(onsets) - rng.uniform(0.0, 0.1)),
    )
    person.periods = plan_coverage(rng, person, world)
    person.period_starts = [p.start for p in person.periods]
    return person


def new_address(city: City, rng: random.Random) -> Address:
    lat, lon = jitter(city, rng)
    # A few Synthea addresses have no known ZIP and get "00000".
    zip_code = "00000" if rng.random() < 0.01 else rng.choice(city.zips)
    return Address(street_address(rng), city, zip_code, lat, lon)


def move(person: Person, rng: random.Random) -> None:
    """The patient moves: a new street address, often in another city of the same state."""
    city = person.address.city if rng.random() < 0.3 else pick_city(person.state, rng)
    person.address = new_address(city, rng)


def _draw_onsets(rng: random.Random, gender: str, birth: int, smoker: str, bmi: float) -> list[Onset]:
    onsets: list[Onset] = []
    for family in FAMILIES:
        chance = family.prevalence
        if family.sex is not None and family.sex != gender:
            if family.name != "osteoporosis":
                continue
            chance = 0.03
        if family.name == "copd":
            chance *= {"current": 3.0, "former": 1.6, "never": 0.4}[smoker]
        if family.name == "diabetes" and bmi >= 30:
            chance *= 1.6
        if rng.random() >= chance:
            continue
        codes = [c for c, _ in family.codes]
        code = rng.choices(codes, weights=[w for _, w in family.codes])[0]
        onset = birth + int(rng.uniform(*family.onset) * YEAR) + rng.randrange(DAY)
        stop = onset + int(rng.uniform(0.5, 6.0) * YEAR) if rng.random() < family.remission else None
        medication = rng.choice(family.medications) if family.medications and rng.random() < 0.85 else None
        onsets.append(Onset(family, code, condition(code).description, onset, stop, medication))
    return onsets


def _draw_death(rng: random.Random, birth: int, onsets: list[Onset], death_from: int) -> int | None:
    """Gompertz mortality (about 1.4% a year at 60, 8.6% at 80), raised by active chronic disease."""
    t = death_from
    while t < HORIZON:
        age = (t - birth) / YEAR
        if age >= 105:
            return t + rng.randrange(YEAR // 2)
        active = sum(1 for o in onsets if o.onset <= t and (o.stop is None or o.stop > t))
        q = min(0.6, 0.000064 * math.exp(0.09 * max(age, 0.0)) * (1.0 + 0.2 * active))
        if rng.random() < q:
            return t + rng.randrange(YEAR)
        t += YEAR
    return None


def plan_coverage(rng: random.Random, person: Person, world: World) -> list[Period]:
    """Contiguous coverage periods from birth to the horizon (gaps are NO_INSURANCE periods)."""
    medicare, medicaid, dual = world.payer("medicare")[0], world.payer("medicaid")[0], world.payer("dual")[0]
    commercial = world.payer("commercial")
    none = world.no_insurance
    low_income = person.income < 30_000
    guardian = f"{first_name(rng.choice('MF'), rng)} {person.last}"
    spouse = f"{first_name('F' if person.gender == 'M' else 'M', rng)} {person.last}"
    own_name = f"{person.first} {person.last}"
    born = day_start(person.birth)
    boundaries = [day_start(add_years(born, a)) for a in (18, 26, 65)] + [HORIZON]

    periods: list[Period] = []
    t = born
    employer = rng.choice(commercial)
    while t < HORIZON:
        stage = next(i for i, b in enumerate(boundaries) if t < b)
        boundary = boundaries[stage]
        secondary: Payer | None = None
        ownership, owner = "Self", own_name
        r = rng.random()
        if stage == 0:
            ownership, owner = "Guardian", guardian
            payer = (medicaid if r < 0.85 else none) if low_income else (
                employer if r < 0.88 else none if r < 0.95 else medicaid)
        elif stage == 1:
            if r < 0.35:
                ownership, owner, payer = "Guardian", guardian, employer
            elif r < 0.70:
                payer = rng.choice(commercial)
            elif low_income and r < 0.85:
                payer = medicaid
            else:
                payer = none if r < 0.9 else rng.choice(commercial)
        elif stage == 2:
            if low_income:
                payer = medicaid if r < 0.7 else none if r < 0.9 else rng.choice(commercial)
            else:
                payer = rng.choice(commercial) if r < 0.85 else none if r < 0.95 else medicaid
                if payer.kind == "commercial" and person.marital == "M" and rng.random() < 0.25:
                    ownership, owner = "Spouse", spouse
        else:
            payer = dual if low_income else medicare
            if payer is medicare and rng.random() < 0.15:
                secondary = rng.choice(commercial)
        if stage == 3:
            end = boundary
        else:
            end = min(boundary, day_start(t + int(rng.uniform(1.0, 8.0) * YEAR)))
            if boundary - end < 180 * DAY:
                end = boundary
        if payer is none:
            ownership, owner = "", ""
        last = periods[-1] if periods else None
        if last and last.payer is payer and last.secondary is secondary and last.ownership == ownership:
            last.end = end
        else:
            member_id = new_id(rng) if payer.insured else ""
            periods.append(Period(t, end, payer, secondary, member_id, ownership, owner))
        t = end
    return periods
