"""Runs deliveries one after another and writes each delivery's dimension files.

Deliveries are simulated in order (1, 2, ...): a later delivery starts from the state the
earlier ones left (prescriptions still open, conditions already recorded, running totals).
Nothing depends on how many deliveries will follow, so delivery K is the same whether 3 or 5
deliveries are asked for; earlier deliveries that are not wanted go to a :class:`NullSink`.
"""

from __future__ import annotations

from framework.generate.billing import Billing
from framework.generate.clinical import PatientWindow
from framework.generate.fmt import YEAR, coordinate, day, money, stamp, ts, year_of
from framework.generate.geography import STATES
from framework.generate.ids import keyed_rng
from framework.generate.ledger import Ledger
from framework.generate.population import Person, create_person, move
from framework.generate.records import DeliveryContext, resend
from framework.generate.sink import Sink
from framework.generate.timeline import HISTORY_START, delivery_window
from framework.generate.world import build_world, state_abbreviation

MOVE_SHARE = 0.05  # patients whose address changes in each later delivery


def arrivals(patients: int) -> int:
    """New patients per later delivery: a handful."""
    return 2 + patients // 500


class Simulation:
    def __init__(self, patients: int, seed: int) -> None:
        if patients < 1:
            raise ValueError("patients must be at least 1")
        self.seed = seed
        self.patients = patients
        self.world = build_world(seed, patients)
        reference = delivery_window(1)[1]
        # The first patients cover every state, so that small runs still have leading-zero
        # ZIP and FIPS codes (Connecticut) and more than one state.
        self.people: list[Person] = [
            create_person(seed, f"p{i}", self.world, first_delivery=1, row_from=1, reference=reference,
                          death_from=HISTORY_START + 2 * YEAR, state=STATES[i] if i < len(STATES) else None)
            for i in range(patients)
        ]
        w = self.world
        self.ledger = Ledger.empty(len(w.organizations), len(w.clinicians), len(w.payers))
        self.delivered = 0
        self.cut = False  # the last step ended before its window did
        # Who gets the guaranteed medication pair: the first patient with a year of room.
        self.pair_person = next((p.key for p in self.people if p.birth < HISTORY_START - YEAR), None)

    def step(self, sink: Sink, end: int | None = None) -> int:
        """Simulate the next delivery into ``sink``; returns its number.

        ``end`` cuts the delivery's window short (a re-export up to a date inside it); the
        simulation cannot go on after such a step.
        """
        if self.cut:
            raise ValueError(f"delivery {self.delivered} was cut short: no delivery can follow it")
        k = self.delivered + 1
        start, window_end = delivery_window(k)
        if end is not None and not start <= end <= window_end:
            raise ValueError(f"delivery {k} covers {day(start)} to {day(window_end)}: {day(end)} is outside it")
        self.cut = end is not None and end < window_end
        end = window_end if end is None else end
        if k >= 2:
            self._arrive(k, start, end)
            self._move(k, start)
        ctx = DeliveryContext(
            k, start, end, self.world, sink, self.ledger, Billing(sink),
            self.pair_person if k == 1 else None, set(),
        )
        for person in self.people:
            if person.first_delivery <= k:
                PatientWindow(ctx, person, keyed_rng(self.seed, "care", k, person.key)).run()
        if k >= 2 and not ctx.resent:
            self._stop_one_prescription(ctx)
        self._dimensions(sink, k, end)
        self.delivered = k
        return k

    def _stop_one_prescription(self, ctx: DeliveryContext) -> None:
        """Every later delivery re-sends at least one open prescription with its STOP."""
        for person in self.people:
            for med in person.ongoing:
                if med.delivery < ctx.k:
                    rng = keyed_rng(self.seed, "stop", ctx.k)
                    resend(ctx, person, med, ctx.start + rng.randrange(ctx.end - ctx.start))
                    person.ongoing.remove(med)
                    return

    def _arrive(self, k: int, start: int, end: int) -> None:
        """New patients. The first of each delivery is late-arriving: its facts are in delivery
        K, its patients (and payer_transitions) rows only from delivery K+1 on."""
        for j in range(arrivals(self.patients)):
            self.people.append(create_person(
                self.seed, f"d{k}n{j}", self.world, first_delivery=k, row_from=k + 1 if j == 0 else k,
                reference=start, death_from=end + 1,
            ))

    def _move(self, k: int, start: int) -> None:
        """About 5% of the listed, living patients move (at least one per delivery)."""
        moved = False
        candidates = [p for p in self.people if p.row_from < k and p.alive_at(start)]
        for person in candidates:
            rng = keyed_rng(self.seed, "move", k, person.key)
            if rng.random() < MOVE_SHARE:
                move(person, rng)
                moved = True
        if candidates and not moved:
            move(candidates[0], keyed_rng(self.seed, "move", k))

    # --- dimension files ---------------------------------------------------------------------------
    def _dimensions(self, sink: Sink, k: int, end: int) -> None:
        world = self.world
        listed = [p for p in self.people if p.row_from <= k]
        member_months = [0] * len(world.payers)
        customers: list[set[str]] = [set() for _ in world.payers]
        qols: list[list[float]] = [[] for _ in world.payers]
        for person in listed:
            dead = person.death is not None and person.death <= end
            sink.add("patients", _patient_row(person, dead))
            # Coverage runs on to the end of the year of death, as in Synthea.
            limit = min(end, ts(year_of(person.death) + 1) - 1) if dead and person.death is not None else end
            for period in person.periods:
                if period.start > limit:
                    break
                stop = min(period.end - 1, limit)
                secondary = period.secondary.id if period.secondary else ""
                sink.add("payer_transitions", (
                    person.id, period.member_id, stamp(period.start), stamp(stop), period.payer.id, secondary,
                    period.ownership, period.owner,
                ))
                i = period.payer.index
                member_months[i] += max(1, round((stop - period.start) * 12 / YEAR))
                if person.id not in customers[i]:
                    customers[i].add(person.id)
                    qols[i].append(person.qols)

        for payer in world.payers:
            t = self.ledger.payers[payer.index]
            average = sum(qols[payer.index]) / len(qols[payer.index]) if qols[payer.index] else None
            sink.add("payers", (
                payer.id, payer.name, payer.ownership, payer.address, payer.city, payer.state, payer.zip,
                payer.phone, money(t.covered_cents), money(t.uncovered_cents),
                money(member_months[payer.index] * payer.premium_cents),
                *(str(bucket.get(kind, 0)) for kind in ("encounters", "medications", "procedures", "immunizations")
                  for bucket in (t.covered, t.uncovered)),
                str(len(customers[payer.index])),
                repr(average) if average is not None and payer.insured else "NaN",
                str(member_months[payer.index]),
            ))

        ledger = self.ledger
        for org in world.organizations:
            sink.add("organizations", (
                org.id, org.name, org.address, org.city.name.upper(), state_abbreviation(org.city.state), org.zip,
                coordinate(org.lat), coordinate(org.lon), org.phone, money(ledger.org_revenue[org.index]),
                str(ledger.org_encounters[org.index]),
            ))
        for clinician in world.clinicians:
            org = world.organizations[clinician.organization]
            sink.add("providers", (
                clinician.id, org.id, clinician.name, clinician.gender, clinician.speciality, org.address,
                org.city.name.upper(), state_abbreviation(org.city.state), org.zip, coordinate(org.lat),
                coordinate(org.lon), str(ledger.clinician_encounters[clinician.index]),
                str(ledger.clinician_procedures[clinician.index]),
            ))


def _patient_row(p: Person, dead: bool) -> tuple[str, ...]:
    a = p.address
    return (
        p.id, day(p.birth), day(p.death) if dead and p.death is not None else "", p.ssn, p.drivers, p.passport,
        p.prefix, p.first, p.middle, p.last, p.suffix, p.maiden, p.marital, p.race, p.ethnicity, p.gender,
        p.birthplace, a.street, a.city.name, a.city.state, a.city.county, a.city.fips, a.zip, coordinate(a.lat),
        coordinate(a.lon), money(p.expenses), money(p.covered), str(p.income),
    )
