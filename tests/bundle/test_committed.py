"""The committed databricks.yml is what `medallion bundle` renders, and the official bundle
schema accepts it."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from framework.bundle import BUNDLE_FILE
from tests.helpers import PROJECT

# Beside the project, never copied into it (see ../shared/databricks/README.md).
SCHEMA = PROJECT.parent / "shared" / "databricks" / "bundle-schema.json"


def test_committed_bundle_is_what_medallion_bundle_renders(rendered: str) -> None:
    committed = PROJECT / BUNDLE_FILE
    assert committed.exists(), f"{BUNDLE_FILE} is missing: run `medallion bundle` and commit it"
    assert committed.read_text() == rendered, (
        f"{BUNDLE_FILE} differs from the specs in tables/: run `medallion bundle` and commit the result")


#: Python's `re` has no \p{L} / \p{N}. Inside a class they cannot become [^\W\d_] (a class
#: does not nest), so the one class form the schema uses is rewritten whole, first.
REWRITES = ((r"[\p{L}\p{N}]", r"[^\W_]"), (r"\p{L}", r"[^\W\d_]"), (r"\p{N}", r"\d"))


def _rewrite(pattern: str) -> str:
    for unicode_class, python_class in REWRITES:
        pattern = pattern.replace(unicode_class, python_class)
    if "\\p{" in pattern:
        raise AssertionError(f"the bundle schema has a pattern this test cannot rewrite: {pattern}")
    return pattern


def _python_patterns(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (_rewrite(v) if k == "pattern" and isinstance(v, str) else _python_patterns(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_python_patterns(v) for v in node]
    return node


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    if not SCHEMA.exists():
        pytest.skip(f"the official bundle schema is not beside the project ({SCHEMA} is absent)")
    schema = _python_patterns(json.loads(SCHEMA.read_text()))
    return jsonschema.Draft202012Validator(schema)


def test_the_pattern_rewrite_keeps_meaning() -> None:
    pattern = re.compile("^" + _rewrite(r"\$\{(var(\.\p{L}+([-_]*[\p{L}\p{N}]+)*(\[[0-9]+\])*)+)\}") + "$")
    for name in ("catalog_name", "é2", "a-b2", "x[0]"):
        assert pattern.match(f"${{var.{name}}}"), name
    for name in ("_x", "1x", "x_", "x y"):
        assert not pattern.match(f"${{var.{name}}}"), name


def test_bundle_matches_the_official_schema(validator: jsonschema.Draft202012Validator, bundle: dict[str, Any]) -> None:
    error = jsonschema.exceptions.best_match(validator.iter_errors(bundle))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        pytest.fail(f"{BUNDLE_FILE}: {where}: {error.message}")


def test_the_schema_check_catches_a_wrong_field(validator: jsonschema.Draft202012Validator,
                                                bundle: dict[str, Any]) -> None:
    job = bundle["resources"]["jobs"]["daily_bronze_ingestion_incr"]
    broken = {**bundle, "resources": {"jobs": {"j": {**job, "shedule": job["schedule"]}}}}
    error = jsonschema.exceptions.best_match(validator.iter_errors(broken))
    assert error is not None and "shedule" in error.message
