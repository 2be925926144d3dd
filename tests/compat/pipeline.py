"""The whole pipeline over a series of deliveries, under whichever interpreter (venv) runs it:

    python -m tests.compat.pipeline DELIVERIES WORK OUT [--modes classic connect]

copies each delivery folder of DELIVERIES (in name order) into a landing folder and runs the whole
pipeline after each (`medallion run`: bronze, archive, silver, gold, their checks), once per mode:
`classic` through a classic local session, `connect` through Spark Connect. Both modes share one
JVM: the classic session serves Spark Connect, and after its runs a Connect client runs the
pipeline again in a schema of its own (`connect` alone starts pyspark's local Connect server, as
`medallion --connect` does). Then writes to OUT, as JSON, per mode: the pyspark and delta-spark
versions, the exit codes, the errors reported and every table of its schema in a canonical form
(columns with their types; rows as sorted JSON). Two runs on the same input then compare with
`==`: paths under WORK/MODE become `<work>`, the schema `<schema>`, run ids `<run 1>`, `<run 2>`
... in time order, Delta table ids `<id of TABLE>`, and load timestamps are left out.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from framework.cli.context import Context
from framework.cli.main import build_parser
from framework.config import Environment, load_environment
from framework.engine.report import Report
from tests.helpers import serve_connect

MODES = ("classic", "connect")
#: columns holding the moment a row was written: different by construction
LOAD_TIMES = {"ingest_timestamp", "silver_load_timestamp", "logged_at", "loaded_at"}
RUN_ID = re.compile(r"\d{8}T\d{12}Z-[0-9a-f]{6}")
#: a failed check names a few failing keys, whichever collect_list happens to return first
SAMPLE_KEYS = re.compile(r"e\.g\. [^\n]*")


def run(deliveries: Path, work: Path, modes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Each mode's result (classic first: once a Connect client exists, this process speaks Connect)."""
    from framework.engine.session import LOCAL_CONNECT, local_session

    if list(modes) not in (["classic"], ["connect"], ["classic", "connect"]):
        raise ValueError(f"modes must be classic, connect or classic connect, not {' '.join(modes)}")
    lakehouse = work / "lakehouse"
    results = {}
    if "classic" in modes:
        port = serve_connect() if "connect" in modes else None
        classic = local_session(lakehouse)
        results["classic"] = _pipeline(classic, deliveries, work, "classic")
    if "connect" in modes:
        # a client of the classic session's Connect server, or (alone) pyspark's local server
        connect = _connect_client(port) if "classic" in modes else local_session(lakehouse, connect=LOCAL_CONNECT)
        results["connect"] = _pipeline(connect, deliveries, work, "connect")
        connect.stop()
    if "classic" in modes:
        classic.stop()
    return results


def _connect_client(port: int | None) -> Any:
    # pyspark's builder refuses a remote session beside a classic one: the Connect builder does not
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    os.environ["SPARK_CONNECT_MODE_ENABLED"] = "1"  # pyspark.sql.functions build Connect columns from now on
    return ConnectSession.builder.remote(f"sc://localhost:{port}").getOrCreate()


def _pipeline(spark: Any, deliveries: Path, work: Path, mode: str) -> dict[str, Any]:
    """The deliveries landed one by one, `medallion run` after each, in schema `pipeline_MODE`."""
    began = time.perf_counter()
    landing = work / mode / "landing"
    landing.mkdir(parents=True)
    env = load_environment("local", {"landing": str(landing), "lakehouse": str(work / "lakehouse"),
                                     "schema": f"pipeline_{mode}"})
    codes, errors = [], []
    for delivery in sorted(deliveries.iterdir()):
        shutil.copytree(delivery, landing, dirs_exist_ok=True)
        code, findings = _medallion_run(env, spark)
        codes.append(code)
        errors.append(findings)
    dumped = dump(spark, env)
    versions = {name: metadata.version(name) for name in ("pyspark", "delta-spark")}
    # the mode's folder before the shared one (it lies inside), then the schema and table ids
    tokens = {str((work / mode).resolve()): "<work>", str(work.resolve()): "<root>", env.schema: "<schema>",
              **dumped["table_ids"]}
    result = _canonical_runs({"versions": versions, "connect": mode == "connect", "exit_codes": codes,
                              "errors": errors, "tables": dumped["tables"]}, tokens)
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


def assert_same_runs(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Two canonical results hold the same errors, exit codes and tables (columns, rows, row counts)."""
    assert actual["errors"] == expected["errors"], "the runs report different errors"
    assert actual["exit_codes"] == expected["exit_codes"]
    assert sorted(actual["tables"]) == sorted(expected["tables"])
    for table, want in expected["tables"].items():
        got = actual["tables"][table]
        assert got["columns"] == want["columns"], f"{table}: columns differ"
        missing = [row for row in want["rows"] if row not in got["rows"]]
        extra = [row for row in got["rows"] if row not in want["rows"]]
        assert not missing and not extra, f"{table}: rows differ\n  missing: {missing[:3]}\n  unexpected: {extra[:3]}"
        assert got["rows"] == want["rows"], f"{table}: the same rows, not the same number of times"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.compat.pipeline", description=__doc__.split("\n\n")[0])
    parser.add_argument("deliveries", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=["classic"],
                        help="classic, connect (a local Spark Connect server), or both in one JVM")
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(run(args.deliveries, args.work, args.modes), indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
