"""`medallion run --profile`: parts nest, and a statement counts for every part open around it."""

from __future__ import annotations

import re

from framework.engine.profile import Profile, part


def test_a_statement_counts_for_its_table_and_its_stage() -> None:
    profile = Profile()
    with profile.part("silver"):
        with profile.part("silver", "claims_silver") as claims:
            profile.statement(2.0)
            profile.statement(1.0)
            claims.rows = 1234
        profile.statement(0.5)  # between tables: the stage's own
    stage, table = profile.parts
    assert (stage.statements, stage.statement_seconds) == (3, 3.5)
    assert (table.statements, table.statement_seconds, table.rows) == (2, 3.0, 1234)
    assert stage.seconds >= table.seconds
    profile.statement(9.0)  # no part open: counted nowhere
    assert stage.statements == 3


def test_the_table_lists_each_part_in_order() -> None:
    profile = Profile()
    with profile.part("bronze"), profile.part("bronze", "patients_bronze") as patients:
        patients.rows = 1000
        profile.statement(0.5)
    lines = profile.render().splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["stage", "table", "seconds", "rows", "statements", "in statements s"]
    assert re.split(r"\s{2,}", lines[1])[:2] == ["bronze", "(all)"]
    assert re.split(r"\s{2,}", lines[2].strip())[0] == "patients_bronze"
    assert re.split(r"\s{2,}", lines[2].strip())[2:] == ["1,000", "1", "0.5"]


def test_an_unprofiled_run_keeps_no_parts() -> None:
    with part(None, "gold", "member_monthly_snapshot_gold") as opened:
        opened.rows = 5
    assert opened.table == "member_monthly_snapshot_gold"
