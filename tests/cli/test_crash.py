"""`kill -9` at every step boundary, then a rerun: the lakehouse ends as if nothing had happened.

`medallion run` runs as its own process (in a process group of its own), and
`MEDALLION_STOP_AT=<point>` makes it kill itself at a named point (framework/engine/stop.py);
once, the test kills it from outside while a target loads. The runs are Spark Connect clients
(`medallion --remote`) of one server process that holds the lakehouse's session
(tests/serve.py): a run killed at a named point has no statement in flight, so the server's JVM
outliving it changes nothing, and the chain pays a JVM start per server instead of per run. The kill
from outside takes the server with it, mid-statement, as a crashed machine would; the next run
starts a new server. Each killed run's
successor is the rerun that must repair it, and may itself be killed at a later point: a chain
through one delivery's bronze ingest, archive, current states, silver and gold loads. Then
every delivered line is once in bronze, nothing is left in landing, and every target equals a
full rebuild from bronze with no key twice.

An incremental MERGE interrupted before its control row is written is the contract tests' case
(tests/engine/targets/test_contract.py, in process): what a killed process adds to that (a lock
and journals left behind, a half-written run) is all exercised here, on the cheapest delivery.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from framework.config import Environment
from framework.engine.lakehouse import Lakehouse
from framework.engine.readers import register_tables
from framework.engine.stop import ENV as STOP_AT
from framework.engine.targets.load import build_sequence
from tests.engine.conftest import Lake
from tests.engine.targets.deliveries import Delivery, d1, write
from tests.helpers import PROJECT, medallion_command, process_environment, shipped_catalog

pytestmark = pytest.mark.slow


def points() -> list[str | None]:
    """The points the chain of runs is killed at, in the order a run reaches them."""
    first_silver = build_sequence(shipped_catalog(), layer="silver")[0]
    gold = build_sequence(shipped_catalog(), layer="gold")[-1]
    return ["bronze:logged",  # every file logged as pending, nothing appended
            "bronze:appended",  # the first source appended, its log rows not written
            "after:bronze",  # bronze done, nothing archived
            "archive:moved",  # one file moved, the log not told
            "current:merged",  # every current state merged, the control table not told
            f"loaded:{first_silver}",  # a silver table built, the control table not told
            None,  # the kill from outside (OUTSIDE)
            f"loaded:{gold}"]  # gold built, the control table not told


OUTSIDE = "silver: "  # from outside, as soon as the first silver table is reported loaded
#: D1 delivers encounter e4 of patient p3 before p3's patient row (D2): gold's patient reference
#: check fails in any run of D1 that loads gold (an uninterrupted one too)
LATE_PATIENT = "member_monthly_snapshot_gold: check references(patient_id -> patients.Id)"


class Crashes:
    """`medallion run` against one lakehouse folder, in its own process group."""

    def __init__(self, base: Path) -> None:
        self.schema = f"crash_{uuid.uuid4().hex[:10]}"
        self.lake, self.landing, self.server_log = base / "lake", base / "landing", base / "server.log"
        self.landing.mkdir(parents=True)
        self._server: tuple[subprocess.Popen[str], int] | None = None
        self.delivered: dict[str, list[tuple[str, int]]] = {}  # source -> (file, rows) of files bronze takes
        self._contents: dict[str, set[bytes]] = {}

    def deliver(self, delivery: Delivery, name: str) -> None:
        write(self.landing, delivery, name)
        for source, (_, rows) in delivery.items():
            content = (self.landing / source / f"{name}.csv").read_bytes()
            if content not in self._contents.setdefault(source, set()):  # a byte-identical file is a duplicate
                self._contents[source].add(content)
                self.delivered.setdefault(source, []).append((f"{name}.csv", len(rows)))

    def run(self, stop_at: str | None = None, *, kill_on: str | None = None) -> tuple[int, list[str]]:
        """The exit code and the console's lines of one `medallion run`."""
        command = medallion_command(self.lake, self.landing, self.schema, "--remote",
                                    f"sc://localhost:{self._serving()}", "run")
        environment = process_environment()
        environment.pop(STOP_AT, None)
        if stop_at is not None:
            environment[STOP_AT] = stop_at
        process = subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True)
        said = []
        try:
            assert process.stderr is not None
            for line in _lines(process.stderr):
                said.append(line.rstrip("\n"))
                if kill_on is not None and line.startswith(kill_on):
                    os.killpg(process.pid, signal.SIGKILL)
                    self.stop_server()
            return process.wait(timeout=900), said
        finally:
            with contextlib.suppress(ProcessLookupError):  # the rest of the tree, as `kill -9` of a
                os.killpg(process.pid, signal.SIGKILL)       # process group would

    def _serving(self) -> int:
        """The port of the lakehouse's Connect server, started if none runs (4-6 s)."""
        if self._server is None:
            with self.server_log.open("a") as log:
                server = subprocess.Popen([sys.executable, "-m", "tests.serve", str(self.lake)], cwd=PROJECT,
                                          env=process_environment(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=log, text=True, start_new_session=True)
            assert server.stdout is not None
            port = server.stdout.readline()
            assert port.strip().isdigit(), f"the Connect server did not start:\n{self.server_log.read_text()[-3000:]}"
            self._server = server, int(port)
        return self._server[1]

    def stop_server(self) -> None:
        """`kill -9` of the server's process group: its JVM, whatever it is doing."""
        if self._server is not None:
            server, self._server = self._server[0], None
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _lines(stream: Any) -> Iterator[str]:
    yield from iter(stream.readline, "")


def _check(spark: Any, crashes: Crashes) -> None:
    """Every delivered line once in bronze, landing emptied, every target equal to a full rebuild."""
    register_tables(spark, crashes.lake)  # name the run's tables in this test's session
    env = Environment(name="crash", runtime="local", landing=str(crashes.landing), lakehouse=str(crashes.lake),
                      catalog="spark_catalog", schema=crashes.schema, tables=str(PROJECT / "tables"))
    lake = Lake(Lakehouse(spark, env), shipped_catalog())
    for source, files in crashes.delivered.items():
        table = lake.lakehouse.name(shipped_catalog().bronze[source].table)
        counts = {r["file"]: r["n"] for r in spark.sql(
            f"SELECT regexp_extract(source_file, '[^/]+$', 0) AS file, count(*) AS n FROM {table} "
            "GROUP BY 1").collect()}
        assert counts == {file: rows for file, rows in files if rows}, source  # a header-only file adds no row
    assert sorted(crashes.landing.glob("*/*.csv")) == []  # every file archived
    lake.check()


def _killed(run: tuple[int, list[str]], where: str) -> None:
    code, said = run
    assert code == -signal.SIGKILL, f"the run did not reach {where} (exit {code}):\n" + "\n".join(said[-20:])


def test_a_run_killed_at_any_step_is_finished_by_the_next(tmp_path: Path, spark: Any) -> None:
    crashes = Crashes(tmp_path)
    crashes.deliver(d1(), "d1")
    try:
        for point in points():
            if point is None:
                _killed(crashes.run(kill_on=OUTSIDE), f"a line starting {OUTSIDE!r}")
            else:
                _killed(crashes.run(point), point)
        code, said = crashes.run()
    finally:
        crashes.stop_server()
    errors = [line for line in said if line.startswith("ERROR: ")]
    assert code == 1 and errors and all(LATE_PATIENT in line for line in errors), "\n".join(said)
    _check(spark, crashes)
