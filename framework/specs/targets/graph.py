"""Dependencies between targets: build order and cycles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Each dependency cycle once, as the list of its nodes (node -> what it reads)."""
    found: list[list[str]] = []
    seen_cycles: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                if frozenset(cycle) not in seen_cycles:
                    seen_cycles.add(frozenset(cycle))
                    found.append(list(cycle))
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def build_order(graph: Mapping[str, Sequence[str]]) -> list[str]:
    """Nodes ordered so that each comes after what it reads (ties: by name); cycles are broken
    arbitrarily (validation reports them)."""
    order: list[str] = []
    done: set[str] = set()

    def visit(node: str, path: frozenset[str]) -> None:
        if node in done or node in path:
            return
        for nxt in sorted(graph.get(node, ())):
            if nxt in graph:
                visit(nxt, path | {node})
        done.add(node)
        order.append(node)

    for node in sorted(graph):
        visit(node, frozenset())
    return order


def waves(graph: Mapping[str, Sequence[str]], order: Sequence[str]) -> list[list[str]]:
    """`order` (a build order) in waves: each node comes in the wave after the last wave holding
    something it reads, so the nodes of one wave read none of each other and can be built at once."""
    wave: dict[str, int] = {}
    for node in order:
        wave[node] = 1 + max((wave[n] for n in graph.get(node, ()) if n in wave), default=-1)
    grouped: list[list[str]] = [[] for _ in range(1 + max(wave.values(), default=-1))]
    for node in order:
        grouped[wave[node]].append(node)
    return grouped
