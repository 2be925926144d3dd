"""The current state of bronze sources, kept from new runs only, equals the state computed from the
whole bronze history after every refresh: re-sent rows change nothing (not even their metadata),
a changed row is one update, a group carried again with fewer lines loses the rest, content
that changed and came back within one batch takes the later run, and a run that committed late
makes the state recomputed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from framework.engine.current import CurrentResult, ingested_runs, refresh_current
from framework.engine.runs import new_run_id
from framework.engine.targets.control import Control
from tests.assertions import assert_frames_equal
from tests.engine.conftest import Lake
from tests.engine.targets.deliveries import HEADERS, line, patient, write
from tests.rebuild import rebuilt_state

pytestmark = pytest.mark.spark

SOURCES = ["claims_transactions", "patients"]
DAY = "2023-01-10T09:00:00Z"


def _line(tid: str, claim: str, charge: str, kind: str, amount: str = "", payments: str = "") -> dict[str, str]:
    return line(tid, claim, charge, "p1", kind, DAY, DAY, "e1", "pr1", "o1", amount=amount, payments=payments)


A = [_line("a1", "cA", "1", "CHARGE", amount="100.00"), _line("a2", "cA", "1", "PAYMENT", payments="80.00")]
B = [_line("b1", "cB", "2", "CHARGE", amount="50.00")]


def _delivery(lines: list[dict[str, str]], patients: list[dict[str, str]]) -> dict[str, tuple[str, list[dict[str, str]]]]:
    return {"claims_transactions": (HEADERS["claims_transactions"], lines), "patients": (HEADERS["patients"], patients)}


def _renumbered(lines: list[dict[str, str]], tag: str) -> list[dict[str, str]]:
    """The same lines as a later Synthea export writes them: new IDs and CHARGEIDs."""
    return [{**t, "ID": f"{t['ID']}-{tag}", "CHARGEID": str(int(t["CHARGEID"]) + 10)} for t in lines]


def _refresh(lake: Lake, on_result: Callable[[CurrentResult], None] | None = None) -> dict[str, CurrentResult]:
    results = {r.table: r for r in refresh_current(lake.lakehouse, lake.catalog, SOURCES, on_result=on_result)}
    runs = ingested_runs(lake.lakehouse, SOURCES)
    for source in SOURCES:  # the kept state equals the state of the whole history
        spec = lake.catalog.bronze[source]
        assert_frames_equal(lake.lakehouse.table(spec.current_table),
                            lake.lakehouse.sql(f"SELECT * FROM {rebuilt_state(lake.lakehouse, spec, runs[source])}"),
                            label=source)
    return results


def _lines(lake: Lake) -> list[dict[str, Any]]:
    return lake.rows("claims_transactions_current", order="CLAIMID, line_number")


@pytest.fixture(scope="module")
def lake(new_lake: Callable[..., Lake]) -> Lake:
    return new_lake()


@pytest.fixture(scope="module")
def runs() -> list[str]:
    base = datetime.now(UTC)
    return [new_run_id(base + timedelta(minutes=i)) for i in range(6)]


def test_a_re_export_changes_only_what_changed(lake: Lake, runs: list[str]) -> None:
    p1 = patient("p1", "1980-06-15", "Alice", "Boston", "02134")
    lake.deliver(_delivery([*A, *B], [p1]), "r1", runs[1])
    heard: list[tuple[str, bool]] = []  # each state as it is settled, and whether the refresh has recorded it by then
    first = _refresh(lake, lambda r: heard.append((r.table, bool(Control(lake.lakehouse).seen(r.table).runs))))
    # progress as it goes: each state is heard of before the refresh's one control commit
    assert sorted(heard) == [("claims_transactions_current", False), ("patients_current", False)]
    assert all(Control(lake.lakehouse).seen(table).runs for table, _ in heard)
    assert first["claims_transactions_current"].mode == "full"
    assert [(r["CLAIMID"], r["line_number"], r["TYPE"]) for r in _lines(lake)] == [
        ("cA", 1, "CHARGE"), ("cA", 2, "PAYMENT"), ("cB", 1, "CHARGE")]

    # the whole export again: cA unchanged but renumbered, cB's charge corrected and a line
    # added, a new claim cC, the patient's running totals moved
    changed_b = [{**B[0], "AMOUNT": "60.00"}, _line("b2", "cB", "3", "PAYMENT", payments="60.00")]
    c = [_line("c1", "cC", "4", "CHARGE", amount="10.00")]
    moved = {**p1, "HEALTHCARE_EXPENSES": "2000.00"}
    lake.deliver(_delivery(_renumbered(A, "x") + _renumbered(changed_b, "x") + c, [moved]), "r2", runs[2])
    second = _refresh(lake)
    assert second["claims_transactions_current"].metrics == {"inserted": 2, "updated": 1, "deleted": 0}
    assert second["patients_current"].metrics == {"inserted": 0, "updated": 1, "deleted": 0}
    a = [r for r in _lines(lake) if r["CLAIMID"] == "cA"]
    assert [(r["ID"], r["ingest_run_id"]) for r in a] == [("a1", runs[1]), ("a2", runs[1])]

    # the same export once more: nothing to write
    lake.deliver(_delivery(_renumbered(A, "y") + _renumbered(changed_b, "y") + c, [moved]), "r3", runs[3])
    third = _refresh(lake)
    assert third["claims_transactions_current"].metrics == {"inserted": 0, "updated": 0, "deleted": 0}


def test_a_group_carried_again_with_fewer_lines_loses_the_rest(lake: Lake, runs: list[str]) -> None:
    lake.deliver(_delivery(_renumbered(B, "z"), []), "r4", runs[4])
    result = _refresh(lake)["claims_transactions_current"]
    assert result.metrics["deleted"] == 1
    assert [(r["line_number"], r["AMOUNT"]) for r in _lines(lake) if r["CLAIMID"] == "cB"] == [(1, Decimal("50.00"))]
    # claims no later run carries stay as they were (Synthea's history window is no deletion)
    assert {r["CLAIMID"] for r in _lines(lake)} == {"cA", "cB", "cC"}


def test_content_that_changed_and_came_back_in_one_batch_takes_the_later_run(lake: Lake, runs: list[str]) -> None:
    base = datetime.now(UTC) + timedelta(hours=1)
    flip, back = new_run_id(base), new_run_id(base + timedelta(minutes=1))
    lake.deliver(_delivery([{**A[0], "AMOUNT": "999.00"}, A[1]], []), "flip", flip)
    lake.deliver(_delivery(A, []), "back", back)
    _refresh(lake)  # one batch of two runs
    lines = {r["line_number"]: r["ingest_run_id"] for r in _lines(lake) if r["CLAIMID"] == "cA"}
    assert lines == {1: back, 2: runs[1]}


def test_a_run_that_committed_late_recomputes_the_state(lake: Lake, runs: list[str]) -> None:
    lake.deliver(_delivery([{**B[0], "AMOUNT": "1.00"}], []), "late", runs[0])  # older than every run applied
    result = _refresh(lake)["claims_transactions_current"]
    assert result.mode == "full"


def test_a_run_carries_a_line_once_however_often_its_files_repeat_it(lake: Lake, runs: list[str]) -> None:
    d = [_line("d1", "cD", "5", "CHARGE", amount="70.00"), _line("d2", "cD", "5", "PAYMENT", payments="70.00")]
    write(lake.lakehouse.env.landing_path, _delivery(d, []), "twice-a")  # two files of one run ...
    lake.deliver(_delivery([d[1], *d], []), "twice-b", runs[5])  # ... the later one with a duplicate
    result = _refresh(lake)["claims_transactions_current"]
    assert result.metrics["inserted"] == 2
    lines = [(r["line_number"], r["TYPE"], r["source_file"].rsplit("/", 1)[-1]) for r in _lines(lake) if r["CLAIMID"] == "cD"]
    assert lines == [(1, "CHARGE", "twice-b.csv"), (2, "PAYMENT", "twice-b.csv")]
