"""Identities declared in bronze specs, and the SQL of the current state (no Spark)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot

from framework.specs.bronze import GROUP, KEY, ROW
from framework.specs.catalog import SpecCatalog
from framework.specs.current import CurrentStatePlan, current_sources
from tests.helpers import problems_of, shipped_catalog


@pytest.fixture(scope="module")
def catalog() -> SpecCatalog:
    return shipped_catalog()


def test_identities_of_the_project_specs(catalog: SpecCatalog) -> None:
    lines = catalog.bronze["claims_transactions"].identity
    assert (lines.mode, lines.group, lines.order, lines.line, lines.ignore) == (
        GROUP, ("CLAIMID",), ("CHARGEID",), "line_number", ("ID", "CHARGEID"))
    assert catalog.bronze["medications"].identity.mode == GROUP
    patients = catalog.bronze["patients"].identity
    assert (patients.mode, patients.key) == (KEY, ("Id",))  # from `keys`
    assert catalog.bronze["observations"].identity.mode == ROW


def test_every_source_a_target_reads_keeps_a_current_state(catalog: SpecCatalog) -> None:
    assert current_sources(catalog) == sorted([
        "claims", "claims_transactions", "conditions", "encounters", "medications", "organizations", "patients",
        "payer_transitions", "payers", "procedures", "providers"])


@pytest.mark.parametrize("source", ["claims_transactions", "patients", "observations", "payer_transitions"])
def test_the_current_state_sql_parses(catalog: SpecCatalog, source: str) -> None:
    plan = CurrentStatePlan(catalog.bronze[source])
    rows = plan.rows("b", {c.name for c in catalog.bronze[source].columns}, ["r1", "r2"])
    for single in (True, False):
        for sql in (plan.build("t", rows, single), plan.merge("t", rows, single, whole=False),
                    plan.merge("t", rows, single, whole=True)):
            assert sqlglot.parse_one(sql, read="spark") is not None


def test_a_group_line_is_a_new_column_of_the_current_state(catalog: SpecCatalog) -> None:
    plan = CurrentStatePlan(catalog.bronze["claims_transactions"])
    assert plan.columns[-6:] == ("`line_number`", "_rescued_data", "_rescue_reason",
                                 "ingest_run_id", "ingest_timestamp", "source_file")
    assert plan.identity == ("`CLAIMID`", "`line_number`")
    assert "`ID`" not in plan.content and "`CHARGEID`" not in plan.content


def test_missing_optional_columns_are_read_as_null(catalog: SpecCatalog) -> None:
    plan = CurrentStatePlan(catalog.bronze["patients"])
    rows = plan.rows("b", {c.name for c in catalog.bronze["patients"].columns} - {"FIPS"}, None)
    assert "CAST(NULL AS STRING) AS `FIPS`" in rows and "WHERE" not in rows


def _problems(tables: Path, old: str, new: str) -> list[str]:
    path = tables / "bronze" / "claims_transactions.yml"
    path.write_text(path.read_text().replace(old, new))
    return [p.message for p in problems_of(tables, path)]


def test_an_identity_names_declared_columns(tables: Path) -> None:
    problems = _problems(tables, "group: [CLAIMID]", "group: [CLAIM_ID]")
    assert problems == ["identity group 'CLAIM_ID' is not a declared column"]


def test_an_identity_order_names_a_declared_column(tables: Path) -> None:
    assert any("identity order 'CHARGE DESC'" in p for p in _problems(tables, "order: [CHARGEID]",
                                                                        "order: [CHARGE DESC]"))


def test_the_line_column_is_a_new_name(tables: Path) -> None:
    assert any("identity line 'TYPE' is a declared column" in p for p in _problems(tables, "line: line_number",
                                                                                  "line: TYPE"))


def test_a_group_needs_a_line_column(tables: Path) -> None:
    assert _problems(tables, "  line: line_number\n", "")  # the JSON Schema's dependentRequired
