"""The catalog of a reading command: tables registered from their folders, so it runs beside a run.

A local lakehouse keeps its catalog in an embedded Derby database, which one process at a time
may open: a `medallion sql` during the daily load would die on "Another instance of Derby may
have already booted the database". Reading commands (`sql` with queries only, `status`,
`check`) instead start Spark with its in-memory catalog and register every Delta table found
under the lakehouse folder, schema by schema, at the same names (`spark_catalog.<schema>.<table>`).
Nothing is written: a Delta table's folder is the truth, the catalog only names it.

Writers keep Derby: registering the tables costs a Delta snapshot each (about a quarter second),
which a no-op run should not pay, and their CREATE TABLE statements make managed tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from framework.text import sql_string

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: Spark's own default schema lives in the warehouse folder, the environment's schemas beside it
WAREHOUSE = "_warehouse"
DEFAULT_SCHEMA = "default"


@dataclass(frozen=True)
class Folder:
    """One schema's folder and the Delta tables in it."""

    schema: str
    path: Path
    tables: tuple[Path, ...]


def schema_folders(lakehouse: Path) -> list[Folder]:
    """Every schema folder of the lakehouse holding at least one committed Delta table.

    A table counts once its first commit is written (a `_delta_log/*.json`): a table a run is
    creating at this moment is not there yet for a reader, as in any catalog.
    """
    lakehouse = lakehouse.resolve()
    folders = [(DEFAULT_SCHEMA, lakehouse / WAREHOUSE)]
    if lakehouse.is_dir():
        folders += [(p.name, p) for p in sorted(lakehouse.iterdir()) if p.is_dir() and not p.name.startswith("_")]
    found = []
    for schema, path in folders:
        tables = tuple(t for t in sorted(path.iterdir()) if _committed(t)) if path.is_dir() else ()
        if tables:
            found.append(Folder(schema, path, tables))
    return found


def _committed(folder: Path) -> bool:
    log = folder / "_delta_log"
    return log.is_dir() and any(log.glob("*.json"))


def register_tables(spark: SparkSession, lakehouse: Path) -> int:
    """Name every table of the lakehouse in the session's (in-memory) catalog; the count named."""
    count = 0
    for folder in schema_folders(lakehouse):
        if folder.schema != DEFAULT_SCHEMA:
            spark.sql(f"CREATE DATABASE IF NOT EXISTS spark_catalog.`{folder.schema}` "
                      f"LOCATION {sql_string(str(folder.path))}")
        for table in folder.tables:
            try:
                spark.sql(f"CREATE TABLE IF NOT EXISTS spark_catalog.`{folder.schema}`.`{table.name}` USING DELTA "
                          f"LOCATION {sql_string(str(table))}")
            except Exception:
                if _committed(table):
                    raise
                continue  # dropped by a run since it was listed (a load's scratch table)
            count += 1
    return count
