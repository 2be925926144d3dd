from __future__ import annotations

from datetime import UTC, datetime, timedelta

from framework.engine.runs import new_run_id, run_timestamp


def test_run_ids_sort_in_time_order_whatever_the_random_part() -> None:
    start = datetime(2026, 1, 1, 23, 59, 59, 999999, tzinfo=UTC)
    ids = [new_run_id(start + timedelta(microseconds=i * 7919)) for i in range(200)]
    assert sorted(ids) == ids
    assert len(set(new_run_id(start) for _ in range(50))) == 50


def test_run_timestamp_is_the_moment_of_the_id() -> None:
    moment = datetime(2026, 11, 27, 15, 5, 19, 123456, tzinfo=UTC)
    assert run_timestamp(new_run_id(moment)) == "2026-11-27 15:05:19.123456"
