"""Running totals behind the utilization and money columns of the dimension files.

Synthea writes organizations' REVENUE/UTILIZATION, providers' ENCOUNTERS/PROCEDURES, payers'
covered/uncovered amounts and counts, and patients' HEALTHCARE_EXPENSES/COVERAGE as totals
over everything it simulated, so each delivery re-sends them with the totals so far.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _zeros(n: int) -> list[int]:
    return [0] * n


@dataclass(slots=True)
class PayerTotals:
    covered_cents: int = 0
    uncovered_cents: int = 0
    covered: dict[str, int] = field(default_factory=dict)  # encounters, medications, ...
    uncovered: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, covered: bool) -> None:
        bucket = self.covered if covered else self.uncovered
        bucket[kind] = bucket.get(kind, 0) + 1


@dataclass(slots=True)
class Ledger:
    org_encounters: list[int]
    org_revenue: list[int]
    clinician_encounters: list[int]
    clinician_procedures: list[int]
    payers: list[PayerTotals]

    @classmethod
    def empty(cls, organizations: int, clinicians: int, payers: int) -> Ledger:
        return cls(
            _zeros(organizations), _zeros(organizations), _zeros(clinicians), _zeros(clinicians),
            [PayerTotals() for _ in range(payers)],
        )
