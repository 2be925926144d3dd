"""Planning without Spark: expressions, hashes, change tracing, build order."""

from __future__ import annotations

from datetime import date

import pytest

from framework.specs.targets.bounds import MovedBounds
from framework.specs.targets.expressions import (
    ColumnRef,
    ExpressionError,
    column_refs,
    hash_sql,
    is_generator,
    split_order,
    table_refs,
    window_partitions,
)
from framework.specs.targets.graph import build_order, cycles, waves
from framework.specs.targets.plan import Relations, TargetPlan
from framework.specs.targets.resolve import build_sequence, build_waves
from framework.specs.targets.sources import resolve_source, target_specs
from tests.helpers import shipped_catalog


def plan(table: str) -> TargetPlan:
    spec = target_specs(shipped_catalog())[table]
    return TargetPlan(spec, {s: resolve_source(shipped_catalog(), s) for s in spec.sources})  # type: ignore[misc]


def relations(p: TargetPlan) -> Relations:
    names = p.spec.sources
    return Relations({s: f"cur_{s}" for s in names}, {s: f"prev_{s}" for s in names},
                     {s: f"chg_{s}" for s in names})


def test_column_refs_skip_what_subqueries_bind() -> None:
    refs = column_refs("t.CODE IN (SELECT code FROM chronic_conditions) AND upper(p.NAME) = t.b")
    assert set(refs) == {ColumnRef("t", "CODE"), ColumnRef("p", "NAME"), ColumnRef("t", "b")}
    assert table_refs("t.CODE IN (SELECT code FROM chronic_conditions)") == {"chronic_conditions"}


def test_expressions_that_do_not_parse_raise() -> None:
    for text in ["t.a +", "foo(", "", "SELECT 1"]:
        with pytest.raises(ExpressionError):
            column_refs(text)


def test_order_items_and_generators_and_windows() -> None:
    assert split_order("cov.start DESC NULLS LAST") == ("cov.start", True, "LAST")
    assert split_order("cov.PAYER") == ("cov.PAYER", False, None)
    assert is_generator("explode(sequence(a, b))") and not is_generator("size(sequence(a, b))")
    assert window_partitions("min(t.x) OVER (PARTITION BY t.A, t.B)") == [{"t.a", "t.b"}]


def test_hash_separates_parts_and_tells_null_from_empty() -> None:
    sql = hash_sql(["a", "b"])
    assert sql.startswith("sha2(concat_ws(chr(31), ") and sql.endswith(", 256)")
    assert "IS NULL THEN '0' ELSE concat('1'" in sql


GOLD_MONTHS = MovedBounds("month_start_date", (date(2020, 1, 1), date(2024, 4, 1)), (date(2020, 1, 1), date(2024, 5, 1)))


def test_moved_bounds_keep_the_scoped_rows_and_those_between_the_bounds_once_the_month_is_known() -> None:
    p = plan("member_monthly_snapshot_gold")
    sql = p.recompute(relations(p), "scope_table", [GOLD_MONTHS])
    assert "LEFT SEMI JOIN scope_table" not in sql  # any member may have a row in a new month
    kept = sql.index("LEFT JOIN (SELECT DISTINCT `patient_id`, TRUE AS __hit FROM scope_table) __s "
                     "ON (cov.PATIENT) <=> __s.`patient_id` WHERE __s.__hit IS NOT NULL OR (")
    # right after the month is derived, before the month's encounters, drugs and conditions
    assert sql.index("AS `month_start`) AS cov") < kept < sql.index("FROM cur_medications_silver")
    assert ("(coalesce((cov.month_start) BETWEEN DATE '2020-01-01' AND DATE '2024-05-01', FALSE) <> "
            "coalesce((cov.month_start) BETWEEN DATE '2020-01-01' AND DATE '2024-04-01', FALSE))") in sql
    merge = p.merge("gold", "rows", None, [GOLD_MONTHS])
    assert ("FROM gold __o WHERE (coalesce((__o.`month_start_date`) BETWEEN DATE '2020-01-01' AND "
            "DATE '2024-05-01', FALSE) <>") in merge
    assert "__hit" not in merge  # no scope table: the months alone
    assert GOLD_MONTHS.describe() == "month_start_date 2020-01-01..2024-04-01 -> 2020-01-01..2024-05-01"


def test_silver_rows_read_only_the_relations_given() -> None:
    p = plan("claims_silver")
    sql = p.recompute(relations(p))
    for source in p.spec.sources:
        assert f"cur_{source}" in sql
    assert "prev_" not in sql and "chg_" not in sql and "__s" not in sql
    scoped = p.recompute(relations(p), scope="scope_table")
    assert "LEFT SEMI JOIN scope_table __s" in scoped


def test_a_dimension_change_is_traced_back_through_joins() -> None:
    p = plan("claims_silver")
    sql = p.changes.scope_query(relations(p), ["organizations"])
    assert sql is not None
    # organizations -> the encounters at them -> the claim lines of those encounters
    assert "cur_encounters e LEFT SEMI JOIN" in sql and "(e.ORGANIZATION) <=>" in sql
    assert "FROM cur_claims_transactions t\nLEFT JOIN" in sql and "(t.APPOINTMENTID) <=> __h0.__v0" in sql
    # only the columns the target reads are compared
    assert "struct(TRUE AS __present, o.`CITY`, o.`NAME`, o.`STATE`)" in sql


def test_changes_of_several_dimensions_read_the_driver_once() -> None:
    p = plan("claims_silver")
    sql = p.changes.scope_query(relations(p), ["claims", "encounters", "organizations", "patients", "providers"])
    assert sql is not None
    assert sql.count("FROM cur_claims_transactions t") == 1
    for n, column in enumerate(["CLAIMID", "APPOINTMENTID", "APPOINTMENTID", "PATIENTID", "PROVIDERID"]):
        assert f"(t.{column}) <=> __h{n}.__v0" in sql


def test_gold_traces_patients_and_facts_to_the_patient_scope() -> None:
    p = plan("member_monthly_snapshot_gold")
    assert p.spec.scope_columns == ("patient_id",)
    for source in ["patients", "payers", "medications_silver", "conditions", "payer_transitions"]:
        assert not p.changes.always_everything(source), source
        sql = p.changes.scope_query(relations(p), [source])
        assert sql is not None and "AS `patient_id`" in sql
    # the months of data come from a global aggregate: checked at run time
    assert [a.alias for a in p.changes.global_aggregates("patient_encounters_silver")] == ["span"]


def test_reference_data_changes_recompute_everything() -> None:
    spec = target_specs(shipped_catalog())["member_monthly_snapshot_gold"]
    names = [*spec.sources, "chronic_conditions"]
    p = TargetPlan(spec, {s: resolve_source(shipped_catalog(), s) for s in names})  # type: ignore[misc]
    assert p.changes.always_everything("chronic_conditions")
    assert p.changes.scope_query(relations(p), ["chronic_conditions"]) is None


def test_merge_deletes_rows_of_recomputed_scopes_only() -> None:
    p = plan("member_monthly_snapshot_gold")  # scope: a patient's months
    sql = p.merge("db.member_monthly_snapshot_gold", "rows_view", "scope_table")
    assert "LEFT SEMI JOIN scope_table __s ON __o.`patient_id` <=> __s.`patient_id`" in sql
    assert "WHEN MATCHED AND __s.__delete THEN DELETE" in sql
    assert "WHEN NOT MATCHED AND NOT __s.__delete THEN INSERT" in sql
    everything = p.merge("db.member_monthly_snapshot_gold", "rows_view", None)
    assert "scope_table" not in everything


def test_build_order_and_cycles() -> None:
    graph = {"gold": ["enc", "rx"], "enc": [], "rx": ["enc"]}
    assert build_order(graph) == ["enc", "rx", "gold"]
    assert cycles(graph) == []
    assert cycles({"a": ["b"], "b": ["a"], "c": ["a"]}) == [["a", "b"]]


def test_waves_hold_targets_that_read_none_of_each_other() -> None:
    graph = {"gold": ["enc", "rx"], "enc": [], "rx": ["enc"], "px": [], "report": ["gold"]}
    assert waves(graph, build_order(graph)) == [["enc", "px"], ["rx"], ["gold"], ["report"]]
    assert waves(graph, ["rx", "gold"]) == [["rx"], ["gold"]]  # what the sequence leaves out waits for nothing
    assert waves({}, []) == []


def test_the_shipped_silver_targets_load_at_once_and_gold_after_them() -> None:
    catalog = shipped_catalog()
    silver = build_sequence(catalog, "silver")
    assert build_waves(build_sequence(catalog), catalog) == [silver, ["member_monthly_snapshot_gold"]]
    assert build_waves(build_sequence(catalog, "gold"), catalog) == [["member_monthly_snapshot_gold"]]
