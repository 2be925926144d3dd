"""Shared benchmark plumbing: one Spark session, fresh schemas, timing and a results table."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framework.config import Environment


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.samples.setdefault(name, []).append(time.perf_counter() - start)

    def median(self, name: str) -> float:
        return statistics.median(self.samples[name])


def environment(root: Path, lakehouse: Path, landing: Path | None = None) -> Environment:
    return Environment(name="bench", runtime="local", landing=str(landing or root / "landing"), lakehouse=str(lakehouse),
                       catalog="spark_catalog", schema=f"bench_{uuid.uuid4().hex[:8]}")


def machine() -> dict[str, Any]:
    mem = Path("/proc/meminfo").read_text().split("\n", 1)[0] if Path("/proc/meminfo").exists() else "?"
    return {"cpus": os.cpu_count(), "memory": mem, "python": platform.python_version(), "platform": platform.platform()}


def report(title: str, rows: list[tuple[str, float]], extra: dict[str, Any], out: Path | None) -> None:
    print(f"\n{title}")
    for name, value in rows:
        print(f"  {name:<40} {value:10.3f}")
    for key, value in extra.items():
        print(f"  {key:<40} {value}")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"title": title, "rows": dict(rows), **extra, "machine": machine()}, indent=2))


def repeat(times: int, *steps: Callable[[int], None]) -> None:
    """Run the steps interleaved (a, b, a, b, ...) so warm-up favours neither."""
    for index in range(times):
        for step in steps:
            step(index)
