"""Run reports render from their records alone: a failed run says where and why; the index lists
every run (no Spark: records written by hand)."""

from __future__ import annotations

from pathlib import Path

from framework.site.runs import CheckRun, RunRecord, TableRun, page_name, write_reports


def test_failed_run_says_where_and_why_and_the_index_lists_every_run(tmp_path: Path) -> None:
    ok = RunRecord("20250101T000000000000Z-aaaaaa", "medallion run", stages={"bronze": 1.0},
                   tables=[TableRun("bronze", "patients_bronze", rows_in=5, rows_out=5, files=1, rescued=1)],
                   checks=[CheckRun("claims_silver", "claim lines unique", "error", 0, [])])
    write_reports(tmp_path, ok)
    failed = RunRecord("20250102T000000000000Z-bbbbbb", "medallion run", stages={"silver": 2.0},
                       failure={"stage": "silver", "message": "boom"},
                       checks=[CheckRun("claims_silver", "patients resolve", "warn", 2, ["k1", "k2"])],
                       findings=[{"level": "error", "where": "claims_silver", "message": "load failed: boom",
                                  "action": "fix the cause"}])
    page = write_reports(tmp_path, failed).read_text()
    assert 'data-status="failed"' in page and "stage <strong>silver</strong>: boom" in page
    assert "load failed: boom" in page and "k1, k2" in page and "warning" in page
    index = (tmp_path / "index.html").read_text()
    assert page_name(ok.run_id) in index and page_name(failed.run_id) in index
    assert 'data-status="ok"' in (tmp_path / page_name(ok.run_id)).read_text()
    assert (tmp_path / "assets" / "chart.umd.min.js").is_file()
