"""Claims and claim transactions, with the money split the way Synthea bills it.

Every encounter gets one claim (the encounter itself, its procedures and immunizations as
line items) and every prescription one more. Each line item becomes a CHARGE transaction
followed by what settled it: the patient's COPAY, the payer's ADJUSTMENT and PAYMENT, a
TRANSFEROUT/TRANSFERIN moving the rest to the patient, and the patient's PAYMENT. Amounts are
integer cents, so TOTAL_CLAIM_COST, PAYER_COVERAGE and the transactions add up exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from framework.generate.fmt import balance, money, stamp
from framework.generate.ids import new_id
from framework.generate.population import Period, Person
from framework.generate.sink import Sink
from framework.generate.world import Clinician, Organization, Payer

NO_END = "1970-01-01T00:00:00Z"  # what Synthea prints for a line item without an end time
_PATIENT_METHODS = ("CASH", "CHECK", "CC")


@dataclass(slots=True)
class Line:
    """One billable line item."""

    code: str
    description: str
    cents: int
    start: int
    stop: int | None
    units: int = 1
    unit_cents: int = 0  # 0: same as cents
    copay: bool = False  # the office-visit line, where a plan's copay applies
    kind: str = "encounters"  # encounters, procedures, immunizations, medications (payer counts)


@dataclass(slots=True)
class Split:
    copay: int
    payer: int
    patient: int  # what is left for the patient after copay and payer


def split(payer: Payer, cents: int, copay: bool) -> Split:
    if not payer.insured:
        return Split(0, 0, cents)
    paid_copay = min(payer.copay_cents, cents) if copay else 0
    covered = int((cents - paid_copay) * payer.coverage + 0.5)
    return Split(paid_copay, covered, cents - paid_copay - covered)


@dataclass(slots=True)
class Visit:
    """What a claim needs to know about its encounter."""

    id: str
    person: Person
    start: int
    stop: int
    encounter_class: str
    organization: Organization
    clinician: Clinician
    period: Period
    department: str
    referring: str


class Billing:
    """Writes claims.csv and claims_transactions.csv rows; CHARGEID restarts at 0 per delivery."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._charge_id = 0

    def bill(
        self,
        rng: random.Random,
        visit: Visit,
        lines: list[Line],
        diagnoses: list[str],
        illness_onset: int,
        service_date: int,
    ) -> list[Split]:
        """Write one claim with its transactions; returns the split of every line."""
        period = visit.period
        payer = period.payer
        splits = [split(payer, line.cents, line.copay) for line in lines]
        billed = payer.insured and rng.random() < 0.03 and any(s.payer for s in splits)
        claim_id = new_id(rng)
        person = visit.person
        secondary = period.secondary
        claim_type = "2" if visit.organization.institutional else "1"
        dx = (diagnoses + [""] * 8)[:8]
        served = stamp(service_date)
        self._sink.add("claims", (
            claim_id, person.id, visit.clinician.id, payer.id, secondary.id if secondary else "",
            visit.department, visit.department, *dx, visit.referring, visit.id, stamp(illness_onset), served,
            visit.clinician.id, "BILLED" if billed else "CLOSED", "CLOSED" if secondary else "", "CLOSED",
            balance(sum(s.payer for s in splits)) if billed else "0", "0" if secondary else "", "0",
            served, served if secondary else "", served, claim_type, claim_type if secondary else "0",
        ))
        refs = [str(i + 1) if i < len(diagnoses) else "" for i in range(4)]
        for line, s in zip(lines, splits, strict=True):
            self._transactions(rng, visit, claim_id, line, s, refs, billed)
        return splits

    def _transactions(
        self, rng: random.Random, visit: Visit, claim_id: str, line: Line, s: Split, refs: list[str], billed: bool
    ) -> None:
        person = visit.person
        payer = visit.period.payer
        start = stamp(line.start)
        stop = stamp(line.stop) if line.stop is not None else NO_END
        units = str(line.units)
        unit_amount = money(line.unit_cents or line.cents)
        tail = (visit.id, "", visit.period.member_id, "1", visit.clinician.id, visit.clinician.id)
        organization = visit.organization.id

        def add(kind: str, amount: str, method: str, transfer_out: str, transfer_type: str,
                payments: str, adjustments: str, transfers: str, outstanding: int) -> str:
            self._charge_id += 1
            self._sink.add("claims_transactions", (
                new_id(rng), claim_id, str(self._charge_id), person.id, kind, amount, method, start, stop,
                organization, line.code, "", "", *refs, units, visit.department, line.description, unit_amount,
                transfer_out, transfer_type, payments, adjustments, transfers, balance(outstanding), *tail,
            ))
            return str(self._charge_id)

        left = line.cents
        add("CHARGE", money(line.cents), "", "", "", "", "", "", left)
        if s.copay:
            left -= s.copay
            add("PAYMENT", "", "COPAY", "", "", money(s.copay), "0", "", left)
        if s.payer and not billed:
            adjustment = s.payer // 5 if rng.random() < 0.3 else 0
            if adjustment:
                left -= adjustment
                add("ADJUSTMENT", "", "SYSTEM", "", "", "0", money(adjustment), "", left)
            left -= s.payer - adjustment
            add("PAYMENT", "", "ECHECK", "", "", money(s.payer - adjustment), "0", "", left)
        if s.patient:
            if payer.insured:
                out = add("TRANSFEROUT", "", "", "", "1", "", "", money(s.patient), left)
                add("TRANSFERIN", money(s.patient), "", out, "p", "", "", money(s.patient), left)
            left -= s.patient
            add("PAYMENT", "", rng.choice(_PATIENT_METHODS), "", "", money(s.patient), "0", "", left)
