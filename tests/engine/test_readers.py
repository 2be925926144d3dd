"""Which folders a reading command names as tables (no Spark)."""

from __future__ import annotations

from pathlib import Path

from framework.engine.readers import schema_folders


def _table(folder: Path, committed: bool = True) -> None:
    log = folder / "_delta_log"
    log.mkdir(parents=True)
    if committed:
        (log / "00000000000000000000.json").write_text("{}\n")


def test_every_committed_delta_table_of_every_schema_folder(tmp_path: Path) -> None:
    _table(tmp_path / "synthea" / "claims_silver")
    _table(tmp_path / "synthea" / "patients_bronze")
    _table(tmp_path / "synthea" / "being_created", committed=False)  # a run's first commit not written yet
    (tmp_path / "synthea" / "not_a_table").mkdir()
    _table(tmp_path / "_warehouse" / "scratch")  # Spark's default schema
    _table(tmp_path / "_catalog" / "metastore_db")  # folders of the lakehouse's own are no schema
    (tmp_path / "empty_schema").mkdir()
    found = {f.schema: [t.name for t in f.tables] for f in schema_folders(tmp_path)}
    assert found == {"default": ["scratch"], "synthea": ["claims_silver", "patients_bronze"]}


def test_a_lakehouse_without_tables_names_none(tmp_path: Path) -> None:
    assert schema_folders(tmp_path / "missing") == []
