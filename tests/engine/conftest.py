"""A lakehouse fed with the hand-written deliveries, shared by the tests of one module."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from framework.engine.bronze.ingest import ingest
from framework.engine.lakehouse import Lakehouse
from framework.engine.report import Report
from framework.engine.runs import new_run_id
from framework.engine.targets.load import LoadResult, Loads, build_sequence
from framework.specs.catalog import SpecCatalog
from framework.specs.loader import load_catalog
from framework.specs.targets.sources import target_specs
from tests.assertions import assert_frames_equal, assert_unique
from tests.engine.targets.deliveries import Delivery, write
from tests.helpers import make_env, medallion_in_session
from tests.rebuild import Rebuild


@dataclass
class Lake:
    """One schema of the shared lakehouse, its landing folder, and the engine's entry points."""

    lakehouse: Lakehouse
    catalog: SpecCatalog
    report: Report = field(default_factory=lambda: Report(quiet=True))

    @property
    def spark(self) -> Any:
        return self.lakehouse.spark

    def deliver(self, delivery: Delivery, name: str, run_id: str) -> None:
        """Land one delivery and ingest it as bronze run `run_id` (the bronze engine's own path)."""
        landing = self.lakehouse.env.landing_path
        write(landing, delivery, name)
        ingest(self.lakehouse, self.catalog.bronze, run_id, self.report, only=sorted(delivery))
        for source in delivery:  # out of landing, as archive would do (faster)
            shutil.rmtree(landing / source)

    def copy_bronze(self, other: Lake, runs: Iterable[str]) -> None:
        """Give this lake the bronze rows `other` ingested in the given runs (a replay of those
        deliveries without parsing them again)."""
        wanted = ", ".join(f"'{r}'" for r in runs)
        # and the ingest log's rows of those runs: loads learn of new runs from the log
        for spec in [*self.catalog.bronze.values(), None]:
            table = spec.table if spec is not None else "medallion_ingest_log"
            if not other.lakehouse.exists(table):
                continue
            rows = f"SELECT * FROM {other.lakehouse.name(table)} WHERE ingest_run_id IN ({wanted})"
            if self.lakehouse.exists(table):
                self.lakehouse.sql(f"INSERT INTO {self.lakehouse.name(table)} {rows}")
            else:
                self.lakehouse.ensure_schema()
                self.lakehouse.sql(f"CREATE TABLE {self.lakehouse.name(table)} USING DELTA AS {rows}")

    def load(self, tables: Iterable[str] | None = None, *, interrupt_after: str | None = None) -> list[LoadResult]:
        """Load the given targets (default: all, silver before gold) in dependency order, the way
        a run does (framework/engine/targets/load.py `Loads`); a failing load raises."""
        sequence = build_sequence(self.catalog, tables=tables)
        loads = Loads(self.lakehouse, self.catalog, self.report, sequence)
        return [loads.load(table, interrupt_after=interrupt_after) for table in sequence]

    def check(self, tables: Iterable[str] | None = None) -> None:
        """Each target holds what a full rebuild from bronze would, and no key repeats."""
        specs = target_specs(self.catalog)
        rebuild = Rebuild(self.lakehouse, self.catalog)
        for table in build_sequence(self.catalog, tables=tables):
            spec = specs[table]
            actual = self.lakehouse.table(table)
            assert_frames_equal(actual, rebuild.rows(table), ignore=[spec.load_timestamp], label=table)
            assert_unique(actual, spec.key, label=table)

    def medallion(self, *args: str) -> int:
        """`medallion ARGS` in this lake's environment and the shared session."""
        return medallion_in_session(self.lakehouse.env, self.spark, *args)

    def rows(self, table: str, where: str = "TRUE", order: str = "1") -> list[dict[str, Any]]:
        return [r.asDict() for r in self.lakehouse.sql(
            f"SELECT * FROM {self.lakehouse.name(table)} WHERE {where} ORDER BY {order}").collect()]

    def scalar(self, query: str) -> Any:
        self.lakehouse.sql(f"USE {self.lakehouse.env.catalog}.{self.lakehouse.env.schema}")
        return self.lakehouse.sql(query).collect()[0][0]

    def version(self, table: str) -> int:
        return int(self.lakehouse.sql(f"DESCRIBE HISTORY {self.lakehouse.name(table)} LIMIT 1").collect()[0]["version"])


@pytest.fixture(scope="module")
def new_lake(spark: Any, lakehouse_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Lake]:
    """Make a Lake in a fresh schema (optionally over a copy of the tables folder)."""

    def make(tables: Path | None = None) -> Lake:
        env = make_env(tmp_path_factory.mktemp("lake"), lakehouse_root, tables)
        return Lake(Lakehouse(spark, env), load_catalog(env.tables_path))

    return make


@pytest.fixture(scope="module")
def run_ids() -> dict[str, str]:
    """Run ids for D1, D2, D3 in that order of time, except D3 is *older* than D2 (it committed late)."""
    base = datetime.now(UTC)
    return {"d1": new_run_id(base), "d2": new_run_id(base + timedelta(hours=2)),
            "d3": new_run_id(base + timedelta(hours=1))}
