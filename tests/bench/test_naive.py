"""The naive baseline (bench/naive.py) reads bronze alone: it builds every target before any
current state or target table exists, into the same rows as the framework's first load."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bench.naive import bronze_queries, build_naive, drop_naive, naive_table
from framework.config import Environment
from framework.engine.lakehouse import Lakehouse
from framework.engine.runs import new_run_id
from framework.engine.targets.load import build_sequence
from framework.specs.loader import load_catalog
from framework.specs.targets.sources import target_specs
from tests.assertions import assert_frames_equal
from tests.engine.conftest import Lake
from tests.engine.targets.deliveries import d1, d2


def test_naive_build_equals_the_first_load(spark: Any, env: Environment) -> None:
    lake = Lake(Lakehouse(spark, env), load_catalog(env.tables_path))
    lakehouse, catalog = lake.lakehouse, lake.catalog
    base = datetime.now(UTC)
    # two runs: dimensions re-sent with changes and exact duplicates, de-duplicated inline
    lake.deliver(d1(), "d1", new_run_id(base))
    lake.deliver(d2(), "d2", new_run_id(base + timedelta(hours=1)))
    sequence = build_sequence(catalog)
    bronze = bronze_queries(lakehouse, catalog)
    for table in sequence:
        build_naive(lakehouse, catalog, table, bronze)
    made = lakehouse.tables()
    assert {naive_table(t) for t in sequence} <= made
    assert not made & ({spec.current_table for spec in catalog.bronze.values()} | set(sequence))

    lake.load()
    specs = target_specs(catalog)
    for table in sequence:
        assert_frames_equal(lakehouse.table(naive_table(table)), lakehouse.table(table),
                            ignore=[specs[table].load_timestamp], label=table)
    drop_naive(lakehouse, sequence)
    assert not lakehouse.tables() & {naive_table(t) for t in sequence}
