"""`medallion run --profile`: where a run's time goes. Per stage and per table: wall time, the
rows written, and the Spark statements run (how many, and the seconds spent in them).

The engine opens a *part* for each stage and each table it works on; every statement run through
the lakehouse (framework/engine/lakehouse.py) counts for every open part (a table and its stage). A part's time
outside its statements is Python, catalog look-ups and Spark's planning of lazy reads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Part:
    stage: str
    table: str = ""
    seconds: float = 0.0
    rows: int | None = None
    statements: int = 0
    statement_seconds: float = 0.0


class Profile:
    """The parts of one run, in the order they started. The open parts are the context's: a
    piece of work on another thread (framework/engine/parallel.py) counts its statements for its
    own table's part and the stage part it was started in, never for a sibling's."""

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self._open: ContextVar[tuple[Part, ...]] = ContextVar(f"open_parts_{id(self)}", default=())
        self._counting = threading.Lock()  # two pieces' statements may end at once on a shared stage part

    @contextmanager
    def part(self, stage: str, table: str = "") -> Iterator[Part]:
        """Time a stage (no table) or one table's work within it; the caller may set `rows`."""
        part = Part(stage, table)
        self.parts.append(part)
        opened = self._open.set((*self._open.get(), part))
        started = time.perf_counter()
        try:
            yield part
        finally:
            part.seconds = time.perf_counter() - started
            self._open.reset(opened)

    def statement(self, seconds: float) -> None:
        """Count one statement for every open part (a table's statements are its stage's too; a
        stage's statement seconds add up those of its tables that ran at once)."""
        with self._counting:
            for part in self._open.get():
                part.statements += 1
                part.statement_seconds += seconds

    def render(self) -> str:
        header = ("stage", "table", "seconds", "rows", "statements", "in statements s")
        lines = [header]
        for part in self.parts:
            rows = "" if part.rows is None else f"{part.rows:,}"
            lines.append((part.stage if not part.table else "", part.table or "(all)", f"{part.seconds:.1f}", rows,
                          str(part.statements), f"{part.statement_seconds:.1f}"))
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        right = {2, 3, 4, 5}
        return "\n".join("  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                                   for i, (cell, w) in enumerate(zip(line, widths, strict=True))).rstrip()
                         for line in lines)


@contextmanager
def part(profile: Profile | None, stage: str, table: str = "") -> Iterator[Part]:
    """`profile.part(...)`, or a part nobody keeps when the run is not profiled."""
    if profile is None:
        yield Part(stage, table)
        return
    with profile.part(stage, table) as opened:
        yield opened
