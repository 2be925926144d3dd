"""What full rebuilds from bronze would write now, without writing the targets: the expected side
of the tests' comparisons (`Lake.check` in tests/engine/conftest.py, tests/cli/commands/test_compile.py).
Test support, not shipped in the wheel: no command of the product uses it."""

from __future__ import annotations

from pyspark.sql import DataFrame

from framework.engine.current import ingested_runs, state_query
from framework.engine.lakehouse import Lakehouse
from framework.engine.targets.control import Seen
from framework.engine.targets.load import resolve
from framework.engine.targets.sources import read_states, source_relations
from framework.specs.bronze import BronzeSpec
from framework.specs.catalog import SpecCatalog


def rebuilt_state(lakehouse: Lakehouse, spec: BronzeSpec, runs: list[str]) -> str:
    """Write the state computed from the whole history to a work table `_medallion_rebuilt_<source>`
    and return its name (compared with the kept state; written down, because Spark's optimizer
    chokes on the state query nested inside a target's plan)."""
    name = lakehouse.name(f"_medallion_rebuilt_{spec.source}")
    lakehouse.sql(f"CREATE OR REPLACE TABLE {name} USING DELTA AS {state_query(lakehouse, spec, runs)}")
    return name


class Rebuild:
    """The rows full rebuilds would write. Bronze sources' current state is computed from the whole
    bronze history here, so a comparison covers the current states' incremental upkeep too: once
    per source, however many of the targets asked for read it."""

    def __init__(self, lakehouse: Lakehouse, catalog: SpecCatalog) -> None:
        self.lakehouse, self.catalog = lakehouse, catalog
        self._states: dict[str, str] = {}  # bronze source -> the query of its rebuilt state

    def rows(self, table: str) -> DataFrame:
        """The rows a full rebuild of `table` would write."""
        target = resolve(self.catalog, table)
        new = [n for n in target.bronze if n not in self._states]
        runs = ingested_runs(self.lakehouse, new)
        for name in new:
            self._states[name] = f"SELECT * FROM {rebuilt_state(self.lakehouse, self.catalog.bronze[name], runs[name])}"
        rebuilt = {n: self._states[n] for n in target.bronze}
        states = read_states(self.lakehouse, target.sources, target.references, Seen(), rebuild=True)
        relations = source_relations(self.lakehouse, states, full=True, rebuilt=rebuilt)
        return self.lakehouse.sql(target.standalone(target.plan.recompute(relations)))
