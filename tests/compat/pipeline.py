"""One run of the compatibility tier, under whichever interpreter (venv) runs it:

    python -m tests.compat.pipeline DELIVERIES WORK OUT [--connect]

copies each delivery folder of DELIVERIES (in name order) into WORK/landing and runs the whole
pipeline after each (`medallion run`: bronze, archive, silver, gold, their checks), all in one
Spark session; then writes to OUT, as JSON, the pyspark and delta-spark versions, the exit codes,
the errors reported and every table of the lakehouse in a canonical form (columns with their
types; rows as sorted JSON). Two runs on the same input then compare with `==`: paths under WORK
become `<work>`, run ids `<run 1>`, `<run 2>` ... in time order, Delta table ids `<id of TABLE>`,
and load timestamps are left out.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from framework.config import Environment, load_environment
from framework.engine.report import Report
from framework.jobs.cli import build_parser
from framework.jobs.context import Context

#: columns holding the moment a row was written: different by construction
LOAD_TIMES = {"ingest_timestamp", "silver_load_timestamp", "logged_at", "loaded_at"}
RUN_ID = re.compile(r"\d{8}T\d{12}Z-[0-9a-f]{6}")
#: a failed check names a few failing keys, whichever collect_list happens to return first
SAMPLE_KEYS = re.compile(r"e\.g\. [^\n]*")


def run(deliveries: Path, work: Path, *, connect: bool) -> dict[str, Any]:
    from framework.engine.session import local_session

    began = time.perf_counter()
    landing, lakehouse = work / "landing", work / "lakehouse"
    landing.mkdir(parents=True)
    env = load_environment("local", {"landing": str(landing), "lakehouse": str(lakehouse)})
    spark = local_session(lakehouse, connect=connect)
    codes, errors = [], []
    for delivery in sorted(deliveries.iterdir()):
        shutil.copytree(delivery, landing, dirs_exist_ok=True)
        code, findings = _medallion_run(env, spark)
        codes.append(code)
        errors.append(findings)
    dumped = dump(spark, env)
    spark.stop()
    versions = {name: metadata.version(name) for name in ("pyspark", "delta-spark")}
    result = _canonical_runs({"versions": versions, "connect": connect, "exit_codes": codes, "errors": errors,
                              "tables": dumped["tables"]}, {str(work.resolve()): "<work>", **dumped["table_ids"]})
    return {**result, "seconds": round(time.perf_counter() - began, 1)}


def _medallion_run(env: Environment, spark: Any) -> tuple[int, list[str]]:
    """`medallion run` in this session: its exit status and the errors it reported."""
    parsed = build_parser().parse_args(["run"])
    context = Context(env=env, report=Report(), spark_session=spark)
    code = int(parsed.handler(context, parsed))
    return code, [SAMPLE_KEYS.sub("e.g. ...", str(finding)) for finding in context.report.of_level("error")]


def dump(spark: Any, env: Environment) -> dict[str, Any]:
    """Every table of the environment's schema (not the temporary views a session leaves)."""
    shown = spark.sql(f"SHOW TABLES IN {env.catalog}.{env.schema}").collect()
    tables, ids = {}, {}
    for table in sorted(row["tableName"] for row in shown if not row["isTemporary"]):
        frame = spark.table(env.table_name(table))
        columns = [f for f in frame.schema.fields if f.name not in LOAD_TIMES]
        rows = frame.select(*[f.name for f in columns]).collect()
        tables[table] = {"columns": [[f.name, f.dataType.simpleString()] for f in columns],
                         "rows": [_plain(row.asDict(recursive=True)) for row in rows]}
        ids[spark.sql(f"DESCRIBE DETAIL {env.table_name(table)}").first()["id"]] = f"<id of {table}>"
    # Delta's table ids are random: the control table's references to them name the table instead
    return {"tables": tables, "table_ids": ids}


def _plain(value: Any) -> Any:
    """A JSON value that says exactly what Spark returned (a Decimal keeps its scale)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal | float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    return value


def _canonical_runs(result: dict[str, Any], tokens: dict[str, str]) -> dict[str, Any]:
    """Paths, table ids and run ids replaced by stable tokens; each table's rows sorted."""
    text = json.dumps(result)
    for value, token in tokens.items():
        text = text.replace(value, token)
    ordinals = {run_id: f"<run {n}>" for n, run_id in enumerate(sorted(set(RUN_ID.findall(text))), 1)}
    canonical: dict[str, Any] = json.loads(RUN_ID.sub(lambda m: ordinals[m.group(0)], text))
    for table in canonical["tables"].values():
        table["rows"] = sorted(table["rows"], key=lambda row: json.dumps(row, sort_keys=True))
    return canonical


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.compat.pipeline", description=__doc__.split("\n\n")[0])
    parser.add_argument("deliveries", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--connect", action="store_true", help="through a local Spark Connect server")
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(run(args.deliveries, args.work, connect=args.connect), indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
