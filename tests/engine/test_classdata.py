"""Which class archive a local session maps: one per pyspark, Delta and JDK, and none until it exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.config.cache import CACHE_ENV
from framework.engine import classdata

COORDINATES = "io.delta:delta-spark_4.2_2.13:4.4.0"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    return tmp_path


def test_a_session_maps_no_archive_until_one_is_written() -> None:
    assert classdata.java_options(COORDINATES) == ""
    archive = classdata.archive_path(COORDINATES)
    archive.parent.mkdir(parents=True)
    archive.write_bytes(b"")
    options = classdata.java_options(COORDINATES).split()
    assert options[0] == f"-XX:SharedArchiveFile={archive}"
    assert "-Xshare:on" not in options  # a JVM that cannot map it starts without it
    assert options[-2:] == ["-Xlog:disable", "-Xlog:all=warning:stderr"]  # never on stdout, where results go


def test_another_delta_or_jdk_has_an_archive_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = classdata.archive_path(COORDINATES)
    assert archive.parent == tmp_path / "jvm"
    assert classdata.archive_path("io.delta:delta-spark_2.13:4.0.0") != archive
    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    assert classdata.archive_path(COORDINATES) != archive


def test_a_dumping_jvm_writes_where_it_is_told_and_a_checking_one_must_map() -> None:
    assert classdata.dump_options(Path("/a/x.partial")).split()[0] == "-XX:ArchiveClassesAtExit=/a/x.partial"
    assert classdata.use_options(Path("/a/x.jsa"), strict=True).split()[:2] == ["-XX:SharedArchiveFile=/a/x.jsa",
                                                                               "-Xshare:on"]
