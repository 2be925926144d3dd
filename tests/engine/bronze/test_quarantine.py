"""Source isolation on real Spark and Delta: unreadable files are quarantined, every other file
and source still lands, every file in a source folder is accounted for, and the console shows
no row values."""

from __future__ import annotations

import contextlib
import gzip
import io
from pathlib import Path
from typing import Any

import pytest

from framework.engine.bronze.ingest_log import QUARANTINED, IngestLog
from framework.engine.bronze.quarantine import quarantined
from framework.engine.lakehouse import Lakehouse
from tests.engine.bronze.test_ingest import ORGS, org, patient, patients_header
from tests.helpers import make_env, medallion_in_session, shipped_catalog, write_bytes, write_csv

TRANSITIONS = ["PATIENT", "MEMBERID", "START_DATE", "END_DATE", "PAYER", "SECONDARY_PAYER", "PLAN_OWNERSHIP",
               "OWNER_NAME"]
IMMUNIZATIONS = ["DATE", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION", "BASE_COST"]
SECRET = "1980-13-45"  # a rejected value that must never reach the console


def transition(patient_id: str) -> list[str]:
    return [patient_id, "m1", "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", "payer-1", "", "Self", "Ann"]


@pytest.fixture(scope="module")
def lake(spark: Any, tmp_path_factory: pytest.TempPathFactory, lakehouse_root: Path) -> dict[str, Any]:
    env = make_env(tmp_path_factory.mktemp("isolation"), lakehouse_root)
    landing = env.landing_path
    # a repeated header name (COLUMN_ALREADY_EXISTS in Spark): the file a user once had to remove by hand
    header = ",".join(TRANSITIONS).replace(",PAYER,", ",PATIENT,")
    write_bytes(landing, "payer_transitions", "payer_transitions.csv",
                (header + "\n" + ",".join(transition("p1")) + "\n").encode())
    write_csv(landing, "payer_transitions", "good.csv", TRANSITIONS, [transition("p2"), transition("p3")])
    write_bytes(landing, "patients", "export.xlsx.csv", b"PK\x03\x04\x00\x00binary\x00spreadsheet")
    write_bytes(landing, "patients", "utf16.csv", ("Id,BIRTHDATE\nx,1980-01-01\n").encode("utf-16"))
    write_csv(landing, "patients", "patients.csv", patients_header(),
              [patient("p-ok"), patient("p-bad1", BIRTHDATE=SECRET), patient("p-ok2"), patient("p-bad2", BIRTHDATE=SECRET)])
    write_bytes(landing, "patients", "README.txt", b"delivered by the export job\n")
    (landing / "patients" / "extra").mkdir()
    text = ",".join(IMMUNIZATIONS) + "\n" + "".join(f"2020-01-0{i}T00:00:00Z,p{i},e{i},140,Flu,136.00\n"
                                                   for i in range(1, 6))
    write_bytes(landing, "immunizations", "immunizations.csv.gz", gzip.compress(text.encode()))
    write_csv(landing, "providers", "providers.csv", ORGS, [org("pr1")])  # after payer_transitions, wrong header
    write_csv(landing, "payers", "payers.csv", ["Id", "NAME"], [["payer-1", "Payer"]])
    lakehouse = Lakehouse(spark, env)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = medallion_in_session(env, spark, "run", "bronze")
    return {"lakehouse": lakehouse, "landing": landing, "code": code, "console": err.getvalue()}


def count(lake: dict[str, Any], table: str) -> int:
    lakehouse = lake["lakehouse"]
    return int(lakehouse.sql(f"SELECT count(*) FROM {lakehouse.name(table)}").collect()[0][0])


def test_duplicate_header_is_quarantined_and_later_sources_ingest(lake: dict[str, Any]) -> None:
    landing = lake["landing"]
    assert lake["code"] == 1  # the run fails, after doing everything it could
    [moved] = list((landing / "payer_transitions" / "quarantine").glob("*/payer_transitions.csv"))
    reason = moved.with_name("payer_transitions.csv.reason.txt").read_text()
    assert "repeated in the header: patient" in reason and "deliver the file again" in reason
    assert count(lake, "payer_transitions_bronze") == 2  # the good file of the same source
    assert count(lake, "payers_bronze") == 1 and count(lake, "providers_bronze") == 1
    assert "quarantined to" in lake["console"] and "Traceback" not in lake["console"]


def test_binary_and_utf16_files_are_quarantined_with_their_rows_accounted(lake: dict[str, Any]) -> None:
    entries = {e.file_name: e for e in IngestLog(lake["lakehouse"]).entries() if e.status == QUARANTINED}
    assert set(entries) == {"payer_transitions.csv", "export.xlsx.csv", "utf16.csv"}
    assert entries["payer_transitions.csv"].data_rows == 1
    assert all(Path(e.archived_path or "").exists() for e in entries.values())
    listed = quarantined(lake["landing"], set(shipped_catalog().bronze))
    assert {(q.source, q.path.name) for q in listed} == {("payer_transitions", "payer_transitions.csv"),
                                                         ("patients", "export.xlsx.csv"), ("patients", "utf16.csv")}
    assert "NUL bytes" in next(q.reason for q in listed if q.path.name == "utf16.csv")


def test_status_lists_the_quarantined_files(lake: dict[str, Any], spark: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert medallion_in_session(lake["lakehouse"].env, spark, "status") == 0
    out = capsys.readouterr().out
    assert "quarantined files (3)" in out and "export.xlsx.csv" in out and "repeated in the header" in out


def test_compressed_csv_lands_every_row(lake: dict[str, Any]) -> None:
    assert count(lake, "immunizations_bronze") == 5
    [entry] = [e for e in IngestLog(lake["lakehouse"]).entries() if e.source == "immunizations"]
    assert entry.data_rows == entry.bronze_rows == 5


def test_files_that_are_not_csv_are_named_in_a_warning(lake: dict[str, Any]) -> None:
    console = lake["console"]
    assert "README.txt: file in a source folder that is not CSV" in console
    assert "extra: folder in a source folder that is not CSV" in console
    assert (lake["landing"] / "patients" / "README.txt").exists()


def test_rescued_values_are_reported_per_file_and_column_without_the_value(lake: dict[str, Any]) -> None:
    console = lake["console"]
    assert SECRET not in console
    # one line per file and column (printed when found, and again in the summary)
    [line] = {row for row in console.splitlines() if "patients.csv" in row and "BIRTHDATE" in row}
    assert "column BIRTHDATE: value is not a date (yyyy-MM-dd): 2 row(s), line(s) 3, 5" in line
    assert count(lake, "patients_bronze") == 4
