"""The lakehouse a run writes to: a Spark session plus the environment's catalog and schema."""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession

from framework.config import Environment
from framework.text import sql_string


@dataclass
class Lakehouse:
    spark: SparkSession
    env: Environment

    def name(self, table: str) -> str:
        return self.env.table_name(table)

    def exists(self, table: str) -> bool:
        return bool(self.spark.catalog.tableExists(self.name(table)))

    def tables(self) -> set[str]:
        """Names of the tables in the environment's schema (one catalog call)."""
        if not self.spark.catalog.databaseExists(f"{self.env.catalog}.{self.env.schema}"):
            return set()
        rows = self.spark.sql(f"SHOW TABLES IN {self.env.catalog}.{self.env.schema}").collect()
        return {row["tableName"] for row in rows}

    def ensure_schema(self) -> None:
        qualified = f"{self.env.catalog}.{self.env.schema}"
        if self.env.is_local:
            location = self.env.lakehouse_path.resolve() / self.env.schema
            self.spark.sql(f"CREATE DATABASE IF NOT EXISTS {qualified} LOCATION '{location}'")
        else:
            self.spark.sql(f"CREATE SCHEMA IF NOT EXISTS {qualified}")

    def create_table(self, table: str, columns: dict[str, str], comment: str = "",
                     partitioned_by: tuple[str, ...] = (), properties: dict[str, str] | None = None) -> None:
        """CREATE TABLE IF NOT EXISTS with the given column -> SQL type layout (Delta)."""
        ddl = ", ".join(f"`{name}` {sql_type}" for name, sql_type in columns.items())
        partitions = f" PARTITIONED BY ({', '.join(partitioned_by)})" if partitioned_by else ""
        comment_sql = f" COMMENT {sql_string(comment)}" if comment else ""
        props = (" TBLPROPERTIES (" + ", ".join(f"{sql_string(k)} = {sql_string(v)}" for k, v in properties.items())
                 + ")") if properties else ""
        self.spark.sql(f"CREATE TABLE IF NOT EXISTS {self.name(table)} ({ddl}) USING DELTA{partitions}{comment_sql}{props}")

    def table(self, table: str) -> DataFrame:
        return self.spark.table(self.name(table))

    def sql(self, text: str) -> DataFrame:
        return self.spark.sql(text)
