"""The run report of a small pipeline run, in a real browser: the checks, the files, and a PMPM
chart with one point per month of the gold table; then a second run with nothing new, listed
beside it in the index (the page does not depend on whether a load was full or incremental, so
the test pays for no incremental load)."""

from __future__ import annotations

from typing import Any

import pytest

from framework.cli.context import Context
from framework.cli.record import reports_folder
from framework.config import Environment
from framework.engine.lakehouse import Lakehouse
from framework.site.runs import RECORDS, RunRecord
from tests.helpers import medallion_in_session
from tests.site.conftest import screenshot

pytestmark = pytest.mark.browser


def test_run_report_shows_checks_and_pmpm(env: Environment, spark: Any, page: Any) -> None:
    folder = reports_folder(Context(env=env))
    assert folder is not None
    # the Spark tier's lakehouse folder is shared by a worker's tests: their runs' records are there too
    before = set((folder / RECORDS).glob("*.json"))
    assert medallion_in_session(env, spark, "generate", "--patients", "30", "--seed", "5") == 0
    assert medallion_in_session(env, spark, "run") == 0
    assert medallion_in_session(env, spark, "run") == 0  # nothing new: every target up to date
    records = sorted(set((folder / RECORDS).glob("*.json")) - before)
    assert len(records) == 2
    first, rerun = (RunRecord.load(r) for r in records)
    assert first.checks and not rerun.checks  # checks run after a load that changed its table
    months = Lakehouse(spark, env).sql(
        f"SELECT count(DISTINCT year, month) FROM {env.table_name('member_monthly_snapshot_gold')}").collect()[0][0]

    page.goto((folder / f"run-{first.run_id}.html").as_uri())
    page.wait_for_function("window.pmpmChart !== undefined")
    assert page.get_attribute("#status", "data-status") == "ok"
    checks = page.locator("#checks tr.check")
    assert checks.count() == len(first.checks) > 0
    assert page.evaluate("window.pmpmChart.data.datasets[0].data.length") == months
    assert page.evaluate("window.pmpmChart.data.labels.length") == months
    assert "files ingested" in page.locator("#files").inner_text()
    stages = page.locator("#stages").inner_text()
    assert "claims_silver" in stages and "patients_bronze" in stages
    screenshot(page, "run-report")
    page.locator("#pmpm").scroll_into_view_if_needed()  # the last checks, the warnings and the gold charts
    screenshot(page, "run-report-gold")

    page.goto((folder / "index.html").as_uri())
    assert page.locator("#runs a").count() == len(before) + 2
