"""Reconciliation check specs: parsed and cross-checked without Spark."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import problems_of, shipped_catalog


def test_every_target_has_checks_and_they_are_valid() -> None:
    catalog = shipped_catalog()
    checks = catalog.by_kind["checks"]
    assert set(checks) == set(catalog.by_kind["silver"]) | set(catalog.by_kind["gold"])
    kinds = {c.kind for s in checks.values() for c in s.checks}
    assert kinds == {"unique", "not_null", "non_negative", "references", "conservation"}


def test_unknown_columns_and_sources_are_located_with_hints(tables: Path) -> None:
    path = tables / "silver" / "claims_silver.checks.yml"
    text = path.read_text().replace("unique: claim_transaction_id", "unique: claim_transaction_idd")
    text = text.replace("source: claims, to: Id", "source: claimz, to: Id")
    path.write_text(text)
    problems = [str(p) for p in problems_of(tables)]
    lines = text.splitlines()
    unique_line = next(i for i, line in enumerate(lines, 1) if "claim_transaction_idd" in line)
    assert any(f"claims_silver.checks.yml:{unique_line}" in p and "did you mean 'claim_transaction_id'" in p
               for p in problems), problems
    assert any("unknown source 'claimz'" in p and "did you mean 'claims'" in p for p in problems), problems


def test_a_check_set_for_a_missing_target_and_a_bad_kind(tables: Path) -> None:
    (tables / "silver" / "x.checks.yml").write_text(
        "kind: checks\ntable: claim_silver\nchecks:\n  - uniq: a\n")
    problems = "\n".join(str(p) for p in problems_of(tables))
    assert "x.checks.yml" in problems and "uniq" in problems
    (tables / "silver" / "x.checks.yml").write_text("kind: checks\ntable: claim_silver\nchecks:\n  - unique: a\n")
    problems = "\n".join(str(p) for p in problems_of(tables))
    assert "no target table 'claim_silver'" in problems and "did you mean 'claims_silver'" in problems


def test_an_expected_failure_is_declared_on_warn_checks_only(tables: Path) -> None:
    catalog = shipped_catalog()
    late = [c for c in catalog.by_kind["checks"]["claims_silver"].checks if c.expected]
    assert [(c.kind, c.column, c.severity) for c in late] == [("references", "patient_id", "warn")]
    assert "late-arriving" in (late[0].expected or "")
    (tables / "silver" / "x.checks.yml").write_text(
        "kind: checks\ntable: claims_silver\nchecks:\n  - unique: claim_id\n    expected: some claims repeat\n")
    problems = "\n".join(str(p) for p in problems_of(tables))
    assert "x.checks.yml" in problems and "severity" in problems, problems
