"""A run's independent pieces of work (one per source or current state) two at a time.

A statement on small data spends most of its time in the driver: planning, reading Delta's log,
the commit. One statement at a time leaves a core idle through all of that; Spark runs the jobs
of several threads at once, so a second thread fills it. Each piece runs in a copy of the
caller's context, so the profile's open parts (framework/engine/profile.py) count its statements.
On Databricks a job's tasks give the same overlap across tables.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: pieces at a time: two keep the embedded default's two cores busy; more only queue in Spark
WORKERS = 2


def each(items: Sequence[Item], work: Callable[[Item], Result], workers: int = WORKERS) -> list[Result]:
    """`[work(item) for item in items]`, `workers` at a time, in the items' order. The first
    failure (in that order) is raised once every piece has ended: nothing still writes when the
    caller goes on."""
    if workers <= 1 or len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(min(workers, len(items)), thread_name_prefix="medallion") as pool:
        futures = [pool.submit(contextvars.copy_context().run, work, item) for item in items]
        for future in futures:
            future.exception()  # wait for every piece before raising any failure
    return [future.result() for future in futures]
