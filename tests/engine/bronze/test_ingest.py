"""Bronze ingest on real Spark and Delta: typing, rescue, bad input, exactly once, archive."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from framework.engine.bronze.archive import archive
from framework.engine.bronze.ingest import ingest
from framework.engine.bronze.ingest_log import PENDING, IngestLog
from framework.engine.lakehouse import Lakehouse
from framework.engine.report import Report
from framework.engine.runs import new_run_id
from tests.helpers import make_env, shipped_catalog, write_bytes, write_csv

ORGS = ["Id", "NAME", "ADDRESS", "CITY", "STATE", "ZIP", "LAT", "LON", "PHONE", "REVENUE", "UTILIZATION"]


def patients_header() -> list[str]:
    """The current header of patients.csv."""
    return shipped_catalog().bronze["patients"].column_names[:28]


def patient(pid: str, **values: str) -> list[str]:
    row = {c: "" for c in patients_header()}
    row.update(Id=pid, BIRTHDATE="1980-02-03", FIRST="Nicolás801", LAST="D'Amore443", ZIP="02134", FIPS="00001",
               GENDER="F", STATE="Massachusetts", LAT="42.36", LON="-71.05", HEALTHCARE_EXPENSES="1234.56",
               HEALTHCARE_COVERAGE="12.00", INCOME="45000")
    row.update(values)
    return [row[c] for c in patients_header()]


def org(oid: str, name: str = "Clinic") -> list[str]:
    return [oid, name, "1 Main St", "Boston", "MA", "02134", "42.1", "-71.1", "555-1234", "1000.00", "10"]


def run(lakehouse: Lakehouse, sources: list[str] | None = None) -> tuple[Report, Any]:
    report = Report(quiet=True)
    result = ingest(lakehouse, shipped_catalog().bronze, new_run_id(), report, only=sources)
    return report, result


def rows(lakehouse: Lakehouse, table: str, where: str = "true") -> list[dict[str, Any]]:
    return [r.asDict() for r in lakehouse.sql(f"SELECT * FROM {lakehouse.name(table)} WHERE {where}").collect()]


def messages(report: Report) -> str:
    return "\n".join(str(f) for f in report.findings)


# --- bad input: one landing with every kind of fault, ingested once, asserted case by case ---

@pytest.fixture(scope="module")
def bad(spark: Any, tmp_path_factory: pytest.TempPathFactory, lakehouse_root: Path) -> dict[str, Any]:
    env = make_env(tmp_path_factory.mktemp("bad"), lakehouse_root)
    landing = env.landing_path
    cases = {
        "bad_date.csv": [patient("p-date", BIRTHDATE="1980-13-45")],
        "bad_number.csv": [patient("p-num", HEALTHCARE_EXPENSES="12.5x"), patient("p-digits", INCOME="1.234"),
                           patient("p-big", INCOME="12345678901234567890.00"),  # fits no DECIMAL(18,2)
                           patient("p-huge", HEALTHCARE_COVERAGE="1" + "0" * 30),  # nor DECIMAL(38,18)
                           # 19 and 21 places: DECIMAL(38,18) would round them
                           patient("p-places", HEALTHCARE_COVERAGE="0.0012345678901234567"),
                           patient("p-tiny", HEALTHCARE_EXPENSES="1.2345678901234567E-5")],
        # Synthea 3.0 writes patients' running totals as Java prints a double
        "synthea_3_0.csv": [patient("p-doubles", HEALTHCARE_EXPENSES="287578.7325",
                                    HEALTHCARE_COVERAGE="387.00749999999994"),
                            patient("p-exponent", HEALTHCARE_EXPENSES="1.0234567891234E7", HEALTHCARE_COVERAGE="0.0")],
        "truncated.csv": [patient("p-ok-before-trunc")],
    }
    for name, body in cases.items():
        write_csv(landing, "patients", name, patients_header(), body)
    with (landing / "patients" / "truncated.csv").open("a") as handle:
        handle.write("p-trunc,1980-01-01,,999")  # the last line, cut short, no newline
    write_csv(landing, "patients", "crlf.csv", patients_header(), [patient("p-crlf")], newline="\r\n")
    write_csv(landing, "patients", "bom.csv", patients_header(), [patient("p-bom")], bom=True)
    write_csv(landing, "patients", "missing_column.csv", [c for c in patients_header() if c != "GENDER"],
              [[v for c, v in zip(patients_header(), patient("p-missing"), strict=True) if c != "GENDER"]])
    write_csv(landing, "patients", "extra_column.csv", [*patients_header(), "LOYALTY_TIER"], [[*patient("p-extra"), "gold"]])
    header_bytes = ",".join(patients_header()).encode() + b"\n"
    write_bytes(landing, "patients", "invalid_utf8.csv",
                header_bytes + ",".join(patient("p-utf8", FIRST="Jos\udce9")).encode("utf-8", "surrogateescape") + b"\n")
    # the file ends inside a UTF-8 sequence, in a text column: no number check would catch it
    last_first = [c for c in patients_header() if c != "FIRST"] + ["FIRST"]
    values = dict(zip(patients_header(), patient("p-utf8-end", FIRST="Jos"), strict=True))
    write_bytes(landing, "patients", "invalid_utf8_end.csv",
                ",".join(last_first).encode() + b"\n" + ",".join(values[c] for c in last_first).encode() + b"\xc3")
    write_bytes(landing, "patients", "multiline.csv", header_bytes + multiline_rows())
    write_bytes(landing, "organizations", "empty.csv", b"")
    write_csv(landing, "organizations", "header_only.csv", ORGS, [])
    write_csv(landing, "organisations", "organizations.csv", ORGS, [org("o1")])  # misspelt folder
    lakehouse = Lakehouse(spark, env)
    report, result = run(lakehouse)
    return {"lakehouse": lakehouse, "report": report, "result": result, "landing": landing}


def multiline_rows() -> bytes:
    """Four RFC 4180 records on seven lines: a quoted line break, a quoted comma and doubled
    quotes; a bad date in the record after the line break (line 4); a number that is not one
    (line 5); a record of 4 fields, one with a line break (lines 6-7)."""
    def line(row: list[str], quoted: set[str]) -> str:
        return ",".join('"' + v.replace('"', '""') + '"' if c in quoted else v
                        for c, v in zip(patients_header(), row, strict=True))

    return ("\n".join([
        line(patient("p-multi", ADDRESS="12 Elm St\nApt 3", FIRST='Ann "Annie"'), {"ADDRESS", "FIRST"}),
        line(patient("p-multi-date", BIRTHDATE="1980-13-45", CITY="Boston, MA"), {"CITY", "BIRTHDATE"}),
        line(patient("p-multi-num", INCOME="12.5x"), {"INCOME"}),
        'p-multi-short,1980-02-03,,"a\nb"',
    ]) + "\n").encode()


def by_id(bad: dict[str, Any], pid: str) -> dict[str, Any]:
    found = rows(bad["lakehouse"], "patients_bronze", f"Id = '{pid}'")
    assert len(found) == 1, f"{pid}: {found}"
    return found[0]


def test_rows_in_equal_rows_in_bronze_for_every_file(bad: dict[str, Any]) -> None:
    log = IngestLog(bad["lakehouse"]).entries()
    for entry in log:
        assert entry.bronze_rows == entry.data_rows, entry
    assert sum(e.data_rows for e in log if e.source == "patients") == 21
    assert not [f for f in bad["report"].findings if " delivered but " in f.message]


def test_bad_date_is_rescued_with_reason(bad: dict[str, Any]) -> None:
    row = by_id(bad, "p-date")
    assert row["BIRTHDATE"] is None
    assert '"BIRTHDATE":"1980-13-45"' in row["_rescued_data"]
    assert "BIRTHDATE: '1980-13-45' is not a date" in row["_rescue_reason"]
    assert "bad_date.csv" in messages(bad["report"])


def test_bad_numbers_are_rescued_never_rounded(bad: dict[str, Any]) -> None:
    row = by_id(bad, "p-num")
    assert row["HEALTHCARE_EXPENSES"] is None
    assert "HEALTHCARE_EXPENSES: '12.5x' does not fit DECIMAL(38,18)" in row["_rescue_reason"]
    digits = by_id(bad, "p-digits")
    assert digits["INCOME"] is None and '"INCOME":"1.234"' in digits["_rescued_data"]
    big = by_id(bad, "p-big")  # overflow is refused, not an error of the whole file (ANSI casts raise)
    assert big["INCOME"] is None and '"INCOME":"12345678901234567890.00"' in big["_rescued_data"]
    huge = by_id(bad, "p-huge")
    assert huge["HEALTHCARE_COVERAGE"] is None and "HEALTHCARE_COVERAGE: '1000" in huge["_rescue_reason"]
    places = by_id(bad, "p-places")
    assert places["HEALTHCARE_COVERAGE"] is None and '"HEALTHCARE_COVERAGE":"0.0012345678901234567"' in places[
        "_rescued_data"]
    tiny = by_id(bad, "p-tiny")
    assert tiny["HEALTHCARE_EXPENSES"] is None
    assert "HEALTHCARE_EXPENSES: '1.2345678901234567E-5' does not fit DECIMAL(38,18) exactly" in tiny["_rescue_reason"]


def test_synthea_3_0_raw_doubles_land_exactly(bad: dict[str, Any]) -> None:
    doubles, exponent = by_id(bad, "p-doubles"), by_id(bad, "p-exponent")
    assert doubles["HEALTHCARE_EXPENSES"] == Decimal("287578.7325")
    assert doubles["HEALTHCARE_COVERAGE"] == Decimal("387.00749999999994")
    assert exponent["HEALTHCARE_EXPENSES"] == Decimal("10234567.891234")
    assert exponent["HEALTHCARE_COVERAGE"] == Decimal(0)
    assert doubles["_rescued_data"] is None and exponent["_rescued_data"] is None
    assert "synthea_3_0.csv" not in messages(bad["report"])  # no warning for these rows


def test_missing_required_column_lands_rows_and_names_file_and_column(bad: dict[str, Any]) -> None:
    row = by_id(bad, "p-missing")
    assert row["GENDER"] is None
    assert "GENDER is missing" in row["_rescue_reason"] or "GENDER" in row["_rescue_reason"]
    errors = [str(f) for f in bad["report"].of_level("error")]
    assert any("missing_column.csv" in e and "GENDER" in e for e in errors), errors


def test_unknown_extra_column_evolves_the_schema(bad: dict[str, Any]) -> None:
    row = by_id(bad, "p-extra")
    assert row["LOYALTY_TIER"] == "gold"
    assert row["_rescue_reason"] is None
    assert any("LOYALTY_TIER" in str(f) and "extra_column.csv" in str(f) for f in bad["report"].of_level("warning"))


def test_empty_and_header_only_files_are_logged_with_zero_rows(bad: dict[str, Any]) -> None:
    entries = {e.file_name: e for e in IngestLog(bad["lakehouse"]).entries()}
    assert entries["empty.csv"].bronze_rows == 0 and entries["header_only.csv"].bronze_rows == 0
    text = messages(bad["report"])
    assert "empty.csv: empty file" in text and "header_only.csv: header only" in text


def test_crlf_line_endings_leave_no_carriage_returns(bad: dict[str, Any]) -> None:
    row = by_id(bad, "p-crlf")
    assert row["INCOME"] == Decimal("45000.00") and row["_rescue_reason"] is None


def test_utf8_bom_is_ignored(bad: dict[str, Any]) -> None:
    row = by_id(bad, "p-bom")
    assert row["BIRTHDATE"] == date(1980, 2, 3) and row["_rescue_reason"] is None


def test_invalid_utf8_is_flagged_with_line_number(bad: dict[str, Any]) -> None:
    row = by_id(bad, "p-utf8")
    assert "invalid UTF-8" in row["_rescue_reason"]
    assert any("invalid_utf8.csv" in str(f) and "line(s) 2" in str(f) for f in bad["report"].of_level("warning"))
    row = by_id(bad, "p-utf8-end")  # the sequence the file ends inside
    assert "invalid UTF-8" in row["_rescue_reason"]
    assert any("invalid_utf8_end.csv" in str(f) and "line(s) 2" in str(f) for f in bad["report"].of_level("warning"))


def test_truncated_last_line_is_kept_whole(bad: dict[str, Any]) -> None:
    row = by_id(bad, "p-trunc")
    assert row["_rescued_data"] == '{"_line":"p-trunc,1980-01-01,,999"}'
    assert "line has 4 fields, the header has 28" in row["_rescue_reason"]
    assert by_id(bad, "p-ok-before-trunc")["_rescue_reason"] is None


def test_multiline_quoted_field_is_one_row_with_its_line_break(bad: dict[str, Any]) -> None:
    entry = next(e for e in IngestLog(bad["lakehouse"]).entries() if e.file_name == "multiline.csv")
    assert entry.data_rows == entry.bronze_rows == 4  # records, not the file's 6 data lines
    multi = by_id(bad, "p-multi")
    assert multi["ADDRESS"] == "12 Elm St\nApt 3" and multi["FIRST"] == 'Ann "Annie"'
    assert multi["_rescue_reason"] is None and multi["BIRTHDATE"] == date(1980, 2, 3)
    dated = by_id(bad, "p-multi-date")  # a quoted, bad date: rescued unquoted, its line named
    assert dated["CITY"] == "Boston, MA" and dated["BIRTHDATE"] is None
    assert '"BIRTHDATE":"1980-13-45"' in dated["_rescued_data"]
    assert "BIRTHDATE: '1980-13-45' is not a date" in dated["_rescue_reason"]
    numbered = by_id(bad, "p-multi-num")
    assert numbered["INCOME"] is None and '"INCOME":"12.5x"' in numbered["_rescued_data"]
    found = [str(f) for f in bad["report"].findings if "multiline.csv" in str(f)]
    assert any("BIRTHDATE" in f and "line(s) 4" in f for f in found), found
    assert any("INCOME" in f and "line(s) 5" in f for f in found), found
    assert any("line breaks kept" in f for f in found), found
    short = by_id(bad, "p-multi-short")  # cut only at the delimiters outside quotes
    assert json.loads(short["_rescued_data"]) == {"_line": 'p-multi-short,1980-02-03,,"a\nb"'}
    assert short["_rescue_reason"] == "line has 4 fields, the header has 28"
    assert any("another number of fields" in f and "line(s) 6" in f for f in found), found
    assert not [f for f in found if "1980-13-45" in f or "12.5x" in f]


def test_unknown_landing_folder_is_reported_and_left_alone(bad: dict[str, Any]) -> None:
    warning = [str(f) for f in bad["report"].of_level("warning") if "organisations" in str(f)]
    assert warning and "did you mean 'organizations'" in warning[0].lower()
    assert (bad["landing"] / "organisations" / "organizations.csv").exists()


def test_types_keep_leading_zeros_and_exact_decimals(bad: dict[str, Any]) -> None:
    row = by_id(bad, "p-crlf")
    assert row["ZIP"] == "02134" and row["FIPS"] == "00001"
    assert row["HEALTHCARE_EXPENSES"] == Decimal("1234.56")
    assert row["FIRST"] == "Nicolás801" and row["LAST"] == "D'Amore443"
    assert row["source_file"].endswith("/patients/crlf.csv")
    assert row["ingest_timestamp"] is not None and row["ingest_run_id"] == bad["result"].run_id


# --- exactly once ---

def test_redelivered_file_is_skipped_and_every_delivery_archived_apart(spark: Any, tmp_path: Path,
                                                                        lakehouse_root: Path) -> None:
    lakehouse = Lakehouse(spark, make_env(tmp_path, lakehouse_root))
    landing = lakehouse.env.landing_path
    write_csv(landing, "organizations", "organizations.csv", ORGS, [org("o1"), org("o2")])
    run(lakehouse, ["organizations"])
    archive(lakehouse, Report(quiet=True))
    write_csv(landing, "organizations", "organizations.csv", ORGS, [org("o1"), org("o2")])  # same again
    second, result = run(lakehouse, ["organizations"])
    assert result.sources["organizations"].duplicates == 1
    assert "same content as" in messages(second)
    archive(lakehouse, Report(quiet=True))
    write_csv(landing, "organizations", "organizations.csv", ORGS, [org("o1", "Renamed"), org("o2")])  # changed
    run(lakehouse, ["organizations"])
    archive(lakehouse, Report(quiet=True))
    assert len(rows(lakehouse, "organizations_bronze")) == 4
    archived = sorted((landing / "organizations" / "archive").glob("*/organizations.csv"))
    assert len(archived) == 3  # three deliveries of one name, none overwritten
    assert not list((landing / "organizations").glob("*.csv"))


def test_crash_between_ingest_and_archive_does_not_ingest_twice(spark: Any, tmp_path: Path,
                                                                 lakehouse_root: Path) -> None:
    lakehouse = Lakehouse(spark, make_env(tmp_path, lakehouse_root))
    landing = lakehouse.env.landing_path
    write_csv(landing, "organizations", "organizations.csv", ORGS, [org("o1")])
    run(lakehouse, ["organizations"])  # ... and the run dies before archive
    log = IngestLog(lakehouse)
    entries = log.entries()
    for entry in entries:  # ... or even before the log recorded the append
        entry.status, entry.bronze_rows = PENDING, None
    log.append(entries)
    report, _ = run(lakehouse, ["organizations"])
    assert "settled an interrupted run: 1 file(s) had landed" in messages(report)
    assert len(rows(lakehouse, "organizations_bronze")) == 1
    archive(lakehouse, Report(quiet=True))
    assert len(list((landing / "organizations" / "archive").glob("*/organizations.csv"))) == 1


def test_crash_before_the_append_ingests_on_rerun(spark: Any, tmp_path: Path, lakehouse_root: Path) -> None:
    lakehouse = Lakehouse(spark, make_env(tmp_path, lakehouse_root))
    landing = lakehouse.env.landing_path
    write_csv(landing, "organizations", "organizations.csv", ORGS, [org("o1"), org("o2")])
    lakehouse.ensure_schema()
    log = IngestLog(lakehouse)
    log.ensure()
    from framework.engine.bronze.ingest import _entry
    from framework.engine.bronze.landing import scan_file

    log.append([_entry("organizations", scan_file(landing / "organizations" / "organizations.csv"), new_run_id())])
    report, _ = run(lakehouse, ["organizations"])  # the pending row's run never appended
    assert "1 had not and are ingested again" in messages(report)
    assert len(rows(lakehouse, "organizations_bronze")) == 2
    assert [e.status for e in log.entries()] == ["ingested"]


def test_archive_moves_only_ingested_files(spark: Any, tmp_path: Path, lakehouse_root: Path) -> None:
    lakehouse = Lakehouse(spark, make_env(tmp_path, lakehouse_root))
    landing = lakehouse.env.landing_path
    write_csv(landing, "organizations", "a.csv", ORGS, [org("o1")])
    run(lakehouse, ["organizations"])
    late = write_csv(landing, "organizations", "b.csv", ORGS, [org("o2")])  # arrives after the ingest
    archive(lakehouse, Report(quiet=True))
    assert late.exists()
    assert [p.name for p in (landing / "organizations" / "archive").glob("*/*.csv")] == ["a.csv"]
