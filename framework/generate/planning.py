"""When a patient is seen: the encounters planned for one delivery window, and the scenario
behind each acute, emergency or inpatient visit.

Rates follow the patient: yearly wellness visits, follow-ups for every active chronic disease,
acute visits, and emergency and inpatient stays that grow with age and chronic load.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from framework.generate import codes
from framework.generate.codes import ACUTE, Code
from framework.generate.fmt import DAY, YEAR, ts, year_of
from framework.generate.population import Onset, Person

_COVID_START = ts(2020, 3, 1)
HOUR = 3600


@dataclass(slots=True)
class Planned:
    start: int
    encounter_class: str
    kind: str
    onset: Onset | None = None


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0.0:
        return 0
    limit, n, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        n += 1
        product *= rng.random()
    return n


def plan_visits(person: Person, rng: random.Random, t0: int, limit: int, first: bool) -> list[Planned]:
    """The encounters of ``[t0, limit)``; a patient's first window starts with an intake visit."""
    plan: list[Planned] = []
    intake = None
    if first:
        intake = t0 + rng.randrange(max(1, min(120 * DAY, (limit - t0) // 2)))
        plan.append(Planned(intake, "wellness", "intake"))
    for year in range(year_of(t0), year_of(limit) + 1):
        t = ts(year) + person.wellness_day * DAY + rng.randrange(7 * HOUR, 19 * HOUR)
        if t0 <= t < limit and (intake is None or abs(t - intake) > 90 * DAY) and rng.random() < 0.85:
            plan.append(Planned(t, "wellness", "wellness"))
        infant = t + YEAR // 2
        if t0 <= infant < limit and infant - person.birth < 2 * YEAR:
            plan.append(Planned(infant, "wellness", "wellness"))
    for onset in person.onsets:
        if not onset.recorded and t0 <= onset.onset < limit:
            plan.append(Planned(onset.onset, "ambulatory", "diagnosis", onset))
    s = t0
    while s < limit:
        e = min(s + YEAR, limit)
        fraction = (e - s) / YEAR
        age = (s - person.birth) / YEAR
        active = person.active_chronic(s)
        n = min(len(active), 6)
        rates = (
            ("ambulatory", "acute", 2.2 if age < 12 else 1.5),
            ("ambulatory", "followup", 2.4 * n),
            ("outpatient", "outpatient", 0.5 + 0.15 * n + (0.1 if age >= 50 else 0.0)),
            ("urgentcare", "urgent", 0.45),
            ("emergency", "emergency", 0.12 + 0.05 * n + (0.1 if age >= 75 else 0.0)),
            ("inpatient", "inpatient", 0.015 + 0.025 * n + (0.04 if age >= 65 else 0.0)
             + (0.08 if person.gender == "F" and 18 <= age <= 40 else 0.0)),
        )
        for encounter_class, kind, rate in rates:
            for _ in range(poisson(rng, rate * fraction)):
                t = s + rng.randrange(max(1, e - s))
                reason = rng.choice(active) if kind == "followup" else None
                plan.append(Planned(t, encounter_class, kind, reason))
        s = e
    plan.sort(key=lambda p: p.start)
    if intake is not None:
        # Nothing before the first encounter: onsets until then count as pre-existing.
        plan = [p for p in plan if p.start > intake or p.kind == "intake"]
    return plan


def duration(rng: random.Random, cls: str, scenario: str) -> int:
    if cls == "wellness":
        return 15 * 60 if rng.random() < 0.7 else 30 * 60
    if cls == "ambulatory":
        return rng.choice((15, 15, 20, 30, 45)) * 60
    if cls == "outpatient":
        return rng.randint(30, 120) * 60
    if cls == "urgentcare":
        return rng.randint(20, 75) * 60
    if cls == "emergency":
        return rng.randint(60, 360) * 60
    days = {"childbirth": (2, 3), "knee": (2, 4), "hip": (2, 5), "cabg": (5, 9)}.get(scenario, (1, 7))
    return rng.randint(*days) * DAY + rng.randint(0, 12) * HOUR


def acute_scenario(person: Person, rng: random.Random, kind: str, t: int) -> str:
    if kind == "emergency":
        if any(o.family.name == "chd" for o in person.active_chronic(t)) and rng.random() < 0.3:
            return "mi"
        return rng.choice(codes.EMERGENCY_ACUTE)
    if kind == "urgent":
        return rng.choice(codes.URGENT_ACUTE)
    if t - person.birth < 12 * YEAR:
        return rng.choice(codes.CHILD_ACUTE)
    if t >= _COVID_START and rng.random() < 0.12:
        return "covid"
    return rng.choice(codes.AMBULATORY_ACUTE)


def inpatient_scenario(person: Person, rng: random.Random, t: int) -> tuple[str, Code]:
    age = (t - person.birth) / YEAR
    active = {o.family.name: o for o in person.active_chronic(t)}
    options: list[tuple[str, Code]] = []
    if "osteoarthritis" in active and age >= 55:
        o = active["osteoarthritis"]
        options.append(("knee" if o.code == "239873007" else "hip", Code(o.code, o.description)))
    if "chd" in active:
        o = active["chd"]
        options.append((rng.choice(("cabg", "pci")), Code(o.code, o.description)))
    if "afib" in active:
        options.append(("ablation", Code(active["afib"].code, active["afib"].description)))
    if "breast_cancer" in active:
        o = active["breast_cancer"]
        options.append(("lumpectomy", Code(o.code, o.description)))
    for name in ("chf", "copd"):
        if name in active:
            options.append((name, Code(active[name].code, active[name].description)))
    if person.gender == "F" and 18 <= age <= 40:
        options += [("childbirth", codes.PREGNANCY)] * 2
    if options and rng.random() < 0.8:
        return rng.choice(options)
    return "pneumonia", ACUTE["pneumonia"].condition
