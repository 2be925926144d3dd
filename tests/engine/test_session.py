"""The Delta jar's Maven coordinates for each pair of pyspark and delta-spark, and the lock on
their first resolution (no JVM); the JVM options (and environment) a local session starts with."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

import pytest

from framework.config.cache import CACHE_ENV
from framework.engine.session import (
    COMPILE_HUGE_METHODS,
    MALLOC_ARENAS,
    NIO_BUFFER_CACHE,
    _first_resolution,
    delta_coordinates,
    jar_folder,
)


@pytest.mark.parametrize(("spark_version", "delta", "coordinates"), [
    ("4.2.0", "4.4.0", "io.delta:delta-spark_4.2_2.13:4.4.0"),  # the main versions
    ("4.0.1", "4.1.0", "io.delta:delta-spark_4.0_2.13:4.1.0"),  # a Delta 4.1+ build for Spark 4.0
    ("4.0.0", "4.0.0", "io.delta:delta-spark_2.13:4.0.0"),  # the compat tier: Delta 4.0 has one build
    ("4.0.0", "4.0.0rc1", "io.delta:delta-spark_2.13:4.0.0rc1"),
])
def test_coordinates_follow_how_each_delta_release_is_published(spark_version: str, delta: str,
                                                                 coordinates: str) -> None:
    # not named `spark`: tests/conftest.py marks a test with that argument as a Spark test
    assert delta_coordinates(spark_version, delta) == coordinates


def test_each_coordinate_has_its_own_jar_folder() -> None:
    main, compat = delta_coordinates("4.2.0", "4.4.0"), delta_coordinates("4.0.0", "4.0.0")
    assert jar_folder(main) != jar_folder(compat)
    assert jar_folder(compat).name == "io.delta_delta-spark_2.13_4.0.0"


def _locked_elsewhere(lock: Path) -> bool:
    """Whether another open file description holds the lock (flock locks are per description)."""
    with lock.open("a") as other:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(other, fcntl.LOCK_UN)
        return False


def test_the_first_resolution_holds_a_lock_that_later_sessions_skip(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    coordinates = delta_coordinates("4.2.0", "4.4.0")
    lock = jar_folder(coordinates) / ".lock"
    with _first_resolution(coordinates):
        assert _locked_elsewhere(lock)  # a second session would wait here for the jars
    assert not _locked_elsewhere(lock)
    jars = jar_folder(coordinates) / "ivy" / "jars"
    jars.mkdir(parents=True)
    (jars / "io.delta_delta-spark_4.2_2.13-4.4.0.jar").touch()
    (jar_folder(coordinates) / "RESOLVED").write_text(coordinates)
    lock.unlink()
    with _first_resolution(coordinates):
        assert not lock.exists()  # resolved: no lock taken


def test_the_local_jvm_starts_with_the_options_that_keep_it_fast_and_small(jvm: Any) -> None:
    arguments = list(jvm.java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
    assert {COMPILE_HUGE_METHODS, NIO_BUFFER_CACHE} <= set(arguments)
    assert jvm.java.lang.System.getProperty("jdk.nio.maxCachedBufferSize") == "262144"
    name = MALLOC_ARENAS[0]  # its value is the user's when they set it, else ours
    assert jvm.java.lang.System.getenv(name) == os.environ[name]
