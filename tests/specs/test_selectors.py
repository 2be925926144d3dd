"""Selectors pick exactly a table's ancestors and/or descendants in the specs' lineage graph."""

from __future__ import annotations

import pytest

from framework.specs.errors import SpecError
from framework.specs.lineage import Lineage, lineage
from framework.specs.loader import load_catalog
from framework.specs.selectors import select
from tests.helpers import PROJECT

GRAPH = lineage(load_catalog(PROJECT / "tables"))


def _closure(graph: Lineage, start: str, forward: bool) -> set[str]:
    """Reachable nodes by repeated expansion over the edge list (independent of Lineage's walk)."""
    reached = {start}
    while True:
        grown = reached | {b if forward else a for a, b in graph.edges if (a if forward else b) in reached}
        if grown == reached:
            return reached - {start}
        reached = grown


def test_graph_has_every_table_and_what_targets_read() -> None:
    layers = [node.layer for node in GRAPH.nodes.values()]
    assert (layers.count("bronze"), layers.count("silver"), layers.count("gold")) == (18, 4, 1)
    assert "chronic_conditions" in GRAPH.nodes
    assert ("claims_transactions_bronze", "claims_silver") in GRAPH.edges
    assert ("patient_encounters_silver", "member_monthly_snapshot_gold") in GRAPH.edges
    assert ("chronic_conditions", "member_monthly_snapshot_gold") in GRAPH.edges


@pytest.mark.parametrize("name", sorted(GRAPH.nodes))
def test_operators_select_ancestors_and_descendants(name: str) -> None:
    up, down = _closure(GRAPH, name, forward=False), _closure(GRAPH, name, forward=True)
    assert set(select(GRAPH, [name])) == {name}
    assert set(select(GRAPH, [f"+{name}"])) == {name} | up
    assert set(select(GRAPH, [f"{name}+"])) == {name} | down
    assert set(select(GRAPH, [f"+{name}+"])) == {name} | up | down


def test_selection_is_in_build_order_and_unions_selectors() -> None:
    chosen = select(GRAPH, ["+member_monthly_snapshot_gold", "claims_silver,tag:reference"])
    assert chosen[-1] == "member_monthly_snapshot_gold"
    assert "claims_silver" in chosen and "chronic_conditions" in chosen
    for child, parents in GRAPH.parents.items():
        if child in chosen:
            assert all(chosen.index(p) < chosen.index(child) for p in parents if p in chosen)


def test_bronze_tables_answer_to_their_source_name() -> None:
    assert set(select(GRAPH, ["patients+"])) == {"patients_bronze"} | _closure(GRAPH, "patients_bronze", forward=True)


def test_tags_are_layers() -> None:
    assert select(GRAPH, ["tag:silver"]) == sorted(n for n, node in GRAPH.nodes.items() if node.layer == "silver")


@pytest.mark.parametrize(("selector", "hint"), [("claim_silver+", "did you mean 'claims_silver'?"),
                                                ("+member_monthly_snapshot", "did you mean 'member_monthly_snapshot_gold'?"),
                                                ("tag:silvr", "did you mean 'silver'?")])
def test_unknown_names_get_a_did_you_mean(selector: str, hint: str) -> None:
    with pytest.raises(SpecError, match=hint):
        select(GRAPH, [selector])
