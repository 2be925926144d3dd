"""Writing what an encounter records: one method per kind of row (observations, conditions,
procedures, imaging, prescriptions, immunizations, care plans, allergies, devices, supplies),
plus the prescriptions re-sent with their STOP in a later delivery.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from framework.generate import codes
from framework.generate.billing import Billing, Line, Split, Visit
from framework.generate.codes import IMMUNIZATIONS, MEDICATIONS, OBS, PROCEDURES, Code, Priced
from framework.generate.fmt import DAY, MONTH_30, YEAR, day, money, stamp
from framework.generate.ids import new_id
from framework.generate.ledger import Ledger
from framework.generate.planning import HOUR
from framework.generate.population import Ongoing, Onset, Person
from framework.generate.sink import Sink
from framework.generate.world import Clinician, Organization, Payer, World


@dataclass(slots=True)
class DeliveryContext:
    """Everything shared by all patients while one delivery is simulated."""

    k: int
    start: int
    end: int
    world: World
    sink: Sink
    ledger: Ledger
    billing: Billing
    pair_person: str | None  # the patient who gets the guaranteed medication pair
    duplicated: set[str]  # sources that already hold an exact duplicate row
    resent: int = 0  # prescriptions re-sent with their STOP


def dispenses(start: int, stop: int) -> int:
    """Synthea's count: one dispense per (30-day) month of the prescription, at least one."""
    return max(1, (stop - start) // MONTH_30)


class Encounter:
    """Collects what one encounter records, then writes its rows and its claims."""

    __slots__ = (
        "clinician",
        "diagnoses",
        "encounter_class",
        "id",
        "lines",
        "onsets",
        "organization",
        "procedures",
        "reason",
        "start",
        "stop",
        "type",
        "visit",
    )

    def __init__(self, care: Recorder, start: int, stop: int, encounter_class: str, type_: Priced,
                 organization: Organization, clinician: Clinician, reason: Code | None) -> None:
        self.id = new_id(care.rng)
        self.start = start
        self.stop = stop
        self.encounter_class = encounter_class
        self.type = type_
        self.organization = organization
        self.clinician = clinician
        self.reason = reason
        self.lines: list[Line] = [
            Line(type_.code, type_.description, type_.cents, start, stop,
                 copay=encounter_class in ("wellness", "ambulatory", "urgentcare"), kind="encounters")
        ]
        self.diagnoses: list[str] = [reason.code] if reason else []
        self.onsets: list[int] = []
        self.procedures = 0
        person = care.person
        if encounter_class == "wellness":
            department = "10" if start - person.birth < 18 * YEAR else "20"
        else:
            department = codes.DEPARTMENTS[encounter_class]
        referring = care.world.clinicians[person.pcp].id if encounter_class in ("outpatient", "inpatient") else ""
        self.visit = Visit(self.id, person, start, stop, encounter_class, organization, clinician,
                           person.coverage_at(start), department, referring)

    @property
    def payer(self) -> Payer:
        return self.visit.period.payer


class Recorder:
    """Row writers shared by the encounter kinds; ``limit`` is the last second the patient is
    simulated in this window (the window's end, or just before death)."""

    def __init__(self, ctx: DeliveryContext, person: Person, rng: random.Random) -> None:
        self.ctx = ctx
        self.world = ctx.world
        self.sink = ctx.sink
        self.person = person
        self.rng = rng
        dies = person.death is not None and person.death <= ctx.end
        self.dies = dies
        self.limit = person.death - 1 if dies and person.death is not None else ctx.end

    # --- records -------------------------------------------------------------------------------------
    def _vitals(self, enc: Encounter, full: bool, fever: bool = False) -> None:
        person, rng = self.person, self.rng
        age = (enc.start - person.birth) / YEAR
        if full:
            height = person.height if age >= 18 else min(person.height, 50.0 + 110.0 * min(age, 17.0) / 17.0)
            bmi = person.bmi + rng.gauss(0.0, 0.4)
            self._obs(enc, "vital-signs", "height", f"{height:.1f}")
            self._obs(enc, "vital-signs", "weight", f"{bmi * (height / 100.0) ** 2:.1f}")
            self._obs(enc, "vital-signs", "bmi", f"{bmi:.2f}")
        hypertensive = any(o.family.name == "hypertension" for o in person.active_chronic(enc.start))
        over = max(age - 20.0, 0.0)
        systolic = 108.0 + 0.35 * over + (18.0 if hypertensive else 0.0) + rng.gauss(0.0, 8.0)
        diastolic = 68.0 + 0.1 * over + (8.0 if hypertensive else 0.0) + rng.gauss(0.0, 6.0)
        self._obs(enc, "vital-signs", "diastolic", f"{diastolic:.1f}")
        self._obs(enc, "vital-signs", "systolic", f"{systolic:.1f}")
        self._obs(enc, "vital-signs", "heart_rate", f"{rng.gauss(76.0, 9.0):.1f}")
        if full:
            self._obs(enc, "vital-signs", "resp_rate", f"{rng.gauss(15.0, 2.0):.1f}")
        if fever:
            self._obs(enc, "vital-signs", "temperature", f"{rng.uniform(37.6, 39.6):.1f}")

    def _labs(self, enc: Encounter, keys: tuple[str, ...]) -> None:
        rng = self.rng
        active = {o.family.name: o for o in self.person.active_chronic(enc.start)}
        for key in keys:
            value = _lab_value(key, active, rng)
            category = "survey" if key in ("phq2", "phq9", "mmse", "pain") else (
                "vital-signs" if key in ("systolic", "diastolic", "bmi") else "laboratory")
            self._obs(enc, category, key, value)

    def _obs(self, enc: Encounter, category: str, key: str, value: str, text: bool = False) -> None:
        loinc = OBS[key]
        self.sink.add("observations", (
            stamp(enc.start), self.person.id, enc.id, category, loinc.code, loinc.description, value,
            loinc.units, "text" if text else "numeric",
        ))

    def _duplicate_last_observation(self, enc: Encounter) -> None:
        loinc = OBS["heart_rate"]
        row = (stamp(enc.start), self.person.id, enc.id, "vital-signs", loinc.code, loinc.description,
               f"{self.rng.gauss(76.0, 9.0):.1f}", loinc.units, "numeric")
        self.sink.add("observations", row)
        self.sink.add("observations", row)
        self.ctx.duplicated.add("observations")

    def _condition(self, enc: Encounter, condition: Code, start: int, stop: int | None) -> None:
        self.sink.add("conditions", (
            day(start), day(stop) if stop is not None else "", self.person.id, enc.id, "SNOMED-CT",
            condition.code, condition.description,
        ))
        if condition.code not in enc.diagnoses:
            enc.diagnoses.append(condition.code)
            enc.onsets.append(start)
        self.person.last_condition = condition.code

    def _procedure(self, enc: Encounter, procedure: Priced, reason: Code | Onset | None = None) -> None:
        rng = self.rng
        start = min(enc.start + rng.randint(0, 10) * 60, enc.stop)
        stop = min(start + rng.choice((15, 20, 30, 45, 60, 90)) * 60, enc.stop)
        if enc.encounter_class == "inpatient" and procedure.cents > 500_000:
            start = min(enc.start + rng.randint(2, 20) * HOUR, enc.stop)
            stop = min(start + rng.randint(2, 6) * HOUR, enc.stop)
        cents = int(procedure.cents * rng.uniform(0.9, 1.1))
        reason_code, reason_text = reason_of(reason)
        self.sink.add("procedures", (
            stamp(start), stamp(stop), self.person.id, enc.id, "SNOMED-CT", procedure.code, procedure.description,
            money(cents), reason_code, reason_text,
        ))
        enc.lines.append(Line(procedure.code, procedure.description, cents, start, stop, kind="procedures"))
        enc.procedures += 1
        imaging = codes.IMAGING.get(_procedure_key(procedure.code))
        if imaging is not None:
            self._imaging(enc, imaging, start)

    def _imaging(self, enc: Encounter, imaging: codes.Imaging, t: int) -> None:
        rng = self.rng
        study = new_id(rng)
        series = f"1.2.840.99999999.{rng.randint(10**7, 10**8 - 1)}.{rng.randint(10**12, 10**13 - 1)}"
        for n in range(rng.randint(1, 3)):
            self.sink.add("imaging_studies", (
                study, stamp(t), self.person.id, enc.id, series, imaging.body_site.code,
                imaging.body_site.description, imaging.modality.code, imaging.modality.description,
                f"{series}.{n + 1}", imaging.sop.code, imaging.sop.description, imaging.procedure,
            ))

    def _prescribe(self, enc: Encounter, key: str, start: int, planned_stop: int | None,
                   reason: Code | Onset | None) -> None:
        """A prescription: STOP is written when it is known by the end of the delivery, else the
        row goes out with an empty STOP and comes again, STOP filled, in a later delivery."""
        stop: int | None
        if planned_stop is not None and planned_stop <= self.limit:
            stop = planned_stop
        elif self.dies:
            stop = self.person.death
        else:
            stop = None
        self._medication_row(enc, key, start, stop, reason)
        if stop is None:
            code, text = reason_of(reason)
            self.person.ongoing.append(
                Ongoing(start, enc.payer, enc.id, key, code, text, planned_stop, self.ctx.k))

    def _medication_row(self, enc: Encounter, key: str, start: int, stop: int | None,
                        reason: Code | Onset | None, count: int | None = None) -> None:
        medication = MEDICATIONS[key]
        n = count if count is not None else dispenses(start, stop if stop is not None else self.ctx.end)
        total = medication.cents * n
        payer = enc.payer
        covered = int(total * payer.coverage + 0.5) if payer.insured else 0
        reason_code, reason_text = reason_of(reason)
        self.sink.add("medications", (
            stamp(start), stamp(stop) if stop is not None else "", self.person.id, payer.id, enc.id,
            medication.code, medication.description, money(medication.cents), money(covered), str(n), money(total),
            reason_code, reason_text,
        ))
        line = Line(medication.code, medication.description, total, start, stop, units=n,
                    unit_cents=medication.cents, kind="medications")
        diagnoses = [reason_code] if reason_code else enc.diagnoses[:1] or [self.person.last_condition or enc.type.code]
        splits = self.ctx.billing.bill(self.rng, enc.visit, [line], diagnoses, start, start)
        self._account(payer, [line], splits)

    def _medication_pair(self, enc: Encounter, key: str, reason: Code | Onset | None) -> None:
        """Two rows with the same PATIENT, ENCOUNTER, CODE and START, as real exports have: a
        one-day single dispense beside a (up to) year-long prescription."""
        start = enc.start
        long_stop = min(start + 365 * DAY, self.limit)
        self._medication_row(enc, key, start, min(start + DAY, long_stop), reason, count=1)
        self._medication_row(enc, key, start, long_stop, reason)

    def _immunize(self, enc: Encounter, key: str) -> None:
        vaccine = IMMUNIZATIONS[key]
        self.sink.add("immunizations", (
            stamp(enc.start), self.person.id, enc.id, vaccine.code, vaccine.description, money(vaccine.cents),
        ))
        enc.lines.append(Line(vaccine.code, vaccine.description, vaccine.cents, enc.start, None,
                              kind="immunizations"))

    def _careplan(self, enc: Encounter, plan: Code, stop: int | None, reason: Code | Onset | None) -> None:
        reason_code, reason_text = reason_of(reason)
        self.sink.add("careplans", (
            new_id(self.rng), day(enc.start), day(stop) if stop is not None else "", self.person.id, enc.id,
            plan.code, plan.description, reason_code, reason_text,
        ))

    def _allergy(self, enc: Encounter, allergen: codes.Allergen) -> None:
        rng = self.rng
        reactions = rng.sample(codes.REACTIONS, rng.choice((0, 1, 1, 2)))
        cells: list[str] = []
        for reaction in reactions:
            cells += [reaction.code, reaction.description, rng.choice(codes.SEVERITIES)]
        cells += [""] * (6 - len(cells))
        self.sink.add("allergies", (
            day(enc.start), "", self.person.id, enc.id, allergen.code, allergen.system, allergen.description,
            allergen.type, allergen.category, *cells,
        ))

    def _device(self, enc: Encounter, key: str) -> None:
        rng = self.rng
        device = codes.DEVICES[key]
        made = day(enc.start - rng.randint(30, 700) * DAY).replace("-", "")[2:]
        expires = f"{int(made[:2]) + 25:02d}{made[2:]}"
        udi = (f"(01){rng.randint(10**13, 10**14 - 1)}(11){made}(17){expires}"
               f"(10){rng.randint(10**9, 10**10 - 1)}(21){rng.randint(10**7, 10**8 - 1)}")
        self.sink.add("devices", (
            stamp(enc.start), "", self.person.id, enc.id, device.code, device.description, udi,
        ))

    def _supplies(self, enc: Encounter) -> None:
        rng = self.rng
        for supply in rng.sample(codes.SUPPLIES[1:], rng.randint(1, 3)):
            self._supply(enc, supply, rng.randint(1, 10))
        # Real exports repeat a supplies row now and then (at least once per delivery here).
        if "supplies" not in self.ctx.duplicated or rng.random() < 0.1:
            self._supply(enc, codes.SUPPLIES[-1], 2)
            self._supply(enc, codes.SUPPLIES[-1], 2)
            self.ctx.duplicated.add("supplies")

    def _supply(self, enc: Encounter, supply: Code, quantity: int) -> None:
        self.sink.add("supplies", (
            day(enc.start), self.person.id, enc.id, supply.code, supply.description, str(quantity),
        ))

    def _account(self, payer: Payer, lines: list[Line], splits: list[Split]) -> None:
        totals = self.ctx.ledger.payers[payer.index]
        person = self.person
        for line, s in zip(lines, splits, strict=True):
            totals.covered_cents += s.payer
            totals.uncovered_cents += s.copay + s.patient
            totals.count(line.kind, s.payer > 0)
            person.covered += s.payer
            person.expenses += s.copay + s.patient


def resend(ctx: DeliveryContext, person: Person, med: Ongoing, stop: int | None) -> None:
    """Write an earlier prescription again, its STOP now known (same PATIENT, ENCOUNTER, CODE,
    START; DISPENSES, TOTALCOST and PAYER_COVERAGE recomputed up to the STOP)."""
    ctx.sink.add("medications", prescription_row(person, med, stop, ctx.end))
    ctx.resent += 1


def prescription_row(person: Person, med: Ongoing, stop: int | None, end: int) -> tuple[str, ...]:
    """The medications row of an earlier prescription: dispensed up to its STOP, or up to ``end``
    while it is still ongoing (STOP empty)."""
    medication = MEDICATIONS[med.medication]
    n = dispenses(med.start, stop if stop is not None else end)
    total = medication.cents * n
    covered = int(total * med.payer.coverage + 0.5) if med.payer.insured else 0
    return (
        stamp(med.start), stamp(stop) if stop is not None else "", person.id, med.payer.id, med.encounter,
        medication.code, medication.description, money(medication.cents), money(covered), str(n),
        money(total), med.reason_code, med.reason_description,
    )


def reason_of(reason: Code | Onset | None) -> tuple[str, str]:
    if reason is None:
        return "", ""
    if isinstance(reason, Onset):
        return reason.code, reason.description
    return reason.code, reason.description


_PROCEDURE_KEYS = {p.code: key for key, p in PROCEDURES.items()}


def _procedure_key(code: str) -> str:
    return _PROCEDURE_KEYS.get(code, "")


def _lab_value(key: str, active: dict[str, Onset], rng: random.Random) -> str:
    def between(low: float, high: float, digits: int = 1) -> str:
        return f"{rng.uniform(low, high):.{digits}f}"

    has = active.__contains__
    if key == "a1c":
        return between(6.5, 9.8) if has("diabetes") else between(4.6, 5.9)
    if key == "glucose":
        return between(130, 250) if has("diabetes") else between(70, 99)
    if key == "cholesterol":
        return between(200, 280) if has("hyperlipidemia") else between(150, 199)
    if key == "ldl":
        return between(130, 190) if has("hyperlipidemia") else between(70, 129)
    if key == "hdl":
        return between(35, 70)
    if key == "triglycerides":
        return between(150, 300) if has("hyperlipidemia") else between(60, 149)
    if key in ("egfr", "creatinine"):
        stage = active["ckd"].code if has("ckd") else ""
        low, high = {"431855005": (90, 110), "431856006": (60, 89), "433144002": (30, 59),
                     "431857002": (15, 29), "46177005": (5, 14)}.get(stage, (90, 120))
        if key == "egfr":
            return between(low, high)
        return between(60.0 / high, 60.0 / low + 0.3, 2)
    if key == "fev1":
        return between(45, 69) if has("copd") else between(70, 85)
    if key == "oxygen_sat":
        return between(88, 95)
    if key == "mmse":
        return f"{rng.randint(10, 24)}.0"
    if key == "nt_probnp":
        return between(450, 4000)
    if key == "phq9":
        return f"{rng.randint(10, 20) if has('depression') else rng.randint(0, 9)}.0"
    if key == "phq2":
        return f"{rng.randint(2, 6) if has('anxiety') else rng.randint(0, 2)}.0"
    if key == "pain":
        return f"{rng.randint(3, 8)}.0"
    if key == "bmi":
        return between(30.1, 40.0, 2)
    if key == "systolic":
        return between(135, 165)
    if key == "diastolic":
        return between(85, 100)
    return between(0, 1)
