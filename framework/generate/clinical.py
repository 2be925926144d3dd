"""One patient's care inside one delivery window: the encounters planned for it, what each kind
of encounter records, and its bill.
"""

from __future__ import annotations

from framework.generate import codes
from framework.generate.codes import ACUTE, CAREPLANS, PROCEDURES, Code
from framework.generate.fmt import DAY, YEAR, money, stamp, ts, year_of
from framework.generate.planning import Planned, acute_scenario, duration, inpatient_scenario, plan_visits
from framework.generate.population import Ongoing, Onset
from framework.generate.records import Encounter, Recorder, reason_of, resend
from framework.generate.world import Clinician, Organization

_COVID_VACCINE = ts(2021, 1, 1)


class PatientWindow(Recorder):
    """Simulates ``person`` inside the delivery window of ``ctx``."""

    # --- the window ------------------------------------------------------------------------------
    def run(self) -> None:
        person, ctx = self.person, self.ctx
        first = person.first_delivery == ctx.k
        if not first:
            self._resend_ongoing()
        t0 = max(ctx.start, person.birth)
        if t0 >= self.limit:
            return
        for planned in plan_visits(person, self.rng, t0, self.limit, first):
            if planned.start < self.limit:
                self._encounter(planned)
        self._quality_of_life(t0)

    # --- one encounter ------------------------------------------------------------------------------
    def _encounter(self, planned: Planned) -> None:
        person, rng = self.person, self.rng
        kind = planned.kind
        start = planned.start
        reason: Code | None = None
        scenario = ""
        if kind in ("diagnosis", "followup") and planned.onset is not None:
            reason = Code(planned.onset.code, planned.onset.description)
        elif kind in ("acute", "urgent", "emergency"):
            scenario = acute_scenario(person, rng, kind, start)
            reason = ACUTE[scenario].condition
        elif kind == "inpatient":
            scenario, reason = inpatient_scenario(person, rng, start)

        cls = planned.encounter_class
        organization, clinician = self._staff(cls, scenario)
        types = codes.ENCOUNTER_TYPES[cls]
        if cls == "wellness":
            type_ = types[1] if start - person.birth < 18 * YEAR else types[0]
        elif kind == "acute":
            type_ = types[0]
        elif kind == "diagnosis":
            type_ = types[1]
        elif kind == "followup":
            type_ = types[2] if rng.random() < 0.8 else types[3]
        else:
            type_ = rng.choice(types)
        stop = min(start + duration(rng, cls, scenario), self.limit)
        enc = Encounter(self, start, stop, cls, type_, organization, clinician, reason)

        if kind == "intake":
            self._wellness(enc)
            self._intake(enc)
        elif kind == "wellness":
            self._wellness(enc)
        elif kind == "diagnosis" and planned.onset is not None:
            self._diagnosis(enc, planned.onset)
        elif kind == "followup" and planned.onset is not None:
            self._followup(enc, planned.onset)
        elif kind in ("acute", "urgent", "emergency"):
            self._acute(enc, scenario, emergency=kind == "emergency")
        elif kind == "outpatient":
            self._outpatient(enc)
        elif kind == "inpatient":
            self._inpatient(enc, scenario)
        self._close(enc)

    def _staff(self, cls: str, scenario: str) -> tuple[Organization, Clinician]:
        person, world, rng = self.person, self.world, self.rng
        if cls in ("wellness", "ambulatory"):
            return world.organizations[person.clinic], world.clinicians[person.pcp]
        if cls == "urgentcare":
            org = world.organizations[person.urgent]
            return org, world.clinicians[rng.choice(org.clinicians)]
        if cls == "outpatient" and rng.random() < 0.4:
            org = world.organizations[person.clinic]
            return org, world.clinicians[rng.choice(org.clinicians)]
        org = world.organizations[person.hospital]
        wanted = {
            "emergency": "EMERGENCY MEDICINE", "knee": "ORTHOPEDIC SURGERY", "hip": "ORTHOPEDIC SURGERY",
            "cabg": "CARDIOLOGY", "pci": "CARDIOLOGY", "ablation": "CARDIOLOGY", "chf": "CARDIOLOGY",
            "copd": "PULMONARY DISEASE", "lumpectomy": "HEMATOLOGY/ONCOLOGY", "childbirth": "GENERAL SURGERY",
        }.get("emergency" if cls == "emergency" else scenario, "INTERNAL MEDICINE")
        staff = [world.clinicians[i] for i in org.clinicians]
        matching = [c for c in staff if c.speciality == wanted]
        return org, rng.choice(matching or staff)

    # --- encounter kinds ---------------------------------------------------------------------------
    def _wellness(self, enc: Encounter) -> None:
        person, rng = self.person, self.rng
        age = (enc.start - person.birth) / YEAR
        self._vitals(enc, full=True)
        if age >= 18:
            self._obs(enc, "survey", "smoking", codes.SMOKING_TEXT[person.smoker], text=True)
            self._obs(enc, "survey", "pain", f"{rng.randint(0, 4)}.0")
            if age >= 40 and rng.random() < 0.3:
                self._labs(enc, ("cholesterol", "ldl", "hdl", "triglycerides"))
            for finding in rng.sample(codes.FINDINGS, rng.choice((1, 1, 2))):
                stop = enc.start + rng.randint(30, 400) * DAY
                self._condition(enc, finding, enc.start, stop if stop <= self.limit else None)
            if rng.random() < 0.5:
                self._procedure(enc, PROCEDURES["needs_assessment"])
            if rng.random() < 0.4:
                self._procedure(enc, PROCEDURES["depression_screening"])
                self._obs(enc, "survey", "phq2", f"{rng.randint(0, 3)}.0")
            if rng.random() < 0.15:
                self._procedure(enc, PROCEDURES["substance_assessment"])
        if person.ongoing:
            self._procedure(enc, PROCEDURES["med_reconciliation"])
        self._vaccinate(enc, age)
        # Real exports repeat an observation row now and then (at least once per delivery here).
        if "observations" not in self.ctx.duplicated or rng.random() < 0.01:
            self._duplicate_last_observation(enc)

    def _intake(self, enc: Encounter) -> None:
        """First encounter of a patient: conditions and prescriptions that predate the data."""
        person, rng = self.person, self.rng
        for onset in person.onsets:
            # Onsets inside the window had their own diagnosis visit; older ones are recorded here.
            if onset.recorded or onset.onset >= enc.start:
                continue
            onset.recorded = True
            if onset.stop is not None and onset.stop <= enc.start:
                continue  # resolved before the data starts
            stop = onset.stop if onset.stop is not None and onset.stop <= self.limit else None
            self._condition(enc, Code(onset.code, onset.description), onset.onset, stop)
            if onset.medication:
                self._prescribe(enc, onset.medication, enc.start, None, onset)
            self._chronic_device(onset, enc)
        if rng.random() < 0.18:
            for allergen in rng.sample(codes.ALLERGENS, rng.choice((1, 1, 2, 3))):
                self._allergy(enc, allergen)
        if self.ctx.pair_person == person.key:
            self._medication_pair(enc, "acetaminophen", None)

    def _diagnosis(self, enc: Encounter, onset: Onset) -> None:
        rng = self.rng
        onset.recorded = True
        stop = onset.stop if onset.stop is not None and onset.stop <= self.limit else None
        self._condition(enc, Code(onset.code, onset.description), enc.start, stop)
        self._vitals(enc, full=False)
        self._labs(enc, onset.family.labs)
        if onset.medication:
            if rng.random() < 0.03 and enc.start + 366 * DAY <= self.limit:
                self._medication_pair(enc, onset.medication, onset)
            else:
                self._prescribe(enc, onset.medication, enc.start, None, onset)
        if onset.family.careplan and rng.random() < 0.8:
            self._careplan(enc, CAREPLANS[onset.family.careplan], None, onset)
        self._chronic_device(onset, enc)

    def _chronic_device(self, onset: Onset, enc: Encounter) -> None:
        device = {"diabetes": ("glucose_meter", 0.8), "chf": ("defibrillator", 0.3), "copd": ("nebulizer", 0.3),
                  "asthma": ("nebulizer", 0.15)}.get(onset.family.name)
        if device is not None and self.rng.random() < device[1]:
            self._device(enc, device[0])

    def _followup(self, enc: Encounter, onset: Onset) -> None:
        rng = self.rng
        family = onset.family.name
        self._vitals(enc, full=False)
        self._labs(enc, onset.family.labs)
        if onset.medication and rng.random() < 0.7:
            self._prescribe(enc, onset.medication, enc.start, enc.start + rng.choice((30, 90)) * DAY, onset)
        extra = {"ckd": "dialysis", "copd": "spirometry", "asthma": "spirometry", "afib": "ecg", "chd": "ecg",
                 "chf": "echocardiography", "alzheimers": "mri_brain"}.get(family)
        if extra and (extra != "dialysis" or onset.code in ("433144002", "431857002", "46177005")) \
                and rng.random() < 0.25:
            self._procedure(enc, PROCEDURES[extra], onset)
        if family == "diabetes" and rng.random() < 0.3:
            self._supply(enc, codes.SUPPLIES[0], rng.randint(50, 200))

    def _acute(self, enc: Encounter, scenario: str, emergency: bool) -> None:
        rng = self.rng
        acute = ACUTE[scenario]
        stop = enc.start + rng.randint(*acute.days) * DAY
        self._condition(enc, acute.condition, enc.start, stop if stop <= self.limit else None)
        self._vitals(enc, full=False, fever=scenario in ("fever", "covid", "strep", "otitis", "bronchitis"))
        self._obs(enc, "survey", "pain", f"{rng.randint(2, 9) if emergency else rng.randint(0, 6)}.0")
        reason = Code(acute.condition.code, acute.condition.description)
        if acute.procedure:
            self._procedure(enc, PROCEDURES[acute.procedure], reason)
        if emergency and rng.random() < 0.5:
            self._procedure(enc, PROCEDURES["substance_admin"], reason)
        if acute.medication and rng.random() < 0.85:
            self._prescribe(enc, acute.medication, enc.start, enc.start + rng.randint(5, 14) * DAY, reason)
        if acute.careplan and rng.random() < 0.5:
            self._careplan(enc, CAREPLANS[acute.careplan], stop if stop <= self.limit else None, reason)
        if emergency and rng.random() < 0.6:
            self._supplies(enc)

    def _outpatient(self, enc: Encounter) -> None:
        person, rng = self.person, self.rng
        age = (enc.start - person.birth) / YEAR
        options = ["chest_xray", "ecg", "injection", "spirometry"]
        if age >= 45:
            options.append("colonoscopy")
        if person.gender == "F" and age >= 40:
            options += ["mammography"] * 2
        self._vitals(enc, full=False)
        self._procedure(enc, PROCEDURES[rng.choice(options)])
        if age >= 6 and rng.random() < 0.2:
            self._immunize(enc, "flu")

    def _inpatient(self, enc: Encounter, scenario: str) -> None:
        rng = self.rng
        reason = enc.reason
        if scenario == "pneumonia":
            stop = enc.stop + rng.randint(7, 21) * DAY
            self._condition(enc, ACUTE["pneumonia"].condition, enc.start, stop if stop <= self.limit else None)
            self._procedure(enc, PROCEDURES["oxygen"], reason)
            self._procedure(enc, PROCEDURES["chest_xray"], reason)
            self._careplan(enc, CAREPLANS["respiratory"], None, reason)
        elif scenario == "childbirth":
            self._condition(enc, codes.PREGNANCY, enc.start - rng.randint(250, 275) * DAY, enc.start)
            self._procedure(enc, PROCEDURES["childbirth"], reason)
        elif scenario in ("chf", "copd"):
            self._procedure(enc, PROCEDURES["oxygen"], reason)
            if scenario == "chf":
                self._procedure(enc, PROCEDURES["echocardiography"], reason)
        else:
            surgery = {"knee": "knee_replacement", "hip": "hip_replacement"}.get(scenario, scenario)
            self._procedure(enc, PROCEDURES[surgery], reason)
            if scenario == "knee":
                self._device(enc, "knee_prosthesis")
            elif scenario == "pci":
                self._device(enc, "stent")
        self._vitals(enc, full=False)
        self._obs(enc, "vital-signs", "oxygen_sat", f"{rng.uniform(90, 99):.1f}")
        for key in rng.sample(codes.INPATIENT_MEDICATIONS, rng.randint(1, 3)):
            self._prescribe(enc, key, enc.start, enc.stop, reason)
        self._supplies(enc)

    def _vaccinate(self, enc: Encounter, age: float) -> None:
        rng = self.rng
        if age < 2:
            keys: list[str] = rng.sample(codes.INFANT_VACCINES, rng.randint(2, 4))
        elif age < 7:
            keys = rng.sample(codes.CHILD_VACCINES, rng.randint(0, 2))
        elif 11 <= age < 17:
            keys = rng.sample(codes.TEEN_VACCINES, rng.randint(0, 1))
        else:
            keys = []
        if age >= 0.5 and rng.random() < 0.6:
            keys.append("flu")
        if age >= 18 and rng.random() < 0.08:
            keys.append("td")
        if age >= 65 and rng.random() < 0.15:
            keys.append(rng.choice(("ppsv23", "zoster")))
        if age >= 12 and _COVID_VACCINE <= enc.start < _COVID_VACCINE + YEAR and rng.random() < 0.6:
            keys.append("covid")
        for key in keys:
            self._immunize(enc, key)

    # --- closing -------------------------------------------------------------------------------------
    def _close(self, enc: Encounter) -> None:
        """Bill the encounter and write its row (its costs are known only now)."""
        person = self.person
        # Diagnoses: the reason and what was diagnosed here; else the active chronic conditions, else
        # the latest condition on record; Synthea's own last resort is the encounter code.
        diagnoses = list(enc.diagnoses)
        if not diagnoses:
            diagnoses = [o.code for o in person.active_chronic(enc.start) if o.recorded][:8]
        if not diagnoses and person.last_condition:
            diagnoses = [person.last_condition]
        onsets = {o.code: o.onset for o in person.onsets}
        illness = min([enc.start] + enc.onsets + [onsets[c] for c in diagnoses if c in onsets])
        splits = self.ctx.billing.bill(self.rng, enc.visit, enc.lines, diagnoses[:8] or [enc.type.code],
                                       illness, enc.start)
        total = sum(line.cents for line in enc.lines)
        covered = sum(s.payer for s in splits)
        payer = enc.payer
        reason_code, reason_text = reason_of(enc.reason)
        self.sink.add("encounters", (
            enc.id, stamp(enc.start), stamp(enc.stop), person.id, enc.organization.id, enc.clinician.id, payer.id,
            enc.encounter_class, enc.type.code, enc.type.description, money(enc.type.cents), money(total),
            money(covered), reason_code, reason_text,
        ))
        ledger = self.ctx.ledger
        ledger.org_encounters[enc.organization.index] += 1
        ledger.org_revenue[enc.organization.index] += total
        ledger.clinician_encounters[enc.clinician.index] += 1
        ledger.clinician_procedures[enc.clinician.index] += enc.procedures
        self._account(payer, enc.lines, splits)

    # --- across deliveries -------------------------------------------------------------------------
    def _resend_ongoing(self) -> None:
        """Prescriptions sent earlier with an empty STOP come again once they have ended."""
        person, rng, ctx = self.person, self.rng, self.ctx
        keep: list[Ongoing] = []
        for med in person.ongoing:
            if med.planned_stop is not None and med.planned_stop <= self.limit:
                stop: int | None = med.planned_stop
            elif self.dies:
                stop = person.death
            elif med.planned_stop is None and rng.random() < 0.02:
                stop = ctx.start + rng.randrange(ctx.end - ctx.start)
            else:
                keep.append(med)
                continue
            resend(ctx, person, med, stop)
        person.ongoing = keep

    def _quality_of_life(self, t0: int) -> None:
        """QALY, DALY and QOLS once a year, on the birthday, with no encounter (as Synthea)."""
        person, rng = self.person, self.rng
        born = person.birth
        for year in range(year_of(t0), year_of(self.limit) + 1):
            birthday = ts(year) + (born - ts(year_of(born))) % YEAR
            if not t0 <= birthday < self.limit:
                continue
            age = (birthday - born) / YEAR
            qols = max(0.05, min(1.0, person.qols - 0.03 * len(person.active_chronic(birthday))
                                 + rng.uniform(-0.02, 0.02)))
            for code, value, units in (
                ("QALY", f"{age * (qols + 0.05):.2f}", "a"),
                ("DALY", f"{age * (1.0 - qols) * 0.3:.2f}", "a"),
                ("QOLS", f"{qols:.2f}", "{score}"),
            ):
                self.sink.add("observations", (
                    stamp(birthday), person.id, "", "", code, code, value, units, "numeric",
                ))
