"""The lakehouse lock: one writing run per local lakehouse at a time.

A lock file `<lakehouse>/_lock` holds the pid, host, run id and start time of the run that
writes. It is created atomically (O_EXCL); a lock whose process is gone (same host, pid not
alive) is stale and taken over. A second writer fails at once with one line, or waits
(`--wait`). Pure Python: it is taken before Spark starts, so the answer comes in well under a
second. Databricks runs are serialised by the job scheduler and take no lock.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = "_lock"
BUSY_EXIT = 75  # EX_TEMPFAIL: try again later


class LakehouseBusy(Exception):
    """Another live run holds the lock; the message is the one line to print."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def holder(lakehouse: Path) -> dict[str, object] | None:
    """The live run holding the lock, or None (no lock, or a stale one)."""
    try:
        info = json.loads((lakehouse / LOCK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if info.get("host") == socket.gethostname() and not _alive(int(info.get("pid", 0))):
        return None
    return dict(info)


def _try(path: Path, info: dict[str, object]) -> bool:
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(info, handle)
    return True


@contextmanager
def lakehouse_lock(lakehouse: Path, run_id: str, *, wait: bool = False, poll: float = 2.0) -> Iterator[None]:
    """Hold the lakehouse's lock for the body; raise LakehouseBusy (or wait) when a live run has it."""
    path = lakehouse / LOCK_FILE
    info: dict[str, object] = {"pid": os.getpid(), "host": socket.gethostname(), "run_id": run_id,
                               "started": datetime.now(UTC).isoformat(timespec="seconds")}
    while not _try(path, info):
        other = holder(lakehouse)
        if other is None:  # stale: its process is gone
            path.unlink(missing_ok=True)
            continue
        if not wait:
            raise LakehouseBusy(f"lakehouse {lakehouse} is in use by run {other.get('run_id')} (pid {other.get('pid')}, "
                                f"since {other.get('started')}); wait or pass --wait")
        time.sleep(poll)
    try:
        yield
    finally:
        if holder(lakehouse) == info:
            path.unlink(missing_ok=True)
