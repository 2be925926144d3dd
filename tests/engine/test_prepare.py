"""`python -m framework.engine.prepare`: the class archive is written once, a JVM maps it, and a
damaged one never gets the name sessions look for."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from framework.engine import classdata, prepare
from framework.engine.session import delta_coordinates


@pytest.mark.spark
def test_the_archive_is_written_once_and_a_jvm_maps_it(tmp_path: Path) -> None:
    archive = prepare.prepare()  # in CI, `make` wrote it already: the same call then only finds it
    assert archive == classdata.archive_path(delta_coordinates()) and archive.stat().st_size > 0
    written = archive.stat().st_mtime_ns
    assert prepare.prepare() == archive and archive.stat().st_mtime_ns == written
    with (tmp_path / "check.log").open("w") as log:
        assert prepare._child("--check", archive, log) == 0  # -Xshare:on: the JVM starts only if it maps it


@pytest.mark.spark
def test_a_damaged_archive_stops_the_jvm_that_checks_it(tmp_path: Path) -> None:
    archive = prepare.prepare()
    damaged = tmp_path / "damaged.partial"
    with archive.open("rb") as whole:
        damaged.write_bytes(whole.read(archive.stat().st_size // 2))  # a dump cut off half-way
    with (tmp_path / "check.log").open("w") as log:
        assert prepare._child("--check", damaged, log) != 0


def test_the_cache_keeps_the_newest_archives(tmp_path: Path) -> None:
    for age, name in enumerate(["d", "c", "b", "a"]):
        (tmp_path / f"classes-{name}.jsa").write_bytes(b"")
        (tmp_path / f"classes-{name}.log").write_text("")
        os.utime(tmp_path / f"classes-{name}.jsa", ns=(age, age))
    prepare._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"classes-{n}.{s}" for n in "abc" for s in ("jsa", "log")]


def test_a_group_is_alive_while_a_process_of_it_runs_and_not_after() -> None:
    sleeper = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        assert prepare._alive(sleeper.pid)
    finally:
        sleeper.kill()
    time.sleep(0.2)  # killed, not yet reaped: a zombie, which no longer counts
    assert not prepare._alive(sleeper.pid)
    sleeper.wait()
    assert not prepare._alive(sleeper.pid)
