"""Test-only: stop the process dead at a named point, as `kill -9` would.

The crash test sets MEDALLION_STOP_AT=<point> to prove that a run killed at any step boundary
leaves a lakehouse the next run finishes correctly. Unset (always, outside that test), a call
costs one dictionary look-up.
"""

from __future__ import annotations

import os
import signal

ENV = "MEDALLION_STOP_AT"


def stop_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
