"""The run log: findings journaled as they happen, moved to Delta, a dead run's problems shown
by status and reported again by the next run."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

from framework.engine.lakehouse import Lakehouse
from framework.engine.report import Finding, Report
from framework.engine.runlog import CLAIMED, Journal, claim, flush, journal_folder, latest_problems
from framework.engine.runs import new_run_id
from tests.helpers import make_env, medallion_in_session, write_csv


def test_a_dead_runs_problems_are_in_status_and_reported_again(spark: Any, tmp_path: Path,
                                                                lakehouse_root: Path) -> None:
    env = make_env(tmp_path, lakehouse_root)
    dead = new_run_id()
    journal = Journal(env, dead)
    report = Report(quiet=True, listeners=[journal.write], stage="bronze")
    report.error("claims: claims.csv", "required column(s) PATIENTID missing from the header", "re-export it")
    report.warning("patients: p.csv", "column BIRTHDATE: value is not a date: 2 row(s), line(s) 3, 5")
    # ... and the process is killed: no end line, nothing in Delta yet
    assert [line.count('"level"') for line in journal.path.read_text().splitlines()] == [1, 1]
    # status reads the journal where it lies (it may run beside a live run: it moves nothing)
    shown = latest_problems(Lakehouse(spark, env))
    assert [(p["run"], p["level"], p["table_name"]) for p in shown] == [("did not finish", "error", "claims"),
                                                                        ("did not finish", "warning", "patients")]
    assert journal.path.exists()
    write_csv(env.landing_path, "payers", "payers.csv", ["Id", "NAME"], [["x", "y"]])
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert medallion_in_session(env, spark, "run", "bronze") == 1  # the dead run's error is open again
    console = err.getvalue()
    assert f"PATIENTID missing from the header (reported by run {dead}, which did not finish)" in console
    assert not list(journal_folder(env).iterdir())  # all moved to the table
    problems = latest_problems(Lakehouse(spark, env))
    dead_rows = [p for p in problems if p["run_id"] == dead]
    assert {p["run"] for p in dead_rows} == {"did not finish"}
    assert [(p["table_name"], p["file"], p["line"]) for p in dead_rows if p["level"] == "warning"] == [
        ("patients", "p.csv", 3)]
    assert any(p["run"] == "finished" for p in problems)


def test_journal_lines_cut_by_a_kill_are_skipped(spark: Any, tmp_path: Path, lakehouse_root: Path) -> None:
    env = make_env(tmp_path, lakehouse_root)
    journal = Journal(env, new_run_id())
    journal.write("silver", Finding("error", "claims_silver", "check failed"))
    with journal.path.open("a") as handle:
        handle.write('{"run_id": "cut')
    [entry] = flush(Lakehouse(spark, env))
    assert entry.table_name == "claims_silver" and entry.stage == "silver"


def test_a_flush_claims_journals_so_lines_written_meanwhile_are_kept(tmp_path: Path) -> None:
    env = make_env(tmp_path, tmp_path / "lake")
    journal = Journal(env, new_run_id())
    journal.write("bronze", Finding("warning", "patients: p.csv", "first"))
    leftover = journal_folder(env) / f"old.jsonl.0123456789ab{CLAIMED}"  # claimed by a flush that was killed
    leftover.write_text("")
    taken = claim(journal_folder(env))
    assert len(taken) == 2 and leftover in taken and not journal.path.exists()
    [mine] = [p for p in taken if p != leftover]
    assert mine.name.startswith(journal.path.name) and "first" in mine.read_text()
    journal.write("bronze", Finding("warning", "patients: p.csv", "second"))  # while the flush runs
    assert "second" in journal.path.read_text() and "second" not in mine.read_text()
    again = claim(journal_folder(env))  # a second flush takes the new lines, and overwrites no claim
    assert len(again) == 3 and "first" in mine.read_text()


def test_a_scoped_flush_takes_only_its_scope(tmp_path: Path) -> None:
    """Databricks tasks run at once and journal under their scope: a task starting must not take
    (and report as dead) the journal of another task that is still running."""
    env = make_env(tmp_path, tmp_path / "lake")
    claims = Journal(env, new_run_id(), "bronze-claims")
    patients = Journal(env, new_run_id(), "bronze-patients")
    for journal in (claims, patients):
        journal.write("bronze", Finding("error", "x: x.csv", "missing column"))
    [taken] = claim(journal_folder(env), "bronze-claims")
    assert taken.name.startswith(claims.path.name) and patients.path.exists()
    assert claim(journal_folder(env), "bronze-patient") == []  # a scope is never a prefix of another
    assert len(claim(journal_folder(env))) == 2  # unscoped (local runs, status): every journal
