"""What every command needs: the environment, the specs, and (lazily) one Spark session."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from framework.config import Environment
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
    connect: bool = False  # local Spark Connect instead of a classic local session
    record: RunRecord | None = None  # what the current run did, for its report (framework/site/runs.py)
    wait: bool = False  # a writing command waits for the lakehouse lock instead of failing

    @cached_property
    def specs(self) -> SpecCatalog:
        return load_catalog(self.env.tables_path)

    @cached_property
    def spark(self) -> SparkSession:
        if self.spark_session is not None:
            return self.spark_session
        if self.env.is_local:
            from framework.engine.session import local_session

            self.report.progress("starting local Spark (Delta Lake, catalog in "
                                 f"{self.env.lakehouse_path}) ...")
            return local_session(self.env.lakehouse_path, connect=self.connect)
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is None:
            raise RuntimeError(f"environment {self.env.name!r} runs on Databricks, where the runtime provides "
                               "the Spark session; none is active here. Use --env local to run locally.")
        return active

    @cached_property
    def lakehouse(self) -> Lakehouse:
        from framework.engine.lakehouse import Lakehouse

        return Lakehouse(self.spark, self.env)
