"""`medallion run bronze`: ingest each source's new landing files into its bronze table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from pyspark.sql import Column, DataFrame, Observation
from pyspark.sql import functions as F

from framework.engine.bronze.ingest_log import (
    DROPPED,
    DUPLICATE,
    INGESTED,
    PENDING,
    QUARANTINED,
    IngestLog,
    LogEntry,
)
from framework.engine.bronze.ingest_log import TABLE as LOG_TABLE
from framework.engine.bronze.landing import KINDS, FileScan, scan_file, survey
from framework.engine.bronze.locate import LINE, locate
from framework.engine.bronze.quarantine import fix_hint, quarantine
from framework.engine.bronze.reader import TYPE_WORDS, detect_quote, group_files, read_group
from framework.engine.lakehouse import Lakehouse
from framework.engine.parallel import each
from framework.engine.profile import part
from framework.engine.report import Report
from framework.engine.runs import run_timestamp
from framework.engine.stop import stop_point
from framework.specs.bronze import METADATA_COLUMNS, BronzeSpec
from framework.text import did_you_mean


@dataclass
class SourceResult:
    source: str
    files: int = 0
    rows: int = 0
    rescued_rows: int = 0
    duplicates: int = 0


@dataclass
class BronzeResult:
    run_id: str
    sources: dict[str, SourceResult] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.sources.values())


def ingest(lakehouse: Lakehouse, specs: dict[str, BronzeSpec], run_id: str, report: Report,
           only: list[str] | None = None) -> BronzeResult:
    """Ingest new files of the given sources (all by default) under one run id."""
    selected = {s: specs[s] for s in (only or sorted(specs))}
    landing = survey(lakehouse.env.landing_path, set(specs))
    _report_strays(landing.unknown_folders, landing.stray_files, set(specs), report)
    _report_ignored({s: landing.ignored.get(s, []) for s in selected}, report)
    lakehouse.ensure_schema()
    existing = lakehouse.tables()
    log = IngestLog(lakehouse)
    if LOG_TABLE in existing:
        entries = _settle_pending(lakehouse, log, selected, report)
    else:  # a new lakehouse: nothing is logged yet, and reading the empty log would cost a query
        log.ensure()
        entries = []
    ingested = {(e.source, e.content_sha256): e for e in entries if e.status == INGESTED}
    result = BronzeResult(run_id)
    plans: dict[str, list[FileScan]] = {}
    pending: list[LogEntry] = []
    settled: list[LogEntry] = []  # duplicates and quarantined files: logged once, as they are
    for source, spec in selected.items():
        result.sources[source] = outcome = SourceResult(source)
        for path in landing.files.get(source, []):
            scan = scan_file(path, delimiter=spec.options.get("delimiter", ","), quote=detect_quote(spec))
            entry = _entry(source, scan, run_id)
            if scan.unreadable:
                moved = quarantine(scan, source, run_id)
                entry.status, entry.archived_path = QUARANTINED, str(moved.path)
                settled.append(entry)
                report.error(str(path), f"quarantined to {moved.path.parent}: {scan.unreadable}", fix_hint(path.parent))
                continue
            earlier = ingested.get((source, scan.sha256))
            if earlier is not None and earlier.file_path == str(path) and not earlier.archived_path:
                report.info(str(path), f"ingested by run {earlier.ingest_run_id}, not archived yet: skipped",
                            "nothing to do; archive moves it")
                continue
            if earlier is not None:
                entry.status, entry.duplicate_of = DUPLICATE, earlier.file_path
                settled.append(entry)
                outcome.duplicates += 1
                report.info(str(path), f"same content as {earlier.file_path} (run {earlier.ingest_run_id}): skipped",
                            "nothing to do; it is archived with this run")
                continue
            ingested[(source, scan.sha256)] = entry
            pending.append(entry)
            plans.setdefault(source, []).append(scan)
            _report_scan(scan, spec, report)
    log.append(pending + settled)
    stop_point("bronze:logged")
    # the biggest first: two at a time, the last to start are the quickest to end
    appending = sorted(plans, key=lambda source: (-sum(s.size for s in plans[source]), source))

    def land(source: str) -> dict[str, tuple[int, int]] | Exception:
        """Make the source's table if it is new, and append its files (if any) in one commit."""
        spec, scans = specs[source], plans.get(source, [])
        if spec.table not in existing:
            lakehouse.create_table(spec.table, bronze_columns(spec), spec.description, properties=BRONZE_PROPERTIES)
        if not scans:
            return {}
        report.progress(f"bronze [{appending.index(source) + 1}/{len(appending)}] {source}: {len(scans)} file(s), "
                        f"{sum(s.data_rows for s in scans):,} rows")
        try:
            with part(lakehouse.profile, "bronze", spec.table) as timed:
                counts = _append(lakehouse, spec, scans, run_id, report)
                timed.rows = sum(n for n, _ in counts.values())
        except Exception as error:  # one source's failure must not stop the others
            return error
        stop_point("bronze:appended")  # a source landed (others may be landing), no log row written
        return counts

    order = appending + [source for source in selected if source not in plans]
    landed = dict(zip(order, each(order, land), strict=True))
    done: list[LogEntry] = []
    for source in appending:
        scans, counts = plans[source], landed[source]
        if isinstance(counts, Exception):
            _fail_source(log, [e for e in pending if e.source == source], counts, report)
            continue
        for entry, scan in zip([e for e in pending if e.source == source], scans, strict=True):
            entry.bronze_rows, entry.rescued_rows = counts.get(scan.name, (0, 0))
            entry.status = INGESTED
            _reconcile(scan, entry, report)
            done.append(entry)
        outcome = result.sources[source]
        outcome.files = len(scans)
        outcome.rows = sum(e.bronze_rows or 0 for e in done if e.source == source)
        outcome.rescued_rows = sum(e.rescued_rows or 0 for e in done if e.source == source)
    log.append(done)
    return result


#: file statistics on the run id (whatever the table's width): reading one run's rows, as the
#: current state's upkeep does, skips the files of every other run
BRONZE_PROPERTIES = {"delta.dataSkippingStatsColumns": "ingest_run_id,source_file"}


def _entry(source: str, scan: FileScan, run_id: str) -> LogEntry:
    return LogEntry(source=source, file_path=str(scan.path), file_name=scan.name, content_sha256=scan.sha256,
                    size_bytes=scan.size, data_rows=scan.data_rows, ingest_run_id=run_id, status=PENDING)


def bronze_columns(spec: BronzeSpec) -> dict[str, str]:
    return {**{c.name: c.sql_type for c in spec.columns}, **METADATA_COLUMNS}


def _append(lakehouse: Lakehouse, spec: BronzeSpec, scans: list[FileScan], run_id: str,
            report: Report) -> dict[str, tuple[int, int]]:
    """Append the files to bronze in one commit; return rows and rescued rows per file name."""
    groups = group_files(spec, scans)
    if groups:
        frames = [read_group(lakehouse.spark, g, run_id=run_id, run_timestamp=run_timestamp(run_id)) for g in groups]
        for group in groups:
            for column in group.unknown_columns:
                report.warning(f"{spec.source}: {', '.join(f.name for f in group.files)}",
                               f"column {column} is not in {spec.file.name}: added to {spec.table} as STRING",
                               f"declare {column} with its type in {spec.file} to type it")
            if group.missing_required:
                missing = ", ".join(group.missing_required)
                report.error(f"{spec.source}: {', '.join(f.name for f in group.files)}",
                             f"required column(s) {missing} missing from the header; the rows landed with them "
                             "null and the reason in _rescue_reason",
                             f"re-export the file with its full header, or mark the column(s) optional in {spec.file}")
        frame: DataFrame = reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), frames)
        # rows and rescued rows per file, counted while writing: no second pass over the data
        observation = Observation(f"bronze_{spec.source}")
        metrics = [metric for index, scan in enumerate(scans) for metric in _file_metrics(index, scan, len(scans))]
        # writeTo: observed metrics of a v1 saveAsTable do not reach Python
        with lakehouse.statement():
            frame.observe(observation, *metrics).writeTo(lakehouse.name(spec.table)).option("mergeSchema", "true").append()
        observed = observation.get
    else:
        observed = {}
    counts = {scan.name: (int(observed.get(f"rows_{i}", 0)), int(observed.get(f"rescued_{i}", 0)))
              for i, scan in enumerate(scans)}
    if any(r for _, r in counts.values()):
        _report_rescued(lakehouse, spec, scans, run_id, report)
    return counts


def _file_metrics(index: int, scan: FileScan, files: int) -> list[Column]:
    """Count rows of one file by its name: every file of a run sits in one source folder."""
    rescued = F.col("_rescue_reason").isNotNull()
    if files == 1:  # the usual delivery: no per-row test of the path
        return [F.count(F.lit(1)).alias(f"rows_{index}"), F.count_if(rescued).alias(f"rescued_{index}")]
    from_file = F.col("source_file").endswith("/" + quote(scan.name))
    return [F.count_if(from_file).alias(f"rows_{index}"), F.count_if(from_file & rescued).alias(f"rescued_{index}")]


def _file_name(uri: str) -> str:
    return unquote(uri.rstrip("/").rsplit("/", 1)[-1])


def _reconcile(scan: FileScan, entry: LogEntry, report: Report) -> None:
    if entry.bronze_rows != scan.data_rows:
        what = "records (quoted line breaks inside)" if scan.multiline else "data lines"
        report.error(str(scan.path), f"{scan.data_rows} {what} delivered but {entry.bronze_rows} rows landed in bronze",
                     "report this file to the framework maintainers with the file attached")


def _fail_source(log: IngestLog, entries: list[LogEntry], error: Exception, report: Report) -> None:
    """A source whose files Spark could not read: its files stay in landing for the next run."""
    for entry in entries:
        entry.status = DROPPED
    log.append(entries)
    first = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
    report.error(f"{entries[0].source}: {', '.join(e.file_name for e in entries)}", f"not ingested: {first}",
                 "the files stay in landing and are read again by the next run; fix or remove them "
                 "(the other sources were ingested)")


def _report_rescued(lakehouse: Lakehouse, spec: BronzeSpec, scans: list[FileScan], run_id: str,
                    report: Report) -> None:
    """One message per file and column: how many rows, the first line numbers, never a value."""
    rows = lakehouse.rows(
        f"SELECT source_file, key, count(*) AS n, slice(collect_set(value), 1, 50) AS samples FROM ("
        f"SELECT source_file, explode(from_json(_rescued_data, 'map<string,string>')) AS (key, value) "
        f"FROM {lakehouse.name(spec.table)} WHERE ingest_run_id = '{run_id}' AND _rescued_data IS NOT NULL) "
        "GROUP BY source_file, key ORDER BY source_file, key"
    )
    by_file: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_file[_file_name(row["source_file"])].append(row)
    delimiter = spec.options.get("delimiter", ",")
    for scan in scans:
        found = by_file.get(scan.name, [])
        if not found:
            continue
        positions = _positions(spec, scan)
        lines = locate(scan, positions, {r["key"]: set(r["samples"]) for r in found if r["key"] in positions},
                       delimiter)
        for row in found:
            key, count = row["key"], int(row["n"])
            at = scan.invalid_utf8_lines if key == "_text_with_invalid_utf8" else lines.get(key, [])
            where = f", line(s) {', '.join(map(str, at[:3]))}{', ...' if count > len(at[:3]) else ''}" if at else ""
            report.warning(f"{spec.source}: {scan.name}", f"{_what(spec, key)}: {count} row(s){where}",
                           f"the raw values are in {spec.table}._rescued_data, the reasons in _rescue_reason; "
                           "fix the export and re-deliver, or correct the type in the spec")


def _positions(spec: BronzeSpec, scan: FileScan) -> dict[str, int | None]:
    """Rescued key -> position of its field in the file's header (None: the whole line)."""
    positions: dict[str, int | None] = {LINE: None}
    for index, name in enumerate(scan.header):
        column = spec.column(name)
        if column is not None:
            positions[column.name] = index
    return positions


def _what(spec: BronzeSpec, key: str) -> str:
    if key == LINE:
        return "line with another number of fields than the header"
    if key == "_text_with_invalid_utf8":
        return "invalid UTF-8 bytes"
    column = spec.column(key)
    if column is None:
        return f"column {key}: value rescued"
    if column.sql_type.startswith("DECIMAL"):
        return f"column {key}: value does not fit {column.sql_type} exactly"
    return f"column {key}: value is not {TYPE_WORDS.get(column.type, column.type)}"


def _report_scan(scan: FileScan, spec: BronzeSpec, report: Report) -> None:
    where = str(scan.path)
    if scan.is_empty:
        report.warning(where, "empty file (no header, no rows): nothing to ingest", "check the export that wrote it")
    elif scan.data_rows == 0:
        report.info(where, "header only, no rows")
    if scan.multiline:
        report.info(where, f"quoted fields ({scan.quote}) hold line breaks: read as RFC 4180, one row per record, "
                    "line breaks kept")
    if scan.has_bom:
        report.info(where, "UTF-8 byte order mark at the start: ignored")
    if scan.invalid_utf8_lines:
        lines = ", ".join(str(n) for n in scan.invalid_utf8_lines)
        report.warning(where, f"invalid UTF-8 bytes on line(s) {lines}: those rows keep U+FFFD in place of the bytes "
                       "and are flagged in _rescue_reason; the original file is kept in the archive",
                       "re-export the file as UTF-8 and deliver it again")


def _report_ignored(ignored: dict[str, list[Path]], report: Report) -> None:
    for source, paths in ignored.items():
        for path in paths:
            what = "folder" if path.is_dir() else "file"
            report.warning(str(path), f"{what} in a source folder that is not CSV ({', '.join(KINDS)}): not ingested, "
                           "left in landing", f"remove it, or convert it to CSV if its rows belong to {source}")


def _report_strays(folders: list[Path], files: list[Path], sources: set[str], report: Report) -> None:
    for folder in folders:
        hint = did_you_mean(folder.name, sources)
        report.warning(str(folder), "unknown folder in landing: no bronze spec has this source, its files were left alone",
                       (f"{hint.capitalize()} Rename the folder, or add" if hint else "Add")
                       + f" tables/bronze/{folder.name}.yml to ingest it")
    for path in files:
        report.warning(str(path), "file directly in landing: files belong in <landing>/<source>/, it was left alone",
                       "move it into its source's folder")


def _settle_pending(lakehouse: Lakehouse, log: IngestLog, specs: dict[str, BronzeSpec], report: Report) -> list[LogEntry]:
    """Resolve `pending` rows a dead run left for these sources; return the log as it now stands.

    Only the given sources: on Databricks other sources' tasks run at the same time, and their
    pending rows belong to runs that are alive.
    """
    entries = log.entries()
    stale = [e for e in entries if e.status == PENDING and e.source in specs]
    if not stale:
        return entries
    by_source: dict[str, list[LogEntry]] = defaultdict(list)
    for entry in stale:
        by_source[entry.source].append(entry)
    committed: list[LogEntry] = []
    dropped: list[LogEntry] = []
    for source, items in by_source.items():
        table = specs[source].table if source in specs else None
        counts: dict[tuple[str, str], tuple[int, int]] = {}
        if table and lakehouse.exists(table):
            runs = ", ".join(sorted({f"'{e.ingest_run_id}'" for e in items}))
            for row in lakehouse.rows(
                f"SELECT ingest_run_id, source_file, count(*) AS n, count(_rescue_reason) AS r "
                f"FROM {lakehouse.name(table)} WHERE ingest_run_id IN ({runs}) GROUP BY ingest_run_id, source_file"
            ):
                counts[(row["ingest_run_id"], _file_name(row["source_file"]))] = (int(row["n"]), int(row["r"]))
        for entry in items:
            key = (entry.ingest_run_id, entry.file_name)
            # a file without rows adds nothing either way: count it as landed
            if key in counts or entry.data_rows == 0:
                entry.bronze_rows, entry.rescued_rows = counts.get(key, (0, 0))
                entry.status = INGESTED
                committed.append(entry)
            else:
                entry.status = DROPPED
                dropped.append(entry)
    log.append(committed + dropped)
    report.info("ingest log", f"settled an interrupted run: {len(committed)} file(s) had landed, "
                f"{len(dropped)} had not and are ingested again")
    return [e for e in entries if e not in dropped]
