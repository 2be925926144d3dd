"""Spec loading and validation, without Spark."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from framework.specs.errors import SpecError
from framework.specs.loader import collect, load_catalog
from tests.helpers import PROJECT, copy_tables, problems_of, shipped_catalog


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    return copy_tables(tmp_path / "tables", "bronze")


def found_in(tables: Path) -> list[str]:
    return [str(p) for p in problems_of(tables)]


def test_the_shipped_bronze_specs_are_valid() -> None:
    catalog, problems = collect(PROJECT / "tables")
    assert problems == []
    assert len(catalog.bronze) == 18
    assert {s.table for s in catalog.bronze.values()} == {f"{s}_bronze" for s in catalog.bronze}


def test_every_spec_declares_every_type() -> None:
    for spec in shipped_catalog().bronze.values():
        assert all(c.type for c in spec.columns)
        zips = [c for c in spec.columns if c.name in ("ZIP", "FIPS")]
        assert all(c.type == "string" for c in zips), spec.source


def test_schema_error_names_file_line_and_suggests_the_key(tables: Path) -> None:
    path = tables / "bronze" / "devices.yml"
    text = path.read_text().replace("columns:", "colums:", 1)
    path.write_text(text)
    line = text.splitlines().index("colums:") + 1
    found = found_in(tables)
    assert any(f"devices.yml:{line}" in p and "did you mean 'columns'" in p for p in found), found


def test_unknown_type_is_reported_with_its_line(tables: Path) -> None:
    path = tables / "bronze" / "supplies.yml"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if "QUANTITY" in line)
    lines[index] = lines[index].replace("type: long", "type: integer")
    path.write_text("\n".join(lines) + "\n")
    found = found_in(tables)
    assert any(f"supplies.yml:{index + 1}" in p and "integer" in p for p in found), found


def test_reference_to_unknown_source_suggests_the_right_one(tables: Path) -> None:
    path = tables / "bronze" / "encounters.yml"
    path.write_text(path.read_text().replace("table: patients", "table: patiens", 1))
    found = found_in(tables)
    assert any("encounters.yml" in p and "'patiens'" in p and "did you mean 'patients'" in p for p in found), found


def test_reference_to_unknown_column_is_reported(tables: Path) -> None:
    path = tables / "bronze" / "encounters.yml"
    path.write_text(path.read_text().replace("to: Id", "to: ID", 1))
    found = found_in(tables)
    assert any("encounters.yml" in p and "patients.ID" in p and "did you mean 'Id'" in p for p in found), found


def test_duplicate_table_names_and_columns_are_reported(tables: Path) -> None:
    shutil.copy(tables / "bronze" / "payers.yml", tables / "bronze" / "payers_copy.yml")
    path = tables / "bronze" / "organizations.yml"
    path.write_text(path.read_text().replace("- {name: CITY,", "- {name: NAME,", 1))
    found = "\n".join(found_in(tables))
    assert "payers_copy.yml" in found and "also defined in" in found
    assert "column 'NAME' is declared more than once" in found


def test_unknown_kind_and_broken_yaml(tables: Path) -> None:
    (tables / "bronze" / "x.yml").write_text("kind: bronz\nsource: x\n")
    (tables / "bronze" / "y.yml").write_text("kind: bronze\n  source: [\n")
    found = "\n".join(found_in(tables))
    assert "x.yml:1: unknown kind 'bronz' (did you mean 'bronze'?)" in found
    assert "y.yml" in found and "not valid YAML" in found


def test_load_catalog_raises_with_every_problem(tables: Path) -> None:
    (tables / "bronze" / "x.yml").write_text("kind: bronze\n")
    with pytest.raises(SpecError) as error:
        load_catalog(tables)
    assert "x.yml" in str(error.value)
