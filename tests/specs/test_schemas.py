"""Editor completion: every YAML file names the JSON Schema it follows (the yaml-language-server
line), the path resolves from a checkout, the file validates against it, and every property
of every schema says what it is for (the hover text)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from framework.specs.kinds import KINDS, SCHEMAS
from tests.helpers import PROJECT

LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
FILES = sorted([*(PROJECT / "tables").rglob("*.yml"), *(PROJECT / "configs").glob("*.yml")])


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_every_yaml_file_names_its_schema_and_validates(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = LINE.match(first)
    assert match, f"{path}: the first line must be '# yaml-language-server: $schema=<relative path>'"
    schema_path = (path.parent / match.group(1)).resolve()
    assert schema_path.is_file(), f"{path}: {match.group(1)} does not resolve"
    assert schema_path.parent == SCHEMAS.resolve(), "the schema shipped in the package"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if path.parent.name != "configs":
        assert schema_path.name == KINDS[doc["kind"]].schema_file, f"{path}: kind {doc['kind']} has another schema"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]
    assert not errors, f"{path}: {errors}"


def _undescribed(node: Any, path: str) -> list[str]:
    found = []
    if isinstance(node, dict):
        found += [f"{path}/properties/{k}" for k, v in node.get("properties", {}).items()
                  if isinstance(v, dict) and not v.get("description")]
        for key, value in node.items():
            found += _undescribed(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _undescribed(value, f"{path}/{index}")
    return found


@pytest.mark.parametrize("schema", sorted(SCHEMAS.glob("*.json")), ids=lambda p: p.name)
def test_every_property_has_a_description(schema: Path) -> None:
    assert _undescribed(json.loads(schema.read_text(encoding="utf-8")), "") == []
