"""The lakehouse lock, without Spark: a second writer gets one line and exit 75 at once."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from framework.cli.main import build_parser, main
from framework.engine.lock import LOCK_FILE, LakehouseBusy, holder, lakehouse_lock


def hold(lakehouse: Path, pid: int, run_id: str = "R1") -> None:
    lakehouse.mkdir(parents=True, exist_ok=True)
    (lakehouse / LOCK_FILE).write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "run_id": run_id,
                                                   "started": "2026-01-01T00:00:00+00:00"}))


#: every command that writes tables: each takes the lock before Spark starts
WRITERS = [["run"], ["run", "silver"], ["archive"], ["rebuild", "--table", "claims_silver"],
           ["sql", "SELECT 1", "DELETE FROM claims_silver WHERE FALSE"]]


@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_a_second_writer_gets_one_line_and_exit_75_within_5_seconds(tmp_path: Path, command: list[str],
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    other = subprocess.Popen(["sleep", "30"])
    try:
        hold(tmp_path / "lake", other.pid)
        (tmp_path / "in").mkdir()
        started = time.monotonic()
        code = main([*command, "--set", f"lakehouse={tmp_path / 'lake'}", "--set", f"landing={tmp_path / 'in'}"])
        elapsed = time.monotonic() - started
    finally:
        other.kill()
        other.wait()
    err = capsys.readouterr().err.strip()
    assert code == 75 and elapsed < 5
    assert err == (f"error: lakehouse {tmp_path / 'lake'} is in use by run R1 (pid {other.pid}, "
                   "since 2026-01-01T00:00:00+00:00); wait or pass --wait")


@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_every_writer_can_wait(command: list[str]) -> None:
    assert build_parser().parse_args([*command, "--wait"]).wait


def test_a_lock_whose_process_is_gone_is_taken_over_and_released(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    hold(tmp_path, gone.pid)
    assert holder(tmp_path) is None
    with lakehouse_lock(tmp_path, "R2"):
        assert (holder(tmp_path) or {})["run_id"] == "R2"
        with pytest.raises(LakehouseBusy, match="in use by run R2"), lakehouse_lock(tmp_path, "R3"):
            pass
    assert not (tmp_path / LOCK_FILE).exists()


def test_wait_takes_the_lock_when_the_other_run_ends(tmp_path: Path) -> None:
    other = subprocess.Popen(["sleep", "1"])
    threading.Thread(target=other.wait).start()  # reaped when it ends (a zombie would look alive)
    hold(tmp_path, other.pid)
    started = time.monotonic()
    with lakehouse_lock(tmp_path, "R4", wait=True, poll=0.1):
        assert (holder(tmp_path) or {})["run_id"] == "R4"
    assert 0.5 < time.monotonic() - started < 10
