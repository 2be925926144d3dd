"""Shared fixtures. The Spark tier shares one local session per test process; each test gets
its own schema (and landing folder), so tests never see each other's tables."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from framework.config import Environment
from tests.helpers import TEST_SPARK_SUBMIT_ARGS, copy_tables, make_env


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "spark" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.spark)
        if _shares_fixtures(item):  # `-n 2 --dist loadgroup`: such tests stay on one worker
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    # the long end-to-end runs first, so that the short tests fill the workers' ends
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def _shares_fixtures(item: pytest.Item) -> bool:
    """Whether the test uses a fixture built once for several tests of its module (or class or
    package); session fixtures are built once per worker anyway."""
    definitions = getattr(item, "_fixtureinfo", None)
    scopes = {d.scope for defs in (definitions.name2fixturedefs.values() if definitions else ()) for d in defs}
    return bool(scopes & {"module", "class", "package"})


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """With `$MEDALLION_TEST_TIMES` set (.ci/run sets it), one line per test phase as it ends:
    seconds, phase, outcome, test. Written as it happens, so a run stopped by a time limit still
    shows where its time went (.ci/run prints the slowest lines on exit)."""
    path = os.environ.get("MEDALLION_TEST_TIMES")
    # under xdist the controller sees every worker's reports: it writes, the workers do not
    if path and report.duration >= 1 and "PYTEST_XDIST_WORKER" not in os.environ:
        with open(path, "a", encoding="utf-8") as times:
            times.write(f"{report.duration:.1f}\t{report.when}\t{report.outcome}\t{report.nodeid}\n")


@pytest.fixture(scope="session")
def lakehouse_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lakehouse")


@pytest.fixture(scope="session")
def spark(lakehouse_root: Path) -> Iterator[object]:
    from framework.engine.session import LOCAL_CONNECT, local_session

    previous = os.environ.get("PYSPARK_SUBMIT_ARGS")
    os.environ["PYSPARK_SUBMIT_ARGS"] = TEST_SPARK_SUBMIT_ARGS
    try:
        # Spark's in-memory catalog, not Derby's metastore, whose lookups cost a test of small loads
        # about a sixth of its time (the naive-baseline test 81 -> 67 s, 2026-12-04); the metastore
        # stays covered by every test that starts `medallion` as a process of its own
        connect = LOCAL_CONNECT if os.environ.get("MEDALLION_TEST_CONNECT") == "1" else None
        session = local_session(lakehouse_root, connect=connect, metastore=False)
    finally:
        if previous is None:
            del os.environ["PYSPARK_SUBMIT_ARGS"]
        else:
            os.environ["PYSPARK_SUBMIT_ARGS"] = previous
    yield session
    session.stop()


@pytest.fixture
def jvm(spark: object) -> object:
    """The shared session's py4j gateway to its JVM (tests only: the engine never reaches the
    JVM); skips under Spark Connect, which has none."""
    gateway = getattr(spark, "_jvm", None)
    if gateway is None:
        pytest.skip("no JVM gateway under Spark Connect")
    return gateway


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    """A copy of the shipped tables folder, for a test to edit."""
    return copy_tables(tmp_path / "tables")


@pytest.fixture
def env(tmp_path: Path, lakehouse_root: Path) -> Environment:
    """A fresh environment: own landing folder, own schema in the shared lakehouse."""
    return make_env(tmp_path, lakehouse_root)
