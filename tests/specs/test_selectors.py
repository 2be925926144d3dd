"""Selectors pick exactly a table's ancestors and/or descendants in the specs' lineage graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.specs.errors import SpecError
from framework.specs.lineage import Lineage, lineage
from framework.specs.loader import load_catalog
from framework.specs.selectors import select
from tests.helpers import shipped_catalog, tagged_tables


@pytest.fixture
def graph() -> Lineage:
    return lineage(shipped_catalog())


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`name`: every table of the shipped graph, named when the tests are collected."""
    if "name" in metafunc.fixturenames:
        metafunc.parametrize("name", sorted(lineage(shipped_catalog()).nodes))


def _closure(graph: Lineage, start: str, forward: bool) -> set[str]:
    """Reachable nodes by repeated expansion over the edge list (independent of Lineage's walk)."""
    reached = {start}
    while True:
        grown = reached | {b if forward else a for a, b in graph.edges if (a if forward else b) in reached}
        if grown == reached:
            return reached - {start}
        reached = grown


def test_graph_has_every_table_and_what_targets_read(graph: Lineage) -> None:
    layers = [node.layer for node in graph.nodes.values()]
    assert (layers.count("bronze"), layers.count("silver"), layers.count("gold")) == (18, 4, 1)
    assert "chronic_conditions" in graph.nodes
    assert ("claims_transactions_bronze", "claims_silver") in graph.edges
    assert ("patient_encounters_silver", "member_monthly_snapshot_gold") in graph.edges
    assert ("chronic_conditions", "member_monthly_snapshot_gold") in graph.edges


def test_operators_select_ancestors_and_descendants(graph: Lineage, name: str) -> None:
    up, down = _closure(graph, name, forward=False), _closure(graph, name, forward=True)
    assert set(select(graph, [name])) == {name}
    assert set(select(graph, [f"+{name}"])) == {name} | up
    assert set(select(graph, [f"{name}+"])) == {name} | down
    assert set(select(graph, [f"+{name}+"])) == {name} | up | down


def test_selection_is_in_build_order_and_unions_selectors(graph: Lineage) -> None:
    chosen = select(graph, ["+member_monthly_snapshot_gold", "claims_silver,tag:reference"])
    assert chosen[-1] == "member_monthly_snapshot_gold"
    assert "claims_silver" in chosen and "chronic_conditions" in chosen
    for child, parents in graph.parents.items():
        if child in chosen:
            assert all(chosen.index(p) < chosen.index(child) for p in parents if p in chosen)


def test_bronze_tables_answer_to_their_source_name(graph: Lineage) -> None:
    assert set(select(graph, ["patients+"])) == {"patients_bronze"} | _closure(graph, "patients_bronze", forward=True)


def test_tags_are_layers(graph: Lineage) -> None:
    assert select(graph, ["tag:silver"]) == sorted(n for n, node in graph.nodes.items() if node.layer == "silver")


def test_a_specs_tags_select_it(tmp_path: Path) -> None:
    tables = tagged_tables(tmp_path, {"bronze/claims.yml": ["finance"], "silver/claims_silver.yml": ["finance"],
                                      "gold/member_monthly_snapshot_gold.yml": ["finance", "pmpm"]})
    graph = lineage(load_catalog(tables))
    assert select(graph, ["tag:finance"]) == ["claims_bronze", "claims_silver", "member_monthly_snapshot_gold"]
    assert select(graph, ["tag:pmpm", "tag:gold"]) == ["member_monthly_snapshot_gold"]
    with pytest.raises(SpecError, match=r"did you mean 'finance'\?"):
        select(graph, ["tag:finanse"])


@pytest.mark.parametrize(("selector", "hint"), [("claim_silver+", "did you mean 'claims_silver'?"),
                                                ("+member_monthly_snapshot", "did you mean 'member_monthly_snapshot_gold'?"),
                                                ("tag:silvr", "did you mean 'silver'?")])
def test_unknown_names_get_a_did_you_mean(graph: Lineage, selector: str, hint: str) -> None:
    with pytest.raises(SpecError, match=hint):
        select(graph, [selector])
