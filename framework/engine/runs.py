"""Run ids: unique, and sorted as strings they are sorted in time."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def new_run_id(now: datetime | None = None) -> str:
    """`20261127T150519123456Z-3f9a1c`: UTC time to the microsecond, then a random suffix.

    A random UUID would not do: the pipeline compares run ids to find the latest run.
    """
    now = now or datetime.now(UTC)
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}"


def run_timestamp(run_id: str) -> str:
    """The UTC time a run id was made, as an ISO timestamp Spark can cast."""
    stamp = run_id.split("-")[0]
    moment = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ")
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
