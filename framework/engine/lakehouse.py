"""The lakehouse a run writes to: a Spark session plus the environment's catalog and schema."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from pyspark.sql import DataFrame, Row, SparkSession

from framework.config import Environment
from framework.engine.profile import Profile
from framework.text import sql_string, sql_values


@dataclass
class Lakehouse:
    spark: SparkSession
    env: Environment
    profile: Profile | None = None  # `medallion run --profile`: every statement is timed

    def name(self, table: str) -> str:
        return self.env.table_name(table)

    def exists(self, table: str) -> bool:
        return bool(self.spark.catalog.tableExists(self.name(table)))

    def tables(self) -> set[str]:
        """Names of the tables in the environment's schema (one catalog call)."""
        if not self.spark.catalog.databaseExists(f"{self.env.catalog}.{self.env.schema}"):
            return set()
        rows = self.rows(f"SHOW TABLES IN {self.env.catalog}.{self.env.schema}")
        return {row["tableName"] for row in rows}

    def ensure_schema(self) -> None:
        qualified = f"{self.env.catalog}.{self.env.schema}"
        if self.env.is_local:
            location = self.env.lakehouse_path.resolve() / self.env.schema
            self.sql(f"CREATE DATABASE IF NOT EXISTS {qualified} LOCATION '{location}'")
        else:
            self.sql(f"CREATE SCHEMA IF NOT EXISTS {qualified}")

    def create_table(self, table: str, columns: dict[str, str], comment: str = "",
                     partitioned_by: tuple[str, ...] = (), properties: dict[str, str] | None = None) -> None:
        """CREATE TABLE IF NOT EXISTS with the given column -> SQL type layout (Delta)."""
        ddl = ", ".join(f"`{name}` {sql_type}" for name, sql_type in columns.items())
        partitions = f" PARTITIONED BY ({', '.join(partitioned_by)})" if partitioned_by else ""
        comment_sql = f" COMMENT {sql_string(comment)}" if comment else ""
        props = (" TBLPROPERTIES (" + ", ".join(f"{sql_string(k)} = {sql_string(v)}" for k, v in properties.items())
                 + ")") if properties else ""
        self.sql(f"CREATE TABLE IF NOT EXISTS {self.name(table)} ({ddl}) USING DELTA{partitions}{comment_sql}{props}")

    def table(self, table: str) -> DataFrame:
        return self.spark.table(self.name(table))

    def sql(self, text: str) -> DataFrame:
        """Run a statement: commands (DDL, MERGE, INSERT) run here; a query runs when its rows are
        read (use `rows` to run one and read it as one timed statement)."""
        with self.statement():
            return self.spark.sql(text)

    def insert(self, table: str, columns: Mapping[str, str], rows: Iterable[Sequence[object]]) -> None:
        """Append Python values (in `columns` order) to a table in one commit."""
        rows = list(rows)
        if rows:
            self.sql(f"INSERT INTO {self.name(table)} ({', '.join(f'`{c}`' for c in columns)}) "
                     f"{sql_values(columns, rows)}")

    def written_rows(self, name: str) -> int:
        """The rows the table's latest commit (a CREATE ... AS) wrote, from its metrics (1 when
        they do not say)."""
        metrics = self.rows(f"DESCRIBE HISTORY {name} LIMIT 1")[0]["operationMetrics"]
        return int(metrics.get("numOutputRows", 1))

    def rows(self, text: str) -> list[Row]:
        """Run a query and return its rows."""
        with self.statement():
            return self.spark.sql(text).collect()

    @contextmanager
    def statement(self) -> Iterator[None]:
        """Count what runs inside as one statement of the run's profile (DataFrame writes too)."""
        if self.profile is None:
            yield
            return
        started = time.perf_counter()
        try:
            yield
        finally:
            self.profile.statement(time.perf_counter() - started)

