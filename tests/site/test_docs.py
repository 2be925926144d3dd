"""The docs site's table sections from the specs alone (no browser, no Spark)."""

from __future__ import annotations

from pathlib import Path

from framework.config import load_environment
from framework.site.docs import table_docs, write_docs
from framework.specs.lineage import lineage
from framework.specs.loader import load_catalog
from tests.helpers import tagged_tables


def test_a_tables_own_tags_are_shown(tmp_path: Path) -> None:
    catalog = load_catalog(tagged_tables(tmp_path, {"silver/claims_silver.yml": ["finance", "pmpm"]}))
    name = load_environment("local").table_name
    docs = {d.name: d for d in table_docs(catalog, lineage(catalog), name, {}, {})}
    assert docs["claims_silver"].tags == ["finance", "pmpm"]
    assert all(not d.tags for table, d in docs.items() if table != "claims_silver")
    page = write_docs(tmp_path / "site", catalog, name).read_text()
    start = page.index('id="section-claims_silver"')
    section = page[start:page.index('id="section-', start + 1)]
    assert "<code>tag:finance</code>, <code>tag:pmpm</code>" in section
