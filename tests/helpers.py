"""Small builders shared by tests: environments and Synthea-shaped CSV files."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from framework.config import Environment
from framework.specs.catalog import SpecCatalog
from framework.specs.errors import Problem

PROJECT = Path(__file__).resolve().parents[1]

#: Spark options of the Spark tier's sessions, set at their start (`PYSPARK_SUBMIT_ARGS`). Tests
#: run a few rows through many short queries, where planning them is most of the work: no code
#: generation, neither whole-stage nor per expression (Spark's interpreted operators and
#: expressions, same results, no Janino compile per query plan or projection). NO_CODEGEN
#: (2026-12-04): a fresh `medallion run` of delivery d1 72.7 -> 61.4 s, the Spark tests of
#: test_current, test_new_target and test_membership in one session 155 -> 130 s. The JVM keeps its
#: optimizing JIT compiler: a test process plans queries for tens of minutes, and after the first
#: minutes C2-compiled Catalyst plans an incremental load about 40% faster than the quick C1
#: compiler alone (10-patient delivery, 2026-12-01: 186 s -> 115 s for the five targets), far more
#: than the seconds C1 saves at the JVM's start. No Delta file statistics either: they serve data
#: skipping, which changes how many files a query reads, never its rows. Collected, they took about a
#: ninth of a test process's CPU (Java Flight Recorder, four fresh 25-patient runs in one session:
#: `DeltaTaskStatisticsTracker.newRow`, every row's columns, interpreted), and without them those
#: runs took 134 s instead of 149 s (2026-12-05). The compatibility tier (the whole pipeline, four
#: times) and the benchmarks keep Spark's and Delta's defaults, code generation and statistics
#: included.
TEST_SPARK_SUBMIT_ARGS = ("--conf spark.sql.codegen.wholeStage=false --conf spark.sql.codegen.factoryMode=NO_CODEGEN "
                          "--conf spark.databricks.delta.stats.collect=false pyspark-shell")


def make_env(base: Path, lakehouse: Path, tables: Path | None = None) -> Environment:
    landing = base / "landing"
    landing.mkdir(parents=True, exist_ok=True)
    return Environment(name="test", runtime="local", landing=str(landing), lakehouse=str(lakehouse),
                       catalog="spark_catalog", schema=f"t_{uuid.uuid4().hex[:12]}",
                       tables=str(tables or PROJECT / "tables"))


@functools.cache
def shipped_catalog() -> SpecCatalog:
    """The catalog of the shipped tables folder, loaded once per test process and only when a test
    asks for it (a spec error fails those tests, not the collection of every module). Shared:
    tests never change it."""
    from framework.specs.loader import load_catalog

    return load_catalog(PROJECT / "tables")


def copy_tables(target: Path, *layers: str) -> Path:
    """A copy of the shipped tables folder at `target` (only the given layers' folders, when
    named), for a test to edit."""
    for layer in layers or ("",):
        shutil.copytree(PROJECT / "tables" / layer, target / layer)
    return target


def problems_of(tables: Path, path: Path | None = None) -> list[Problem]:
    """What validation finds in a tables folder; only the problems of the file `path`, when given."""
    from framework.specs.loader import collect

    return [p for p in collect(tables)[1] if path is None or p.file == path]


def tagged_tables(folder: Path, tags: dict[str, list[str]]) -> Path:
    """A copy of the shipped specs in `folder`, with `tags:` added to the given spec files
    (paths under tables/, e.g. "silver/claims_silver.yml")."""
    tables = copy_tables(folder / "tables")
    for spec, names in tags.items():
        with (tables / spec).open("a") as file:
            file.write(f"tags: [{', '.join(names)}]\n")
    return tables


def write_csv(landing: Path, source: str, name: str, header: list[str], rows: list[list[str]], *,
              newline: str = "\n", bom: bool = False, final_newline: bool = True) -> Path:
    """Write a Synthea-style file (never quoted) into `<landing>/<source>/<name>`."""
    lines = [",".join(header)] + [",".join(r) for r in rows]
    text = newline.join(lines) + (newline if final_newline else "")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    return write_bytes(landing, source, name, data)


def write_bytes(landing: Path, source: str, name: str, data: bytes) -> Path:
    folder = landing / source
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def serve_connect() -> int:
    """Make the classic session started next in this process serve Spark Connect on a free port
    (Spark's plugin, through PYSPARK_SUBMIT_ARGS); return the port."""
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        port = int(probe.getsockname()[1])
    given = os.environ.get("PYSPARK_SUBMIT_ARGS", "pyspark-shell").removesuffix("pyspark-shell")
    os.environ["PYSPARK_SUBMIT_ARGS"] = (f"{given}--conf spark.plugins=org.apache.spark.sql.connect.SparkConnectPlugin "
                                         f"--conf spark.connect.grpc.binding.port={port} pyspark-shell")
    return port


def medallion_in_session(env: Environment, spark: Any, *args: str) -> int:
    """`medallion ARGS` as the command line runs it, in `env` and an existing Spark session
    (the test process's shared one instead of a new one per command). `medallion_command` is the
    command as a process of its own."""
    from framework.cli.context import Context
    from framework.cli.main import build_parser
    from framework.config.arguments import exit_status
    from framework.engine.report import Report
    from framework.specs.errors import SpecError

    parsed = build_parser().parse_args(list(args))
    context = Context(env=env, report=Report(), spark_session=spark)
    return exit_status(lambda: int(parsed.handler(context, parsed)), {SpecError: 2})


def medallion_command(lakehouse: Path, landing: Path, schema: str, *args: str) -> list[str]:
    """`medallion ARGS` as a process of its own (`python -m framework.cli`, its own JVM) over the
    given folders and schema; start it with `process_environment()`."""
    return [sys.executable, "-m", "framework.cli", "--set", f"lakehouse={lakehouse}", "--set", f"landing={landing}",
            "--set", f"schema={schema}", *args]


#: JVM options of a `medallion` process a test starts. Unlike a test process, such a process lives
#: seconds to a minute: the quick C1 compiler alone, and the serial collector, spend less CPU than
#: C2 and G1's threads save in that time (the nine runs of tests/cli/test_crash.py 226 -> 212 s,
#: 2026-12-04), and leave more of the two cores to the other test worker. Stopping at C1 also shrinks
#: the default code cache from 240 to 48 MB, which a run of every target filled within 30 s: the
#: compiler then stopped, and a target's write failed with "Out of space in CodeCache". The cache
#: keeps its tiered size.
PROCESS_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m -XX:+UseSerialGC"


def process_environment() -> dict[str, str]:
    """The environment of a `medallion` process a test starts: Spark's Python workers run this
    interpreter, and the JVM gets the Spark tier's options and PROCESS_JAVA_OPTIONS."""
    java = " ".join(filter(None, [os.environ.get("JAVA_TOOL_OPTIONS"), PROCESS_JAVA_OPTIONS]))
    return {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_SUBMIT_ARGS": TEST_SPARK_SUBMIT_ARGS,
            "JAVA_TOOL_OPTIONS": java}


def require_real_synthea() -> None:
    """Skip a real-Synthea test where java (or mvn, before the first fetch) is missing; in CI
    (`MEDALLION_REQUIRE_SYNTHEA=1`, set by .ci/run) that is a failure, never a silent skip."""
    import pytest

    from framework.generate import synthea

    if shutil.which("java") is None or (shutil.which("mvn") is None and synthea.cached_lib() is None):
        message = "needs java, and mvn for the first fetch of Synthea"
        if os.environ.get("MEDALLION_REQUIRE_SYNTHEA") == "1":
            pytest.fail(message + " (MEDALLION_REQUIRE_SYNTHEA=1)")
        pytest.skip(message)


def synthea_export(patients: int, seed: int, end_date: date | None = None, *, release: str | None = None) -> Path:
    """Real Synthea ``release``'s export (default: the pinned one) of one population (``-s``/``-cs``
    ``seed``, the default reference date and history) up to ``end_date`` (default: the reference
    date), as ``<folder>/<source>/<source>.csv``. Run through `medallion generate --engine
    synthea` once per machine, then kept in the cache, keyed by release, population and end date,
    so that later runs (and CI) reuse it. A release that no longer resolves fails here, saying so."""
    import contextlib
    import io

    from framework.cli.main import main
    from framework.generate import synthea

    release = release or synthea.SYNTHEA_RELEASE
    end_day = end_date or synthea.REFERENCE_DATE
    end = f"-e{end_day:%Y%m%d}" if synthea.release_info(release).end_date else ""  # 3.0: no -e
    key = f"{release}-p{patients}-s{seed}-r{synthea.REFERENCE_DATE:%Y%m%d}-y{synthea.YEARS_OF_HISTORY}{end}"
    exports = synthea.cache_root() / "synthea-exports"
    folder, marker = exports / key, exports / f"{key}.complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    errors = io.StringIO()
    extra = ["--end-date", end_date.isoformat()] if end_date is not None else []
    with contextlib.redirect_stderr(errors):
        code = main(["generate", "--engine", "synthea", "--synthea-release", release, "--patients", str(patients),
                     "--seed", str(seed), *extra, "--set", f"landing={folder}"])
    assert code == 0, f"medallion generate --engine synthea --synthea-release {release} failed: {errors.getvalue()}"
    marker.write_text(key + "\n", encoding="utf-8")
    return folder
