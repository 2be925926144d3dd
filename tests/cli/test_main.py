from __future__ import annotations

from pathlib import Path

import pytest

from framework.cli.main import main
from tests.helpers import PROJECT, medallion_command, process_environment


def test_validate_passes_on_the_shipped_specs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "18 bronze" in capsys.readouterr().out


def test_validate_fails_with_located_problems(tables: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tables / "bronze" / "payers.yml"
    spec.write_text(spec.read_text().replace("table: payers_bronze", "table: payer_bronze"))
    assert main(["validate", "--set", f"tables={tables}"]) == 1
    err = capsys.readouterr().err
    assert "payers.yml:" in err and "payers_bronze" in err


def test_bad_config_is_an_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env", "nowhere", "validate"]) == 2
    assert "no environment 'nowhere'" in capsys.readouterr().err


def test_remote_takes_a_spark_connect_url(capsys: pytest.CaptureFixture[str]) -> None:
    from framework.cli.main import build_parser
    from framework.engine.session import LOCAL_CONNECT

    assert build_parser().parse_args(["--remote", "sc://localhost:15002", "status"]).connect == "sc://localhost:15002"
    assert build_parser().parse_args(["status", "--connect"]).connect == LOCAL_CONNECT
    with pytest.raises(SystemExit) as exit_:
        main(["--remote", "localhost:15002", "status"])
    assert exit_.value.code == 2
    assert "give sc://HOST:PORT" in capsys.readouterr().err


def test_ls_previews_a_selection(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ls", "--select", "+claims_silver"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()[2:-1]]
    assert listed[-1] == "claims_silver" and "claims_transactions_bronze" in listed and "patients_bronze" in listed
    assert main(["ls", "--select", "claim_silver"]) == 2
    assert "did you mean 'claims_silver'?" in capsys.readouterr().err


@pytest.mark.spark
def test_console_is_quiet_by_default_and_verbose_on_request(tmp_path: Path) -> None:
    """The JVM's own output (e.g. "WARNING: Using incubator modules") goes to <lakehouse>/_logs,
    not to the console; -v shows it."""
    import subprocess

    def sql(*extra: str) -> str:
        # a fresh lakehouse has Spark's `default` schema only (`sql` reads, it creates nothing)
        command = medallion_command(tmp_path / "lake", tmp_path / "landing", "default", *extra, "sql", "SELECT 1 AS one")
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=PROJECT,
                              env=process_environment())
        assert done.returncode == 0, done.stderr
        return done.stderr

    (tmp_path / "lake").mkdir()  # `sql` reads a lakehouse, it does not create one (tests/cli/test_paths.py)
    quiet = sql()
    assert [line for line in quiet.splitlines() if not line.startswith("starting local Spark")] == []
    assert "Using incubator modules" in (tmp_path / "lake" / "_logs" / "jvm.log").read_text()
    assert "Using incubator modules" in sql("-v")


def test_validate_and_run_refuse_an_expression_that_reaches_the_jvm(tmp_path: Path, tables: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    spec = tables / "silver" / "claims_silver.yml"
    lines = spec.read_text().splitlines()
    line = next(n for n, row in enumerate(lines, 1) if row.strip().startswith("expr:"))  # a block-style expr
    lines[line - 1] = lines[line - 1].split("expr:")[0] + "expr: \"java_method('java.lang.System', 'getenv', 'HOME')\""
    spec.write_text("\n".join(lines) + "\n")
    assert main(["validate", "--set", f"tables={tables}"]) == 1
    assert f"claims_silver.yml:{line}:" in capsys.readouterr().err
    # the engine loads the same checked catalog: the run stops before Spark starts
    assert main(["run", "silver", "--set", f"tables={tables}", "--set", f"lakehouse={tmp_path / 'lh'}"]) == 2
    err = capsys.readouterr().err
    assert f"claims_silver.yml:{line}:" in err and "'java_method' is not allowed" in err
    assert not (tmp_path / "lh" / "_catalog").exists()  # no Spark session was started
