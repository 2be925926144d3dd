"""Independent pieces of a run's work, two at a time: results in order, a failure raised only
once every piece has ended, and each piece's statements counted for its own profile part."""

from __future__ import annotations

import threading
import time

import pytest

from framework.engine.parallel import each
from framework.engine.profile import Profile


def test_results_come_in_the_items_order_while_two_run_at_once() -> None:
    both = threading.Barrier(2, timeout=10)  # breaks unless two pieces wait on it at the same time

    def work(item: int) -> int:
        if item < 2:
            both.wait()
        time.sleep(0.01 * (5 - item))  # the later items end first
        return item * 10

    assert each([0, 1, 2, 3, 4], work) == [0, 10, 20, 30, 40]


def test_one_worker_runs_the_pieces_one_after_another_on_the_callers_thread() -> None:
    threads = each([1, 2, 3], lambda _: threading.get_ident(), workers=1)
    assert threads == [threading.get_ident()] * 3


def test_a_failure_is_raised_after_every_piece_has_ended() -> None:
    ended: list[str] = []

    def work(item: str) -> str:
        if item == "bad":
            raise ValueError("bad piece")
        time.sleep(0.2)
        ended.append(item)
        return item

    with pytest.raises(ValueError, match="bad piece"):
        each(["bad", "slow", "later"], work)
    assert sorted(ended) == ["later", "slow"]


def test_each_piece_counts_its_statements_for_its_own_table_and_the_stage() -> None:
    profile = Profile()
    both = threading.Barrier(2, timeout=10)

    def work(table: str) -> None:
        with profile.part("current", table):
            both.wait()  # both tables' parts are open at once
            profile.statement(1.0 if table == "a_current" else 2.0)
            both.wait()

    with profile.part("current"):
        each(["a_current", "b_current"], work)
    stage, *tables = profile.parts
    assert (stage.statements, stage.statement_seconds) == (2, 3.0)
    assert {(t.table, t.statements, t.statement_seconds) for t in tables} == {("a_current", 1, 1.0),
                                                                              ("b_current", 1, 2.0)}
