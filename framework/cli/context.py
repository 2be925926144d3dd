"""What every command needs: the environment, the specs, and (lazily) one Spark session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from framework.config import Environment
from framework.engine.profile import Profile
from framework.engine.report import Report
from framework.specs.catalog import SpecCatalog
from framework.specs.loader import load_catalog

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from framework.engine.lakehouse import Lakehouse
    from framework.site.runs import RunRecord


@dataclass
class Context:
    env: Environment
    report: Report = field(default_factory=Report)
    spark_session: SparkSession | None = None  # given on Databricks; built lazily locally
    connect: str | None = None  # a Spark Connect URL instead of a classic local session (local_session)
    record: RunRecord | None = None  # what the current run did, for its report (framework/site/runs.py)
    wait: bool = False  # a writing command waits for the lakehouse lock instead of failing
    reader: bool = False  # a reading command: locally, a catalog that works beside a run (see reading())
    profile: Profile | None = None  # `run --profile`: time every stage, table and statement
    current_refreshed: bool = False  # this run's `current` step brought every current state up to date

    @cached_property
    def specs(self) -> SpecCatalog:
        return load_catalog(self.env.tables_path)

    @cached_property
    def spark(self) -> SparkSession:
        if self.spark_session is not None:
            return self.spark_session
        if self.env.is_local:
            from framework.engine.session import local_session

            where = "tables read from" if self.reader else "catalog in"
            self.report.progress(f"starting local Spark (Delta Lake, {where} {self.env.lakehouse_path}) ...")
            return local_session(self.env.lakehouse_path, connect=self.connect, reader=self.reader)
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is None:
            raise RuntimeError(f"environment {self.env.name!r} runs on Databricks, where the runtime provides "
                               "the Spark session; none is active here. Use --env local to run locally.")
        return active

    def reading(self) -> None:
        """Mark this command as one that only reads tables: locally its session then names the
        lakehouse's tables from their folders instead of opening the Derby catalog, which the
        run writing at the same time may hold (framework/engine/readers.py). Call it before the
        first use of `spark`."""
        if "spark" in self.__dict__:
            raise RuntimeError("reading() must come before the session starts")
        self.reader = True

    @contextmanager
    def writing(self, run_id: str) -> Iterator[None]:
        """Hold the lakehouse lock while a command writes tables (raises LakehouseBusy, or waits
        with `wait`). Taken before Spark starts, so a second writer is told at once. Databricks
        runs take none: the job scheduler serialises them."""
        if not self.env.is_local:
            yield
            return
        from framework.engine.lock import lakehouse_lock

        with lakehouse_lock(self.env.lakehouse_path, run_id, wait=self.wait):
            yield

    @cached_property
    def lakehouse(self) -> Lakehouse:
        from framework.engine.lakehouse import Lakehouse

        return Lakehouse(self.spark, self.env, self.profile)
