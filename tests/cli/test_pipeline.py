"""What `medallion run` prints at the default verbosity: a line for each long step (each bronze
source as its ingest starts, each current state, each target and each table's checks as they
finish, the report's path), and nothing else but the run's findings."""

from __future__ import annotations

import re
from typing import Any

import pytest

from framework.cli.context import Context
from framework.cli.pipeline import LAYERS, run_layers
from framework.config import Environment
from framework.engine.settled import settled_by
from framework.specs.current import current_sources
from framework.specs.loader import load_catalog
from framework.specs.targets.sources import target_specs
from tests.helpers import medallion_in_session


def test_a_run_prints_a_line_per_long_step(env: Environment, spark: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert medallion_in_session(env, spark, "generate", "--patients", "10", "--seed", "3") == 0
    capsys.readouterr()
    landed = sorted(f.name for f in env.landing_path.iterdir() if any(f.glob("*.csv")))  # archived by the run
    assert medallion_in_session(env, spark, "run", "--profile") == 0
    printed = capsys.readouterr()
    lines = printed.err.splitlines()
    catalog = load_catalog(env.tables_path)

    def named(pattern: str) -> list[str]:
        return [m.group(1) for m in map(re.compile(pattern).match, lines) if m]

    # a line per source and per state, as each starts (bronze) or ends (current): two at a time
    assert sorted(named(r"bronze \[\d+/\d+\] (\w+): ")) == landed
    assert sorted(named(r"bronze \[(\d+/\d+)\] ")) == sorted(f"{i}/{len(landed)}" for i in range(1, len(landed) + 1))
    bronze = [catalog.bronze[s].current_table for s in current_sources(catalog)]
    assert sorted(named(r"current: (\w+): ")) == sorted(bronze)
    targets = target_specs(catalog)
    for layer in ("silver", "gold"):
        assert sorted(named(rf"{layer}: (\w+): ")) == sorted(t for t, s in targets.items() if s.layer == layer)
    assert sorted(named(r"checks: (\w+): \d+/\d+ passed")) == sorted(catalog.by_kind["checks"])
    assert len(named(r"report: (file:\S+)")) == 1
    # the rest: the step summaries and the run's findings (the console stays quiet otherwise)
    known = re.compile(r"(bronze|current|silver|gold|checks|report|archive|summary|starting local Spark)"
                       r"|(INFO|WARNING|ERROR): |    -> ")
    assert [line for line in lines if not known.match(line)] == []
    _check_profile(printed.out, catalog)

    # nothing new since: the next run answers from the files alone, before Spark starts
    context = Context(env=env)  # no session given: one would start only if the run needed Spark
    assert run_layers(context, list(LAYERS), None) == 0
    assert "spark" not in context.__dict__
    said = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("report: ")]
    assert len(said) == 1 and re.fullmatch(r"nothing new since run \S+: landing holds no file and no table changed "
                                           r"since it ended; every table is up to date", said[0]), said
    # a table written since (here by `medallion sql`): the next run is a normal one
    update = f"UPDATE {catalog.bronze['payers'].table} SET ingest_run_id = ingest_run_id"
    assert medallion_in_session(env, spark, "sql", update) == 0
    assert settled_by(env, set(catalog.bronze)) is None


def _check_profile(out: str, catalog: Any) -> None:
    """`--profile` printed each stage, then each table it wrote, with rows and the statements run."""
    lines = out.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("stage ")))
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[header + 1:]]
    stages = {r[0]: int(r[-2]) for r in rows if r[1] == "(all)"}
    assert list(stages) == ["bronze", "archive", "current", "silver", "gold"]
    tables = {r[0]: (int(r[2].replace(",", "")), int(r[3])) for r in rows if r[1] != "(all)" and len(r) == 5}
    targets = target_specs(catalog)
    for table in [*targets, *(catalog.bronze[s].current_table for s in current_sources(catalog))]:
        written, statements = tables[table]
        assert written > 0 and statements > 0, (table, tables[table])
    checks = [int(r[-2]) for r in rows if r[0] == "checks"]
    assert len(checks) == 2 and all(checks), rows  # the reconciliation checks after each layer's loads
    for stage in ("silver", "gold"):  # a stage's statements include its tables'
        assert stages[stage] >= sum(tables[t][1] for t, s in targets.items() if s.layer == stage)
