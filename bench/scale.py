"""The whole pipeline at several sizes: per-stage wall time, rows per second and peak memory;
bronze against a bare Spark copy of the same files and pyarrow's parse of them to Parquet (the
physical limit); the first silver and gold load against a naive one (bench/naive.py); an
incremental delivery against a full rebuild.

    .venv/bin/python -m bench.scale --patients 100 1000 10000
    .venv/bin/python -m bench.scale --patients 1000 --re-export --series 6

``--re-export`` adds a full re-export (every file whole again, as real Synthea delivers, with
about 1% of rows added) loaded incrementally and rebuilt; ``--series N`` adds N deliveries into
a fresh schema, each loaded incrementally and then rebuilt, printed as a table. ``--skip`` leaves
out reference stages a very large size cannot afford (pyarrow holds each whole file in memory;
the naive load and the full rebuild each take as long as the first load):

    .venv/bin/python -m bench.scale --patients 100000 --skip pyarrow naive rebuild

Each size runs in its own process (its own Spark session, so the peak memory is that size's).
Results go to bench/results/scale-<patients>.json; the tables in BENCHMARKS.md between the
`bench.scale` markers are regenerated from every result file present.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.arrow import csv_to_parquet, ready
from bench.bronze import bare_copy
from bench.common import MemorySampler, environment, machine
from bench.naive import bronze_queries, build_naive, drop_naive
from framework.config import project_root
from framework.engine.bronze.archive import archive
from framework.engine.bronze.ingest import ingest
from framework.engine.current import refresh_current
from framework.engine.lakehouse import Lakehouse
from framework.engine.parallel import each
from framework.engine.reconcile import run_checks
from framework.engine.report import Report
from framework.engine.runs import new_run_id
from framework.engine.session import local_session
from framework.engine.targets.load import LoadResult, build_sequence, build_waves, load_target
from framework.engine.targets.sources import Versions
from framework.generate import GenerateReport, generate
from framework.specs.current import current_sources
from framework.specs.loader import load_catalog

RESULTS = Path("bench/results")
MARKDOWN = Path("BENCHMARKS.md")
BEGIN, END = "<!-- bench.scale:begin -->", "<!-- bench.scale:end -->"
BARE, BRONZE = "bare Spark copy, delivery 1", "bronze ingest, delivery 1"
PYARROW = "pyarrow CSV to Parquet, delivery 1"
PARSES = (BARE, BRONZE, PYARROW)  # the stages that parse delivery 1's CSV files: their MB/s is of `csv_mb`
FIRST_LOAD, NAIVE = "first load", "naive first load"
RE_EXPORT = "re-export"
CURRENT_STATES = "current states"
# The re-export follows deliveries 1 and 2 (2020-01-01 to 2025-03-31) and goes on into delivery
# 3's window for 1% of that history: about 1% of the rows are new.
_HISTORY = (date(2020, 1, 1), date(2025, 4, 1))
RE_EXPORT_END = _HISTORY[1] + timedelta(days=round(0.01 * (_HISTORY[1] - _HISTORY[0]).days))
FACTS = ("allergies", "careplans", "claims", "claims_transactions", "conditions", "devices", "encounters",
         "imaging_studies", "immunizations", "medications", "observations", "procedures", "supplies")


@dataclass
class Stage:
    name: str
    seconds: float
    rows: int | None
    peak_mb: float


class Stages:
    """Runs named stages, recording wall time, the rows they produced and peak memory."""

    def __init__(self) -> None:
        self.sampler = MemorySampler()
        self.done: list[Stage] = []

    def run(self, name: str, action: Callable[[], Any], rows: Callable[[Any], int | None] = lambda _: None) -> Any:
        self.sampler.reset()
        start = time.perf_counter()
        outcome = action()
        seconds = time.perf_counter() - start
        self.done.append(Stage(name, seconds, rows(outcome), self.sampler.peak() / 2**20))
        print(f"  {name:<56} {seconds:8.1f} s", flush=True)
        return outcome

    def seconds(self, prefix: str) -> float:
        return sum(s.seconds for s in self.done if s.name.startswith(prefix))


#: the reference stages `--skip` can leave out
SKIPPABLE = ("pyarrow", "naive", "rebuild")


def one_size(patients: int, re_export: bool = False, series: int = 0,
             skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    load_at_start = os.getloadavg()
    root = Path(tempfile.mkdtemp(prefix=f"bench-scale-{patients}-"))
    landing, lake = root / "landing", root / "lakehouse"
    catalog = load_catalog(project_root() / "tables")
    quiet = Report(quiet=True)
    stages = Stages()
    try:
        first = stages.run("generate delivery 1", lambda: generate(
            landing, patients=patients, seed=42, deliveries=2, delivery=1), lambda r: sum(f.rows for f in r.files))
        size_mb = sum(p.stat().st_size for p in landing.rglob("*.csv")) / 1e6
        if "pyarrow" not in skip:  # timed before Spark starts: no JVM beside it
            # in a child process: pyarrow's pool and Python's heap keep much of what a parse
            # allocated (118 MB at 1,000 patients, about 0.5 GB at 10,000), which would count in
            # the peak memory of every later stage of this process
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as parser:
                parser.submit(ready).result()
                stages.run(PYARROW, lambda: parser.submit(csv_to_parquet, landing, catalog.bronze,
                                                          root / "parquet").result(), lambda n: n)
            shutil.rmtree(root / "parquet")
        spark = stages.run("start Spark session", lambda: local_session(lake))
        _warm_up(spark, root, catalog)
        rows = sum(f.rows for f in first.files)
        bare = Lakehouse(spark, environment(root, lake, landing))
        stages.run(BARE, lambda: bare_copy(spark, bare, catalog.bronze), lambda _: rows)
        lakehouse = Lakehouse(spark, environment(root, lake, landing))
        stages.run(BRONZE, lambda: ingest(lakehouse, catalog.bronze, new_run_id(), quiet), lambda r: r.rows)
        stages.run("archive, delivery 1", lambda: archive(lakehouse, quiet))
        _targets(stages, lakehouse, catalog, quiet, FIRST_LOAD, full=False)
        naive_s = None if "naive" in skip else _naive(stages, lakehouse, catalog)
        stages.run("checks (all targets)", lambda: run_checks(lakehouse, catalog, quiet))
        second = stages.run("generate delivery 2", lambda: generate(
            landing, patients=patients, seed=42, deliveries=2, delivery=2), lambda r: sum(f.rows for f in r.files))
        stages.run("bronze ingest, delivery 2", lambda: ingest(lakehouse, catalog.bronze, new_run_id(), quiet),
                   lambda r: r.rows)
        stages.run("archive, delivery 2", lambda: archive(lakehouse, quiet))
        _targets(stages, lakehouse, catalog, quiet, "incremental", full=False)
        if "rebuild" not in skip:
            _targets(stages, lakehouse, catalog, quiet, "full rebuild", full=True)
        extra: dict[str, Any] = {}
        if re_export:
            extra["re_export"] = _re_export(stages, lakehouse, catalog, quiet, landing, patients,
                                            delivered_facts=_fact_rows(first) + _fact_rows(second))
        if series:
            extra["series"] = _series(stages, spark, root, catalog, quiet, patients, series)
        errors = [str(f) for f in quiet.of_level("error")]
        spark.stop()
    finally:
        stages.sampler.stop()
        shutil.rmtree(root, ignore_errors=True)
    bare_s, bronze_s = stages.seconds(BARE), stages.seconds(BRONZE)
    incremental, rebuild = stages.seconds("incremental"), stages.seconds("full rebuild")
    return {"patients": patients, "csv_mb": round(size_mb, 1), "delivery_1_rows": rows,
            "stages": [asdict(s) for s in stages.done], "errors": errors,
            "bronze_ratio": bronze_s / bare_s, "incremental_ratio": incremental / rebuild if rebuild else None,
            "naive_s": naive_s,
            "peak_mb": max(s.peak_mb for s in stages.done), "machine": describe_machine(load_at_start), **extra}


def _fact_rows(report: GenerateReport) -> int:
    return sum(report.rows(source) for source in FACTS)


def _re_export(stages: Stages, lakehouse: Lakehouse, catalog: Any, report: Report, landing: Path, patients: int,
               *, delivered_facts: int) -> dict[str, Any]:
    """Deliveries 1 and 2 again, whole, plus what happened until RE_EXPORT_END: the realistic
    delivery (transaction IDs renumbered, running totals and ongoing prescriptions updated)."""
    export = stages.run(f"generate {RE_EXPORT} (to {RE_EXPORT_END})", lambda: generate(
        landing, patients=patients, seed=42, re_export=True, end_date=RE_EXPORT_END),
        lambda r: sum(f.rows for f in r.files))
    stages.run(f"bronze ingest, {RE_EXPORT}", lambda: ingest(lakehouse, catalog.bronze, new_run_id(), report),
               lambda r: r.rows)
    stages.run(f"archive, {RE_EXPORT}", lambda: archive(lakehouse, report))
    _targets(stages, lakehouse, catalog, report, f"{RE_EXPORT} incremental", full=False)
    _targets(stages, lakehouse, catalog, report, f"{RE_EXPORT} full rebuild", full=True)
    incremental = stages.seconds(f"{RE_EXPORT} incremental")
    rebuild = stages.seconds(f"{RE_EXPORT} full rebuild")
    added = _fact_rows(export) - delivered_facts  # new facts (less the prescriptions re-sent with a STOP)
    result = {"end_date": RE_EXPORT_END.isoformat(), "rows": export.total_rows, "added_rows": added,
              "added_share": added / export.total_rows,
              "incremental_s": incremental, "rebuild_s": rebuild, "ratio": incremental / rebuild}
    print(f"  full re-export: {export.total_rows:,} rows, {added:,} new ({100 * result['added_share']:.1f}%); "
          f"incremental / rebuild = {incremental:.1f} / {rebuild:.1f} s = {result['ratio']:.2f}", flush=True)
    return result


def _series(stages: Stages, spark: Any, root: Path, catalog: Any, report: Report, patients: int,
            deliveries: int) -> list[dict[str, Any]]:
    """Deliveries 1..N into a fresh schema: after each, every target loaded (incrementally from
    delivery 2 on) and then rebuilt from all of bronze."""
    landing = root / "series-landing"
    lakehouse = Lakehouse(spark, environment(root, root / "lakehouse", landing))
    rows: list[dict[str, Any]] = []
    for k in range(1, deliveries + 1):
        def deliver(k: int = k) -> GenerateReport:
            return generate(landing, patients=patients, seed=42, deliveries=deliveries, delivery=k)

        delivered = stages.run(f"series {k}: generate", deliver, lambda r: r.total_rows)
        stages.run(f"series {k}: bronze ingest", lambda: ingest(lakehouse, catalog.bronze, new_run_id(), report),
                   lambda r: r.rows)
        archive(lakehouse, report)
        load = "first load" if k == 1 else "incremental"
        stages.run(f"series {k}: {load} (all targets)", lambda: _load_all(lakehouse, catalog, report, full=False))
        loaded = stages.done[-1].seconds
        stages.run(f"series {k}: full rebuild (all targets)", lambda: _load_all(lakehouse, catalog, report, full=True))
        rebuild = stages.done[-1].seconds
        rows.append({"delivery": k, "rows": delivered.total_rows, "load": load, "load_s": loaded,
                     "rebuild_s": rebuild, "ratio": loaded / rebuild})
    print(render_series(rows), flush=True)
    return rows


def _naive(stages: Stages, lakehouse: Lakehouse, catalog: Any) -> float:
    """The naive baseline (bench/naive.py) from the same bronze as the first load, target by
    target; its tables are dropped afterwards. Returns its seconds in all. The bronze queries are
    written before the clock starts (a notebook knows its sources; these ask the ingest log)."""
    bronze = bronze_queries(lakehouse, catalog)
    sequence = build_sequence(catalog)
    try:
        for table in sequence:
            stages.run(f"{NAIVE}: {table}", partial(build_naive, lakehouse, catalog, table, bronze),
                       lambda naive: _count(lakehouse, naive))
    finally:
        drop_naive(lakehouse, sequence)
    seconds, first = stages.seconds(f"{NAIVE}:"), stages.seconds(f"{FIRST_LOAD}:")
    print(f"  first load / naive = {first:.1f} / {seconds:.1f} s = {first / seconds:.2f}", flush=True)
    return seconds


def _load_all(lakehouse: Lakehouse, catalog: Any, report: Report, *, full: bool) -> None:
    refresh_current(lakehouse, catalog, current_sources(catalog), full=full)
    for _, load in _waves(lakehouse, catalog, report, full=full):
        load()


def _waves(lakehouse: Lakehouse, catalog: Any, report: Report, *,
           full: bool) -> Iterator[tuple[list[str], Callable[[], list[LoadResult]]]]:
    """Each wave of targets and what loads it: its targets two at a time, as a run loads them."""
    versions = Versions(lakehouse)

    def load(table: str) -> LoadResult:
        return load_target(lakehouse, catalog, table, report, full=full, refresh=False, versions=versions)

    for wave in build_waves(build_sequence(catalog), catalog):
        yield wave, partial(each, wave, load)


def _warm_up(spark: Any, root: Path, catalog: Any) -> None:
    """Every timed path runs once on a tiny two-delivery series first, so that JIT warm-up (and
    Spark's cache of generated code) favours none of the paths a ratio compares: the bare copy and
    bronze; the first load and the naive one (which reads the same de-duplication queries as the
    current states, so it ran warm on the first load's work until 2026-12-06); the incremental load
    and the full rebuild."""
    warm = root / "warm-up"
    generate(warm, patients=10, seed=1, deliveries=2, delivery=1)
    bare_copy(spark, Lakehouse(spark, environment(root, root / "lakehouse", warm)), catalog.bronze)
    lakehouse, quiet = Lakehouse(spark, environment(root, root / "lakehouse", warm)), Report(quiet=True)
    ingest(lakehouse, catalog.bronze, new_run_id(), quiet)
    archive(lakehouse, quiet)
    _load_all(lakehouse, catalog, quiet, full=False)
    bronze, sequence = bronze_queries(lakehouse, catalog), build_sequence(catalog)
    try:
        for table in sequence:
            build_naive(lakehouse, catalog, table, bronze)
    finally:
        drop_naive(lakehouse, sequence)
    generate(warm, patients=10, seed=1, deliveries=2, delivery=2)
    ingest(lakehouse, catalog.bronze, new_run_id(), quiet)
    archive(lakehouse, quiet)
    _load_all(lakehouse, catalog, quiet, full=False)
    _load_all(lakehouse, catalog, quiet, full=True)


def _targets(stages: Stages, lakehouse: Lakehouse, catalog: Any, report: Report, label: str, *, full: bool) -> None:
    """The current states first (a full rebuild recomputes them from all of bronze), then each
    wave of targets (two at a time, as a run loads them)."""
    stages.run(f"{label}: {CURRENT_STATES}",
               lambda: refresh_current(lakehouse, catalog, current_sources(catalog), full=full))
    for wave, load in _waves(lakehouse, catalog, report, full=full):
        stages.run(f"{label}: {', '.join(wave)}", load, lambda results: sum(_count(lakehouse, r.table) for r in results))


def _count(lakehouse: Lakehouse, table: str) -> int:
    return int(lakehouse.sql(f"SELECT count(*) FROM {lakehouse.name(table)}").collect()[0][0])


def describe_machine(load_at_start: tuple[float, float, float]) -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return {**machine(), "cpu": cpu, "java": java, "load_average_at_start": load_at_start,
            "pyspark": metadata.version("pyspark"), "delta-spark": metadata.version("delta-spark"),
            "driver_memory": os.environ.get("MEDALLION_DRIVER_MEMORY", "4g")}


def render(results: list[dict[str, Any]]) -> str:
    """The tables between BENCHMARKS.md's markers. A figure an older result file lacks (the naive
    baseline, pyarrow) or a skipped stage (`--skip`) is an empty cell."""
    lines = ["| patients | CSV MB (delivery 1) | rows | bare copy s | bronze s | bronze / bare | bare MB/s "
             "| bronze MB/s | pyarrow MB/s | first silver+gold s | naive s | first load / naive "
             "| incremental s | rebuild s | incremental / rebuild | peak memory MB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        s = {stage["name"]: stage for stage in r["stages"]}
        first = sum(v["seconds"] for k, v in s.items() if k.startswith(FIRST_LOAD))
        incremental = sum(v["seconds"] for k, v in s.items() if k.startswith("incremental"))
        rebuild = sum(v["seconds"] for k, v in s.items() if k.startswith("full rebuild"))
        rates = " | ".join(_mb_per_s(r["csv_mb"], s[n]["seconds"]) if n in s else "" for n in PARSES)
        naive = r.get("naive_s")
        versus = " | ".join(("", "") if naive is None else (f"{naive:.1f}", f"{first / naive:.2f}"))
        ratio = r["incremental_ratio"]
        rebuilt = " | ".join(("", "") if ratio is None else (f"{rebuild:.1f}", f"{ratio:.2f}"))
        lines.append(f"| {r['patients']:,} | {r['csv_mb']:,} | {r['delivery_1_rows']:,} | {s[BARE]['seconds']:.1f} "
                     f"| {s[BRONZE]['seconds']:.1f} | {r['bronze_ratio']:.2f} | {rates} | {first:.1f} | {versus} "
                     f"| {incremental:.1f} | {rebuilt} | {r['peak_mb']:,.0f} |")
    re_exports = [r for r in results if "re_export" in r]
    if re_exports:
        lines += ["", f"**Full re-export** after delivery 2: every file whole again up to {RE_EXPORT_END}, "
                      "claims_transactions ID and CHARGEID renumbered (`generate --re-export`)", "",
                  "| patients | rows delivered | rows new | new share | incremental s | rebuild s "
                  "| incremental / rebuild |", "|---:|---:|---:|---:|---:|---:|---:|"]
        for r in re_exports:
            x = r["re_export"]
            lines.append(f"| {r['patients']:,} | {x['rows']:,} | {x['added_rows']:,} | {100 * x['added_share']:.1f}% "
                         f"| {x['incremental_s']:.1f} | {x['rebuild_s']:.1f} | {x['ratio']:.2f} |")
    for r in results:
        if "series" in r:
            lines += ["", f"**{r['patients']:,} patients, a series of {len(r['series'])} deliveries** "
                          "(a fresh schema; every target loaded after each delivery, then rebuilt)", "",
                      render_series(r["series"])]
    for r in results:
        lines += ["", f"**{r['patients']:,} patients** (load average at start "
                      f"{', '.join(f'{x:.1f}' for x in r['machine']['load_average_at_start'])})", "",
                  "| stage | seconds | rows | rows/s | MB/s of CSV | peak memory MB |", "|---|---:|---:|---:|---:|---:|"]
        for stage in r["stages"]:
            rows, seconds = stage["rows"], stage["seconds"]
            rate = f"{rows / seconds:,.0f}" if rows and seconds else ""
            lines.append(f"| {stage['name']} | {seconds:.1f} | {'' if rows is None else f'{rows:,}'} | {rate} "
                         f"| {_mb_per_s(r['csv_mb'] if stage['name'] in PARSES else None, seconds)} "
                         f"| {stage['peak_mb']:,.0f} |")
        if r["errors"]:
            lines += ["", "Errors: " + "; ".join(r["errors"])]
    return "\n".join(lines)


def _mb_per_s(mb: float | None, seconds: float) -> str:
    """Throughput as a table cell; empty for a stage that parses no CSV."""
    return f"{mb / seconds:,.1f}" if mb and seconds else ""


def render_series(series: list[dict[str, Any]]) -> str:
    lines = ["| delivery | rows delivered | load | load s | rebuild s | load / rebuild |",
             "|---:|---:|---|---:|---:|---:|"]
    for d in series:
        lines.append(f"| {d['delivery']} | {d['rows']:,} | {d['load']} | {d['load_s']:.1f} "
                     f"| {d['rebuild_s']:.1f} | {d['ratio']:.2f} |")
    return "\n".join(lines)


def write_markdown(results: list[dict[str, Any]]) -> None:
    text = MARKDOWN.read_text() if MARKDOWN.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    MARKDOWN.write_text(f"{head}{BEGIN}\n{render(results)}\n{END}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--re-export", action="store_true",
                        help="add a full re-export (every file again, ~1%% of rows new) after delivery 2")
    parser.add_argument("--series", type=int, default=0, metavar="N",
                        help="add a series of N deliveries, each loaded incrementally and then rebuilt")
    parser.add_argument("--skip", nargs="+", choices=SKIPPABLE, default=[],
                        help="leave out reference stages (for a very large size)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process of one size
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.one:
        result = one_size(args.one, re_export=args.re_export, series=args.series, skip=frozenset(args.skip))
        (RESULTS / f"scale-{args.one}.json").write_text(json.dumps(result, indent=2))
        return
    options = ((["--re-export"] if args.re_export else []) + (["--series", str(args.series)] if args.series else [])
               + (["--skip", *args.skip] if args.skip else []))
    for patients in args.patients:
        print(f"{patients:,} patients", flush=True)
        subprocess.run([sys.executable, "-m", "bench.scale", "--one", str(patients), *options], check=True)
    results = [json.loads(p.read_text()) for p in RESULTS.glob("scale-*.json")]
    write_markdown(sorted(results, key=lambda r: r["patients"]))
    print(f"wrote {MARKDOWN}")


if __name__ == "__main__":
    main()
