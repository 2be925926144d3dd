"""`medallion validate` on target specs: located problems with hints, no Spark involved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framework.specs.errors import Problem
from framework.specs.kinds import SCHEMAS
from framework.specs.targets.sources import target_specs
from tests.helpers import problems_of, shipped_catalog

GOOD = """\
kind: silver
table: immunizations_silver
driver: {source: immunizations, as: t, key: [PATIENT, ENCOUNTER, CODE, DATE]}
key: [immunization_id]
steps:
  - join: {as: p, source: patients, match: {Id: t.PATIENT}}
columns:
  - {name: immunization_id, hash: [t.PATIENT, t.ENCOUNTER, t.CODE, t.DATE]}
  - {name: patient_id, expr: t.PATIENT}
  - {name: patient_gender, expr: p.GENDER}
"""


def written(tables: Path, text: str, name: str = "immunizations_silver", layer: str = "silver") -> list[Problem]:
    """The problems of a spec file written into `tables` with `text`."""
    path = tables / layer / f"{name}.yml"
    path.write_text(text)
    return problems_of(tables, path)


def one(problems: list[Problem], fragment: str) -> Problem:
    found = [p for p in problems if fragment in p.message]
    assert found, f"no problem mentions {fragment!r}: {[str(p) for p in problems]}"
    return found[0]


def test_the_project_specs_are_valid() -> None:
    catalog = shipped_catalog()
    assert set(target_specs(catalog)) == {"claims_silver", "patient_encounters_silver", "medications_silver",
                                          "procedures_silver", "member_monthly_snapshot_gold"}


def test_a_new_target_written_in_yaml_validates(tables: Path) -> None:
    assert written(tables, GOOD) == []


def test_gold_schema_is_the_silver_schema_for_kind_gold() -> None:
    silver = json.loads((SCHEMAS / "silver.schema.json").read_text())
    gold = json.loads((SCHEMAS / "gold.schema.json").read_text())
    for key in ("title", "description"):
        silver.pop(key), gold.pop(key)
    assert gold["properties"].pop("kind")["const"] == "gold"
    assert silver["properties"].pop("kind")["const"] == "silver"
    assert gold["properties"].pop("table")["pattern"].endswith("_gold$")
    assert silver["properties"].pop("table")["pattern"].endswith("_silver$")
    assert gold == silver


def test_unknown_source_names_the_line_and_a_guess(tables: Path) -> None:
    problem = one(written(tables, GOOD.replace("source: patients", "source: patinets")), "unknown source")
    assert problem.line == 6 and problem.hint == "did you mean 'patients'?"


def test_unknown_column_of_an_alias(tables: Path) -> None:
    problem = one(written(tables, GOOD.replace("p.GENDER", "p.GENDRE")), "p has no column 'GENDRE'")
    assert problem.line == 10 and problem.hint == "did you mean 'GENDER'?"


def test_unknown_alias(tables: Path) -> None:
    problem = one(written(tables, GOOD.replace("p.GENDER", "q.GENDER")), "unknown alias 'q'")
    assert problem.line == 10


def test_expression_that_does_not_parse(tables: Path) -> None:
    problem = one(written(tables, GOOD.replace("expr: t.PATIENT}", "expr: t.PATIENT +}")), "does not parse")
    assert problem.line == 9


def test_unqualified_column_asks_for_its_alias(tables: Path) -> None:
    problem = one(written(tables, GOOD.replace("expr: p.GENDER", "expr: GENDER")), "needs the alias")
    assert problem.hint == "write p.GENDER"


def test_key_must_be_a_column_of_the_target(tables: Path) -> None:
    problem = one(written(tables, GOOD.replace("key: [immunization_id]", "key: [immunisation_id]")),
                  "is not a column")
    assert problem.line == 4 and problem.hint == "did you mean 'immunization_id'?"


def test_key_columns_come_from_the_driver_alone(tables: Path) -> None:
    text = GOOD.replace("key: [immunization_id]", "key: [patient_gender]")
    one(written(tables, text), "computed from the driver")


def test_join_on_a_column_that_is_not_the_key_needs_pick(tables: Path) -> None:
    text = GOOD.replace("match: {Id: t.PATIENT}", "match: {SSN: t.PATIENT}")
    problem = one(written(tables, text), "is keyed by (Id)")
    assert "pick" in (problem.hint or "")


def test_aggregating_a_bronze_source_without_key_is_allowed(tables: Path) -> None:
    # a source without identity key keeps each distinct row once in its current state, which is
    # what targets read: re-delivered rows are not counted again
    text = GOOD.replace("columns:", """  - aggregate:
      as: obs
      source: observations
      match: {PATIENT: t.PATIENT}
      measures: {n: count(*)}
columns:""")
    assert written(tables, text) == []


def test_subqueries_read_reference_data_only(tables: Path) -> None:
    text = GOOD.replace("expr: p.GENDER", "expr: \"t.CODE IN (SELECT CODE FROM conditions)\"")
    problem = one(written(tables, text), "reference data only")
    assert "join or aggregate" in (problem.hint or "")
    text = GOOD.replace("expr: p.GENDER", "expr: \"t.CODE IN (SELECT kode FROM chronic_conditions)\"")
    assert one(written(tables, text), "has no column 'kode'").hint == "did you mean 'code'?"


def test_scope_columns_are_plain_driver_columns(tables: Path) -> None:
    text = GOOD.replace("key: [immunization_id]", "key: [immunization_id]\nscope: [patient_gender]")
    one(written(tables, text), "computed from the driver")
    text = GOOD.replace("  - join:", "  - derive: {name: who, expr: upper(t.PATIENT)}\n  - join:").replace(
        "key: [immunization_id]", "key: [immunization_id]\nscope: [who_upper]").replace(
        "columns:\n", "columns:\n  - {name: who_upper, expr: t.who}\n")
    one(written(tables, text), "reads derived column")


def test_windows_must_stay_within_the_scope(tables: Path) -> None:
    text = GOOD.replace("key: [immunization_id]", "key: [immunization_id]\nscope: [patient_id]").replace(
        "  - join:", "  - derive: {name: n, expr: count(*) OVER (PARTITION BY t.CODE)}\n  - join:")
    one(written(tables, text), "must PARTITION BY the scope")


BOUNDED = GOOD.replace("key: [immunization_id]", "key: [immunization_id, day]").replace(
    "  - join:", "  - aggregate: {as: span, source: encounters, measures: {lo: min(span.START), hi: max(span.START)},\n"
                 "                 bounds: {column: day, lower: lo, upper: hi}}\n  - join:") + "  - {name: day, expr: t.DATE}\n"


def test_bounds_of_a_global_aggregate_on_a_keyed_column_validate(tables: Path) -> None:
    assert written(tables, BOUNDED) == []


@pytest.mark.parametrize(("change", "fragment", "hint"), [
    ((", measures: {lo:", ", match: {PATIENT: t.PATIENT}, measures: {lo:"), "only an aggregate without `match`", None),
    (("upper: hi", "upper: high"), "span has no measure 'high'", "did you mean 'hi'?"),
    (("column: day", "column: dya"), "has no column 'dya'", "did you mean 'day'?"),
    (("column: day", "column: patient_gender"), "column 'patient_gender' must be computed from what the key",
     None),
])
def test_bounds_name_measures_and_a_column_every_row_of_a_key_shares(
        tables: Path, change: tuple[str, str], fragment: str, hint: str | None) -> None:
    problem = one(written(tables, BOUNDED.replace(*change)), fragment)
    assert hint is None or problem.hint == hint
    assert problem.line is not None


def test_windows_must_partition_by_the_bounded_column_too(tables: Path) -> None:
    text = BOUNDED.replace("  - join:", "  - derive: {name: n, expr: count(*) OVER (PARTITION BY t.PATIENT)}\n"
                                        "  - join:").replace("key: [immunization_id, day]",
                                                             "key: [immunization_id, day]\nscope: [patient_id]")
    one(written(tables, text), "must PARTITION BY the scope (patient_id, day)")


def test_file_name_must_match_the_table(tables: Path) -> None:
    problem = one(written(tables, GOOD, name="vaccines_silver"), "differs from the file name")
    assert problem.hint == "rename the file to immunizations_silver.yml"


def test_dependency_cycles_are_found(tables: Path) -> None:
    a = GOOD.replace("source: immunizations, as: t, key: [PATIENT, ENCOUNTER, CODE, DATE]",
                     "source: b_silver, as: t").replace("immunizations_silver", "a_silver")
    b = GOOD.replace("source: immunizations, as: t, key: [PATIENT, ENCOUNTER, CODE, DATE]",
                     "source: a_silver, as: t").replace("immunizations_silver", "b_silver")
    (tables / "silver" / "b_silver.yml").write_text(b)
    problems = written(tables, a, name="a_silver")
    assert "a_silver -> b_silver -> a_silver" in one(problems, "dependency cycle").message


def test_silver_cannot_read_gold(tables: Path) -> None:
    text = GOOD.replace("source: patients", "source: member_monthly_snapshot_gold")
    one(written(tables, text), "cannot read 'member_monthly_snapshot_gold'")


def test_schema_problems_are_located(tables: Path) -> None:
    problem = one(written(tables, GOOD.replace("  - join:", "  - joint:")), "joint")
    assert problem.line == 6


@pytest.mark.parametrize("call", ["java_method('java.lang.System', 'getenv', 'HOME')",
                                  "reflect('java.lang.System', 'getenv', 'HOME')"])
def test_expressions_that_reach_the_jvm_are_refused_with_file_and_line(tables: Path, call: str) -> None:
    text = GOOD.replace("expr: p.GENDER}", f'expr: "{call}"}}')
    problem = one(written(tables, text), "is not allowed")
    assert problem.line == 10 and call.split("(")[0] in problem.message
    assert str(problem).startswith(f"{tables / 'silver' / 'immunizations_silver.yml'}:10: column patient_gender:")
