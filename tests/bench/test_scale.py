"""BENCHMARKS.md's tables from bench.scale's result files: the throughput and naive-baseline
columns, and result files older than them (empty cells, the other figures as before)."""

from __future__ import annotations

from typing import Any

from bench.scale import BARE, BRONZE, PYARROW, render

HEADER = "| patients |"


def _result(*, new: bool) -> dict[str, Any]:
    stages = [("generate delivery 1", 1.0, 1000), ("start Spark session", 2.0, None), (BARE, 4.0, 1000),
              (BRONZE, 5.0, 1000), ("first load: current states", 3.0, None), ("first load: claims_silver", 5.0, 400),
              ("incremental: claims_silver", 2.0, 410), ("full rebuild: claims_silver", 1.0, 410)]
    if new:
        stages[1:1] = [(PYARROW, 0.5, 1000)]
        stages.append(("naive first load: claims_silver", 4.0, 400))
    result: dict[str, Any] = {
        "patients": 100, "csv_mb": 20.0, "delivery_1_rows": 1000, "errors": [], "bronze_ratio": 1.25,
        "incremental_ratio": 2.0, "peak_mb": 900.0, "machine": {"load_average_at_start": [0.1, 0.2, 0.3]},
        "stages": [{"name": n, "seconds": s, "rows": r, "peak_mb": 500.0} for n, s, r in stages]}
    if new:
        result["naive_s"] = 4.0
    return result


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _summary(result: dict[str, Any]) -> dict[str, str]:
    lines = render([result]).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith(HEADER))
    names, values = _cells(lines[header]), _cells(lines[header + 2])
    assert len(names) == len(values)
    return dict(zip(names, values, strict=True))


def _stage_rows(result: dict[str, Any]) -> dict[str, dict[str, str]]:
    lines = render([result]).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| stage |"))
    names = _cells(lines[header])
    rows = [_cells(line) for line in lines[header + 2:] if line.startswith("|")]
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}


def test_summary_gives_throughput_and_the_naive_baseline() -> None:
    row = _summary(_result(new=True))
    assert (row["bare MB/s"], row["bronze MB/s"], row["pyarrow MB/s"]) == ("5.0", "4.0", "40.0")
    # the naive stages are not part of the first load: (3 + 5) / 4
    assert (row["first silver+gold s"], row["naive s"], row["first load / naive"]) == ("8.0", "4.0", "2.00")
    assert (row["incremental s"], row["rebuild s"], row["peak memory MB"]) == ("2.0", "1.0", "900")


def test_an_older_result_file_leaves_the_new_cells_empty() -> None:
    row = _summary(_result(new=False))
    assert (row["pyarrow MB/s"], row["naive s"], row["first load / naive"]) == ("", "", "")
    # what an older file has is still given: its bare and bronze seconds and the CSV MB
    assert (row["bare MB/s"], row["bronze MB/s"], row["first silver+gold s"]) == ("5.0", "4.0", "8.0")


def test_stage_table_gives_mb_per_second_of_the_stages_that_parse_the_csv() -> None:
    stages = _stage_rows(_result(new=True))
    assert {name: row["MB/s of CSV"] for name, row in stages.items() if row["MB/s of CSV"]} == {
        PYARROW: "40.0", BARE: "5.0", BRONZE: "4.0"}
    assert stages["naive first load: claims_silver"]["rows"] == "400"
    assert _stage_rows(_result(new=False))[BARE]["MB/s of CSV"] == "5.0"


def test_a_run_without_the_rebuild_leaves_its_cells_empty() -> None:
    """`--skip rebuild` (the 100,000-patient run): no rebuild stages and no incremental ratio."""
    result = _result(new=False)
    result["stages"] = [s for s in result["stages"] if not s["name"].startswith("full rebuild")]
    result["incremental_ratio"] = None
    row = _summary(result)
    assert (row["incremental s"], row["rebuild s"], row["incremental / rebuild"]) == ("2.0", "", "")
