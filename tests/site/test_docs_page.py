"""The docs site in a real browser, opened from disk: the lineage graph has every table and
edge, and clicking a table shows its columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from framework.config import load_environment
from framework.site.docs import write_docs
from framework.specs.lineage import lineage
from tests.helpers import shipped_catalog
from tests.site.conftest import screenshot

pytestmark = pytest.mark.browser


def test_docs_site_graph_and_table_pages(page: Any, tmp_path: Path) -> None:
    catalog = shipped_catalog()
    graph = lineage(catalog)
    index = write_docs(tmp_path / "docs", catalog, load_environment("local").table_name)
    page.goto(index.as_uri())
    page.wait_for_selector("#graph[data-ready=true]", timeout=30_000)
    nodes = set(page.eval_on_selector_all("#graph g.node", "nodes => nodes.map(n => n.id)"))
    tables = {n for n, node in graph.nodes.items() if node.layer != "reference"}
    assert len(tables) == 23
    assert {f"node-{n}" for n in graph.nodes} == nodes
    edges = set(page.eval_on_selector_all("#graph g.edge", "edges => edges.map(e => e.id)"))
    assert edges == {f"edge-{a}--{b}" for a, b in graph.edges}
    screenshot(page, "docs-lineage")

    page.click("#node-claims_silver")
    section = page.locator("#section-claims_silver")
    section.wait_for(state="visible")
    columns = section.locator("table.columns td:first-child").all_inner_texts()
    spec = catalog.by_kind["silver"]["claims_silver"]
    assert columns == [*spec.column_names, spec.load_timestamp]
    assert "SELECT" in section.locator("pre.sql").inner_text()
    assert page.locator("#section-patients_bronze").is_hidden()
    screenshot(page, "docs-claims_silver")
