"""When each delivery happens.

Delivery 1 is a full history: five calendar years of encounters (2020-2024). Every later
delivery K covers the next calendar quarter (K=2: 2025 Q1, K=3: 2025 Q2, ...), which gives
about 5% of delivery 1's volume. The windows are fixed, so delivery K's content never depends
on how many deliveries were asked for.
"""

from __future__ import annotations

from framework.generate.fmt import add_months, ts

HISTORY_START = ts(2020, 1, 1)
_FIRST_END_EXCLUSIVE = ts(2025, 1, 1)
HORIZON = ts(2100, 1, 1)  # coverage plans and lives are drawn up to here


def delivery_window(k: int) -> tuple[int, int]:
    """``(start, end)`` epoch seconds of delivery ``k``'s new events; ``end`` is inclusive."""
    if k < 1:
        raise ValueError("deliveries are numbered from 1")
    if k == 1:
        return HISTORY_START, _FIRST_END_EXCLUSIVE - 1
    start = add_months(_FIRST_END_EXCLUSIVE, 3 * (k - 2))
    return start, add_months(_FIRST_END_EXCLUSIVE, 3 * (k - 1)) - 1


def delivery_at(t: int) -> int:
    """The delivery whose window holds time ``t``."""
    if t < HISTORY_START:
        raise ValueError("the generated history starts on 2020-01-01")
    k = 1
    while delivery_window(k)[1] < t:
        k += 1
    return k
