"""Folders a command cannot use are one line on stderr and exit 2, before Spark starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.cli.main import main
from framework.cli.paths import check_paths
from framework.config import load_environment


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize("command", [["sql", "SELECT 1"], ["status"], ["check"]])
def test_a_missing_lakehouse_is_an_error_for_reading_commands(tmp_path: Path, command: list[str],
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo"
    assert main([*command, "--set", f"lakehouse={missing}", "--set", f"landing={tmp_path}"]) == 2
    assert f"lakehouse {missing} does not exist" in one_line_error(capsys)
    assert not missing.exists()


def test_a_missing_landing_is_an_error_for_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--set", f"lakehouse={tmp_path}", "--set", f"landing={tmp_path / 'nope'}"]) == 2
    assert "landing" in one_line_error(capsys)


@pytest.mark.parametrize("command", [["run"], ["sql", "SELECT 1"], ["generate", "--patients", "1"]])
def test_system_folders_and_files_are_refused_in_one_line(tmp_path: Path, command: list[str],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    setting = "landing" if command[0] == "generate" else "lakehouse"
    assert main([*command, "--set", f"{setting}=/proc/lake"]) == 2
    assert "is under /proc, a system folder" in one_line_error(capsys)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert main([*command, "--set", f"{setting}={a_file}", "--set", f"landing={a_file}"]) == 2
    assert "is a file, not a folder" in one_line_error(capsys)


def test_run_creates_missing_folders_and_says_so(tmp_path: Path) -> None:
    env = load_environment("local", {"lakehouse": str(tmp_path / "lake"), "landing": str(tmp_path / "in")})
    said: list[str] = []
    check_paths(env, "run", said)
    assert (tmp_path / "lake").is_dir() and (tmp_path / "in").is_dir()
    assert said == [f"lakehouse {tmp_path / 'lake'} did not exist: created it",
                    f"landing {tmp_path / 'in'} did not exist: created it"]
