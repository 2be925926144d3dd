"""Shared benchmark plumbing: one Spark session, fresh schemas, timing and a results table."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
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


def arguments(doc: str, name: str, repeat: int, **sizes: int) -> argparse.Namespace:
    """The command line of a repeated benchmark: its size options (`--<size> N`), `--repeat` and
    `--out` (bench/results/<name>.json)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for size, default in sizes.items():
        parser.add_argument(f"--{size}", type=int, default=default)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--out", type=Path, default=Path("bench/results") / f"{name}.json")
    return parser.parse_args()


def repeat(times: int, *steps: Callable[[int], None]) -> None:
    """Run the steps interleaved (a, b, a, b, ...) so warm-up favours neither."""
    for index in range(times):
        for step in steps:
            step(index)


def _proportional_bytes(pid: Path) -> int:
    """PSS: resident memory with shared pages split among their sharers, so a child the JVM has
    just forked (Hadoop runs shell commands) is not counted as a second copy of the JVM."""
    for line in (pid / "smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_memory(root: int) -> int:
    """Memory of a process and all its descendants (the Python driver and Spark's JVM)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        with suppress(OSError):
            total += _proportional_bytes(Path(f"/proc/{pid}"))
        todo.extend(children.get(pid, []))
    return total


class MemorySampler:
    """Samples the memory (PSS) of this process tree in the background; `peak()` since `reset()`."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self._peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._peak = max(self._peak, tree_memory(os.getpid()))

    def reset(self) -> None:
        self._peak = tree_memory(os.getpid())

    def peak(self) -> int:
        return max(self._peak, tree_memory(os.getpid()))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
