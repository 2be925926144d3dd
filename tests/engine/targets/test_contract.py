"""The incremental contract, on two delivery sequences over the hand-written deliveries:
after every load, each silver and gold table equals a full rebuild from bronze (all columns but
the load timestamp), no key repeats, and loads are idempotent, crash-safe and gap-safe.

Sequence A ingests each delivery (the bronze engine) and loads after it: D1 | D2 (claims_silver
dies between its MERGE and its control update, then everything loads) | a rerun of everything |
D3 (a run id older than D2's). Sequence B replays the same bronze runs grouped as D1 | D2 + D3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from framework.engine.lakehouse import Lakehouse
from framework.engine.targets.control import UP_TO_DATE
from framework.engine.targets.errors import LoadInterrupted
from framework.engine.targets.load import LoadResult
from tests.engine.conftest import Lake
from tests.engine.targets.deliveries import d1, d2, d3_old_export

TARGETS = ["claims_silver", "patient_encounters_silver", "medications_silver", "procedures_silver",
           "member_monthly_snapshot_gold"]


@dataclass
class History:
    """What sequence A saw along the way, for the tests below to assert on."""

    lake: Lake
    after_d1: dict[str, Any] = field(default_factory=dict)
    interrupted: LoadInterrupted | None = None
    claims_after_crash: int = 0
    rerun_modes: list[str] = field(default_factory=list)
    versions_before_rerun: dict[str, int] = field(default_factory=dict)
    versions_after_rerun: dict[str, int] = field(default_factory=dict)
    d2_statements: list[str] = field(default_factory=list)
    d2_results: dict[str, LoadResult] = field(default_factory=dict)


@contextmanager
def recording(lakehouse: Lakehouse) -> Iterator[list[str]]:
    """The text of every statement the lakehouse runs inside."""
    texts: list[str] = []

    def recorded(run: Callable[[str], Any]) -> Callable[[str], Any]:
        def statement(text: str) -> Any:
            texts.append(text)
            return run(text)
        return statement

    lakehouse.sql = recorded(lakehouse.sql)  # type: ignore[method-assign, assignment]
    lakehouse.rows = recorded(lakehouse.rows)  # type: ignore[method-assign, assignment]
    try:
        yield texts
    finally:
        del lakehouse.sql, lakehouse.rows


@pytest.fixture(scope="module")
def history(new_lake: Callable[..., Lake], run_ids: dict[str, str]) -> History:
    lake = new_lake()
    seen = History(lake)
    lake.deliver(d1(), "d1", run_ids["d1"])
    lake.load()
    seen.after_d1 = {
        "encounters": lake.rows("patient_encounters_silver", order="encounter_id"),
        "medications": lake.rows("medications_silver", "patient_id = 'p1'", order="prescription_stop_date NULLS LAST"),
        "c1_runs": [r["ingest_run_id"] for r in lake.rows("claims_silver", "claim_id = 'c1'")],
        "p2_months": lake.rows("member_monthly_snapshot_gold", "patient_id = 'p2'", order="month_start_date"),
    }

    lake.deliver(d2(), "d2", run_ids["d2"])
    with pytest.raises(LoadInterrupted) as crash:
        lake.load(["claims_silver"], interrupt_after="merge")
    seen.interrupted = crash.value
    seen.claims_after_crash = lake.scalar("SELECT count(*) FROM claims_silver")
    with recording(lake.lakehouse) as seen.d2_statements:
        seen.d2_results = {r.table: r for r in lake.load()}
    lake.check()

    seen.versions_before_rerun = {t: lake.version(t) for t in TARGETS}
    seen.rerun_modes = [r.mode for r in lake.load()]
    seen.versions_after_rerun = {t: lake.version(t) for t in TARGETS}

    lake.deliver(d3_old_export(), "d3", run_ids["d3"])
    lake.load()
    lake.check()
    return seen


def test_sequence_a_equals_a_full_rebuild_after_every_load(history: History) -> None:
    # the checks ran inside the fixture after each load (Lake.check: every table equals a full
    # rebuild, no key repeats); here: the current state of coverage applied every run, the late
    # one included
    runs = {r[0] for r in history.lake.lakehouse.sql(
        f"SELECT DISTINCT run_id FROM {history.lake.lakehouse.name('medallion_control')} "
        "WHERE target = 'payer_transitions_current' AND source = 'payer_transitions'").collect()}
    assert len(runs) == 3


def test_sequence_b_loading_two_deliveries_at_once_gives_the_same_tables(
        new_lake: Callable[..., Lake], run_ids: dict[str, str], history: History) -> None:
    lake = new_lake()  # the same bronze runs as sequence A, loaded in other groups: D1 | D2 + D3
    lake.copy_bronze(history.lake, [run_ids["d1"]])
    lake.load()
    lake.copy_bronze(history.lake, [run_ids["d2"], run_ids["d3"]])
    lake.load()
    lake.check()
    for table in TARGETS:  # and the same rows as sequence A, whose loads were grouped differently
        columns = [c for c in lake.lakehouse.table(table).columns if c != "silver_load_timestamp"]
        a = history.lake.lakehouse.table(table).select(*columns)
        b = lake.lakehouse.table(table).select(*columns)
        assert a.exceptAll(b).count() == 0 and b.exceptAll(a).count() == 0, table


def test_incremental_loads_whose_change_feeds_read_fine_probe_none(history: History) -> None:
    """The feeds are read by the loads' own statements; a feed is probed only when one of them
    failed (test_a_change_feed_that_cannot_be_read_recomputes_every_scope)."""
    merges = [s for s in history.d2_statements if s.startswith("MERGE INTO")]
    assert len(merges) >= len(TARGETS)  # the targets and the current states they read, merged
    assert not [s for s in history.d2_statements if "__probe" in s]


def test_gold_recomputes_the_months_a_delivery_adds_for_every_member_not_every_scope(history: History) -> None:
    """D2's encounter in 2024-03 extends the months of data (gold's `span`, which declares
    bounds): the load recomputes 2023-09 to 2024-03 for every member, and the members D2 touched
    whole; p2, untouched, keeps its earlier months as they were written."""
    gold = history.d2_results["member_monthly_snapshot_gold"]
    assert not gold.every_scope
    assert gold.moved == ["month_start_date 2023-01-01..2023-08-01 -> 2023-01-01..2024-03-01"]
    before = history.after_d1["p2_months"]
    assert [r["month_start_date"] for r in before][-1] == date(2023, 8, 1)
    now = history.lake.rows("member_monthly_snapshot_gold", "patient_id = 'p2'", order="month_start_date")
    assert now[:len(before)] == before  # the load timestamp included: not rewritten
    assert [r["month_start_date"] for r in now[len(before):]] == [date(2023, m, 1) for m in range(9, 13)] + [
        date(2024, 1, 1), date(2024, 2, 1)]  # died 2024-02-10


def test_a_rerun_is_a_no_op(history: History) -> None:
    assert history.rerun_modes == [UP_TO_DATE] * len(TARGETS)
    assert history.versions_after_rerun == history.versions_before_rerun


def test_a_load_that_died_after_its_merge_converges_when_run_again(history: History) -> None:
    assert history.interrupted is not None and history.interrupted.checkpoint == "merge"
    # the MERGE had committed (D2's lines were in) but the runs were not recorded as processed;
    # the next load recomputed them, and the fixture's checks found the table equal to a rebuild
    assert history.claims_after_crash == 7
    lake = history.lake
    assert lake.scalar("SELECT count(*) FROM claims_silver") == 7


def test_claims_silver_has_one_row_per_claim_line(history: History) -> None:
    lake = history.lake
    # c1's two lines came again in D2 under new IDs: still two lines, each once
    assert lake.scalar("SELECT count(*) FROM claims_silver") == 7 == lake.scalar(
        "SELECT count(DISTINCT claim_id, line_number) FROM claims_silver")
    assert lake.scalar("SELECT count(DISTINCT ID) FROM claims_transactions_bronze") == 9
    c1 = lake.rows("claims_silver", "claim_id = 'c1'", order="line_number")
    assert [(r["line_number"], r["transaction_type"]) for r in c1] == [(1, "CHARGE"), (2, "PAYMENT")]
    # re-sent unchanged: the line keeps the ID and run of the delivery that first brought it
    assert [r["source_transaction_id"] for r in c1] == ["t1", "t2"]
    assert {r["ingest_run_id"] for r in c1} == set(history.after_d1["c1_runs"])
    assert c1[0]["claim_amount"] == Decimal("150.00") and c1[1]["payment_amount"] == Decimal("120.00")
    no_end = lake.rows("claims_silver", "source_transaction_id = 't3'")[0]
    assert no_end["service_end_date"] is None and no_end["service_date_key"] == date(2023, 3, 5)


def test_a_patient_who_moved_shows_the_new_address_on_old_facts(history: History) -> None:
    lake = history.lake
    assert history.after_d1["encounters"][0]["patient_city"] == "Boston"
    for table, column in [("claims_silver", "patient_id"), ("patient_encounters_silver", "patient_id"),
                          ("medications_silver", "patient_id"), ("procedures_silver", "patient_id")]:
        zips = {r["patient_zip"] for r in lake.rows(table, f"{column} = 'p1'")}
        assert zips == {"02139"}, table
    assert {r["patient_city"] for r in lake.rows("member_monthly_snapshot_gold", "patient_id = 'p1'")} == {"Cambridge"}


def test_facts_that_arrived_before_their_patient_get_it_when_it_arrives(history: History) -> None:
    before = next(r for r in history.after_d1["encounters"] if r["encounter_id"] == "e4")
    assert before["patient_gender"] is None and before["patient_id"] == "p3"
    after = history.lake.rows("patient_encounters_silver", "encounter_id = 'e4'")[0]
    assert after["patient_gender"] == "F" and after["patient_city"] == "Salem"
    assert after["patient_age_at_encounter"] == 22  # born 2000-12-31: not 23 before the birthday


def test_prescriptions_sharing_patient_encounter_code_and_start_stay_apart(history: History) -> None:
    before = history.after_d1["medications"]
    after = history.lake.rows("medications_silver", "patient_id = 'p1'", order="prescription_stop_date NULLS LAST")
    assert len(before) == len(after) == 2
    assert {r["medication_id"] for r in before} == {r["medication_id"] for r in after}
    one_day, ongoing = before
    assert ongoing["prescription_stop_date"] is None and ongoing["days_supply"] is None
    stopped = next(r for r in after if r["medication_id"] == ongoing["medication_id"])
    # the ongoing prescription came back with its STOP: same prescription, same id, new values
    assert stopped["prescription_stop_date"] == datetime(2023, 12, 10, 9, 0)
    assert (stopped["dispenses"], stopped["total_cost"], stopped["days_supply"]) == (11, Decimal("110.00"), 334)
    assert stopped["patient_copay"] == Decimal("22.00")
    assert next(r for r in after if r["medication_id"] == one_day["medication_id"])["dispenses"] == 1
    # exact duplicate rows collapse
    assert len(history.lake.rows("medications_silver", "patient_id = 'p2'")) == 1


def test_encounters_primary_diagnosis_costs_and_corrections(history: History) -> None:
    lake = history.lake
    e1 = lake.rows("patient_encounters_silver", "encounter_id = 'e1'")[0]
    assert (e1["primary_diagnosis_code"], e1["encounter_duration_minutes"]) == ("44054006", 30)  # tie on START: code
    assert e1["patient_responsibility"] == Decimal("30.00") and e1["encounter_count"] == 1
    assert e1["patient_age_at_encounter"] == 42
    e2 = lake.rows("patient_encounters_silver", "encounter_id = 'e2'")[0]
    assert e2["total_claim_cost"] == Decimal("950.00")  # corrected in D2
    assert {r["total_claim_cost"] for r in lake.rows("claims_silver", "claim_id = 'c2'")} == {Decimal("950.00")}
    assert lake.rows("patient_encounters_silver", "encounter_id = 'e4'")[0]["primary_diagnosis_code"] is None


def test_older_exports_load_optional_columns_as_null(history: History) -> None:
    lake = history.lake
    old = lake.rows("procedures_silver", "procedure_code = '71651007'")
    assert len(old) == 1 and old[0]["code_system"] is None
    assert {r["code_system"] for r in lake.rows("procedures_silver", "procedure_code <> '71651007'")} == {"SNOMED-CT"}


def test_every_member_month_is_there_with_zero_metrics_when_unused(history: History) -> None:
    lake = history.lake
    months = {}
    for row in lake.rows("member_monthly_snapshot_gold", order="patient_id, month_start_date"):
        months.setdefault(row["patient_id"], []).append(row)
    # data runs from 2023-01 to 2024-03 (15 months)
    assert len(months["p1"]) == 15
    assert [r["month_start_date"] for r in months["p2"]][-1] == date(2024, 2, 1)  # died 2024-02-10
    assert len(months["p2"]) == 14
    assert months["p3"][0]["month_start_date"] == date(2023, 7, 1)  # NO_INSURANCE before July
    assert len(months["p3"]) == 9
    assert len(months["p4"]) == 6  # covered from 2023-10 (a Synthea 3.0 START_YEAR file)
    assert months["p4"][0]["patient_city"] == "Lynn"
    quiet = next(r for r in months["p1"] if r["month_start_date"] == date(2023, 2, 1))
    assert (quiet["total_encounters"], quiet["total_cost"], quiet["member_months"]) == (0, Decimal("0.00"), 1)
    assert quiet["chronic_condition_count"] == 2 and quiet["risk_tier"] == "Low"
    march = next(r for r in months["p1"] if r["month_start_date"] == date(2023, 3, 1))
    assert (march["er_visits"], march["chronic_condition_count"], march["risk_tier"]) == (1, 3, "Medium")
    assert march["total_medical_cost"] == Decimal("950.00")
    january = months["p1"][0]
    assert january["total_pharmacy_cost"] == Decimal("120.00") and january["total_medications"] == 2
    assert january["total_cost"] == Decimal("270.00") and january["patient_age"] == 42
    admitted = next(r for r in months["p2"] if r["month_start_date"] == date(2023, 2, 1))
    assert (admitted["inpatient_admits"], admitted["risk_tier"]) == (1, "High")
    assert len({r["member_month_id"] for rows in months.values() for r in rows}) == sum(map(len, months.values()))


def test_a_change_feed_that_cannot_be_read_recomputes_every_scope(
        new_lake: Callable[..., Lake], run_ids: dict[str, str], history: History) -> None:
    """A current state whose feed was off between two loads (or vacuumed): the target cannot
    tell what changed, so it recomputes every scope, and still equals a full rebuild."""
    lake = new_lake()
    lake.copy_bronze(history.lake, [run_ids["d1"]])
    lake.load(["claims_silver"])
    patients = lake.lakehouse.name("patients_current")
    lake.lakehouse.sql(f"ALTER TABLE {patients} SET TBLPROPERTIES (delta.enableChangeDataFeed = false)")
    lake.copy_bronze(history.lake, [run_ids["d2"]])
    [result] = lake.load(["claims_silver"])
    assert result.every_scope and "patients" in result.changed
    lake.check(["claims_silver"])
