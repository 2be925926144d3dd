"""The run's report: findings from pieces that run at once reach its listeners one at a time."""

from __future__ import annotations

import threading
import time

from framework.engine.parallel import each
from framework.engine.report import Finding, Report


def test_findings_of_pieces_at_once_reach_listeners_one_at_a_time() -> None:
    inside: list[int] = []
    overlapped: list[str] = []
    heard: list[str] = []

    def journal(stage: str, finding: Finding) -> None:  # a listener that numbers what it writes
        inside.append(1)
        if len(inside) > 1:
            overlapped.append(finding.where)
        time.sleep(0.05)
        heard.append(finding.where)
        inside.pop()

    report = Report(quiet=True, listeners=[journal], stage="silver")
    both = threading.Barrier(2, timeout=10)

    def load(table: str) -> None:
        both.wait()  # the two pieces report at the same moment
        report.error(table, "load failed")

    each(["claims_silver", "procedures_silver"], load)
    assert overlapped == []
    assert sorted(heard) == ["claims_silver", "procedures_silver"]
    assert sorted(f.where for f in report.findings) == sorted(heard)
