"""`medallion sql`: queries run beside a run; a statement that writes takes the lakehouse lock."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from framework.cli.commands.sql import reads_only
from tests.helpers import PROJECT, medallion_command, process_environment


@pytest.mark.parametrize("query", ["SELECT 1", "  select * from t", "(SELECT 1) UNION (SELECT 2)",
                                   "-- a comment\nSELECT 1", "/* why */ WITH a AS (SELECT 1) SELECT * FROM a",
                                   "SHOW TABLES", "DESCRIBE HISTORY claims_silver", "DESC t", "EXPLAIN SELECT 1",
                                   "VALUES (1)", "TABLE claims_silver", "FROM t SELECT *"])
def test_queries_only_read(query: str) -> None:
    assert reads_only(query)


@pytest.mark.parametrize("query", ["INSERT INTO t VALUES (1)", "DELETE FROM t", "MERGE INTO t USING s ON TRUE "
                                   "WHEN MATCHED THEN DELETE", "UPDATE t SET a = 1", "CREATE TABLE t (a INT)",
                                   "DROP TABLE t", "OPTIMIZE t", "VACUUM t", "SET spark.x = 1", "",
                                   "WITH s AS (SELECT 1 AS a) INSERT INTO t SELECT * FROM s",
                                   "-- SELECT\nDROP TABLE t"])
def test_anything_else_writes(query: str) -> None:
    assert not reads_only(query)


def _medallion(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(medallion_command(tmp_path / "lake", tmp_path / "landing", "lab", *args),
                          capture_output=True, text=True, timeout=600, cwd=PROJECT, env=process_environment())


#: a writer: holds the lakehouse lock and the Derby catalog (it lists the tables) until its stdin closes
_WRITER = """
import sys
from pathlib import Path
from framework.engine.lock import lakehouse_lock
from framework.engine.session import local_session
lake = Path(sys.argv[1])
with lakehouse_lock(lake, "20990101T000000000000Z-writer"):
    spark = local_session(lake)
    spark.sql("SHOW TABLES IN spark_catalog.lab").collect()
    print("holding", flush=True)
    sys.stdin.read()
"""


@pytest.mark.slow
@pytest.mark.spark  # its own processes: a writer holding the lock and the Derby catalog, the CLI's readers
def test_queries_and_status_run_while_a_run_holds_the_lakehouse(tmp_path: Path) -> None:
    (tmp_path / "lake").mkdir()
    (tmp_path / "landing").mkdir()
    created = _medallion(tmp_path, "sql", "CREATE TABLE members USING DELTA AS SELECT id FROM range(3)")
    assert created.returncode == 0, created.stderr
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path / "lake")], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=PROJECT,
                              env=process_environment())
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
        # Derby, opened by the writer, allows one process: a reader names the tables from their folders
        read = _medallion(tmp_path, "sql", "SELECT count(*) AS n FROM members", "--format", "csv")
        assert read.returncode == 0, read.stderr
        assert read.stdout.split() == ["n", "3"]
        status = _medallion(tmp_path, "status")
        assert status.returncode == 0, status.stderr
        started = time.monotonic()
        write = _medallion(tmp_path, "sql", "INSERT INTO members VALUES (7)")
        assert write.returncode == 75 and time.monotonic() - started < 5
        assert write.stderr.strip().endswith("is in use by run 20990101T000000000000Z-writer "
                                             f"(pid {writer.pid}, since " + write.stderr.split("since ")[1].split(")")[0]
                                             + "); wait or pass --wait")
    finally:
        writer.communicate(timeout=120)
    again = _medallion(tmp_path, "sql", "INSERT INTO members VALUES (7)", "SELECT count(*) AS n FROM members",
                       "--format", "csv")
    assert again.returncode == 0, again.stderr
    assert again.stdout.split()[-2:] == ["n", "4"]
