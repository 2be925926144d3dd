"""The embedded default runtime: a local SparkSession with Delta Lake and a persistent catalog.

On Databricks the engine never builds a session: it is handed the one the runtime owns.
Locally, Delta's JVM side comes from Maven Central. It is resolved once through Ivy into a
cache folder; later sessions put the cached jars on the class path and resolve nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import warnings
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from framework.config.cache import cache_root
from framework.engine import classdata

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

LOG_CONFIG = Path(__file__).resolve().parent / "log4j2.properties"


def delta_coordinates(spark_version: str | None = None, delta_version: str | None = None) -> str:
    """Maven coordinates of the Delta jar that fits the installed (or the given) pyspark and delta-spark.

    Delta 4.1 and later publish one artifact per Spark minor (`delta-spark_4.2_2.13`); Delta 4.0,
    built for Spark 4.0 only, publishes just `delta-spark_2.13` (the compat tier's Delta).
    """
    if spark_version is None:
        import pyspark

        spark_version = pyspark.__version__
    delta_version = delta_version or metadata.version("delta-spark")
    if _major_minor(delta_version) < (4, 1):
        return f"io.delta:delta-spark_2.13:{delta_version}"
    spark_major_minor = ".".join(spark_version.split(".")[:2])
    return f"io.delta:delta-spark_{spark_major_minor}_2.13:{delta_version}"


def _major_minor(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def jar_folder(coordinates: str | None = None) -> Path:
    """Where the resolved jars of one Delta version live (a folder per coordinates)."""
    coordinates = coordinates or delta_coordinates()
    return cache_root() / "jars" / coordinates.replace(":", "_")


def cached_jars(coordinates: str | None = None) -> list[Path]:
    """The cached jars, or an empty list when Delta was never resolved for these coordinates."""
    folder = jar_folder(coordinates)
    if not (folder / "RESOLVED").exists():
        return []
    # Only Delta's own jars: its transitive dependencies (Hadoop, Jackson, log4j) are
    # already in pyspark, at the versions Spark was built with.
    return sorted((folder / "ivy" / "jars").glob("io.delta_*.jar"))


def _jar_config(coordinates: str) -> dict[str, str]:
    jars = cached_jars(coordinates)
    if jars:
        return {"spark.jars": ",".join(str(j) for j in jars)}
    return {
        "spark.jars.packages": coordinates,
        "spark.jars.ivy": str(jar_folder(coordinates) / "ivy"),
    }


#: HotSpot's JIT leaves methods over 8,000 bytes of bytecode to the interpreter, and Spark's
#: whole-stage code for a wide select is bigger: bronze's typed read of claims_transactions
#: (33 columns, 7 decimals checked) is one method of 25 KB, and ran twice as slow interpreted.
COMPILE_HUGE_METHODS = "-XX:-DontCompileHugeMethods"

#: The JDK keeps, per thread, a direct buffer as big as the biggest heap buffer that thread ever
#: wrote to or read from a file channel, and frees it only with the thread (Spark's task threads
#: live long). Direct memory (NMT "Other") reached 468 MB in an incremental run at 10,000 patients.
#: Capped at 256 KB, a bigger buffer is freed after its use: that run's peak fell from 5,777 MB to
#: 5,516 MB, and it was no slower (BENCHMARKS.md, session 32).
NIO_BUFFER_CACHE = "-Djdk.nio.maxCachedBufferSize=262144"

#: glibc gives each thread that mallocs concurrently an arena of its own, up to 8 per core, and
#: keeps what they once held: the JVM's resident memory above what it tracks (NMT) was 238 MB in
#: that run, 70 MB with two arenas, and the peak 5,227 MB. The JVM allocates on its heap, so
#: malloc is rarely contended. Set in the environment the JVM inherits (glibc reads it at start).
MALLOC_ARENAS = ("MALLOC_ARENA_MAX", "2")


def local_conf(lakehouse: Path) -> dict[str, str]:
    """Spark settings of the embedded default, everything kept under the lakehouse folder."""
    lakehouse = lakehouse.resolve()
    catalog_dir = lakehouse / "_catalog"
    catalog_dir.mkdir(parents=True, exist_ok=True)
    (lakehouse / "_logs").mkdir(exist_ok=True)
    log_dir = lakehouse / "_logs"
    java_opts = (f"-Dderby.system.home={catalog_dir} -Dderby.stream.error.file={log_dir / 'derby.log'} "
                 f"-Dlog4j.configurationFile={LOG_CONFIG} -Dmedallion.log.dir={log_dir} {COMPILE_HUGE_METHODS} "
                 f"{NIO_BUFFER_CACHE}")
    return {
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        "spark.sql.catalogImplementation": "hive",
        "spark.sql.warehouse.dir": str(lakehouse / "_warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={catalog_dir / 'metastore_db'};create=true"
        ),
        "spark.hadoop.datanucleus.schema.autoCreateAll": "true",
        "spark.hadoop.hive.metastore.schema.verification": "false",
        "spark.driver.extraJavaOptions": java_opts,
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "4",
        # constraint inference over the current state's wide rows (a struct of every column,
        # compared across runs) grows without bound in the optimizer; nothing here needs it
        "spark.sql.constraintPropagation.enabled": "false",
        # Synthea's big files (claims_transactions, observations) are single files: smaller
        # splits let both cores parse one file.
        "spark.sql.files.maxPartitionBytes": "32m",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": os.environ.get("MEDALLION_DRIVER_MEMORY", "4g"),
        "spark.databricks.delta.snapshotPartitions": "2",
        "spark.sql.sources.parallelPartitionDiscovery.parallelism": "2",
    }


#: `local_session(connect=...)`: pyspark's local Spark Connect server, started in this process
LOCAL_CONNECT = "local[2]"


def local_session(lakehouse: Path, *, connect: str | None = None, reader: bool = False, metastore: bool = True,
                  class_options: str | None = None) -> SparkSession:
    """Start (or reuse) the local session for a lakehouse folder.

    `connect` runs through Spark Connect instead, the protocol serverless compute speaks, so the
    engine can be proven to need nothing else: LOCAL_CONNECT starts pyspark's local server in
    this process; `sc://HOST:PORT` is a client of a server already running with this
    lakehouse's session (its catalog and settings), so no JVM starts here.
    `reader=True` leaves the Derby catalog alone (a run may hold it): Spark's in-memory catalog,
    with the lakehouse's tables registered from their folders (framework/engine/readers.py).
    `metastore=False` also takes the in-memory catalog, and registers nothing: tables are named in
    this session only (the test tier's shared session: no other process reads its tables by name).
    The JVM maps the class archive of framework/engine/classdata.py when there is one;
    `class_options` replaces what classdata gives (framework/engine/prepare.py writes the archive).
    """
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault(*MALLOC_ARENAS)
    coordinates = delta_coordinates()
    if connect:
        # The local Connect server takes these settings at start; the client then tries to set
        # them again per session and warns that static ones cannot change. They did apply.
        warnings.filterwarnings("ignore", message="Failed to set spark", category=UserWarning)
    with _first_resolution(coordinates):
        conf = {**local_conf(lakehouse), **_jar_config(coordinates)}
        options = classdata.java_options(coordinates) if class_options is None else class_options
        if options:
            conf["spark.driver.extraJavaOptions"] += " " + options
        if reader or not metastore:
            conf["spark.sql.catalogImplementation"] = "in-memory"
        builder = SparkSession.builder.appName("medallion")
        builder = builder.remote(connect) if connect else builder.master("local[2]")
        for key, value in conf.items():
            builder = builder.config(key, value)
        with _jvm_output(lakehouse.resolve() / "_logs" / "jvm.log"):
            session = builder.getOrCreate()
        _mark_resolved(coordinates)
    if reader:
        from framework.engine.readers import register_tables

        register_tables(session, lakehouse)
    return session


@contextlib.contextmanager
def _first_resolution(coordinates: str) -> Iterator[None]:
    """Until Delta's jars are cached, hold a lock on their folder while a session starts: Ivy's
    cache does not survive two resolutions at once (two test workers, or two commands started
    together, fail with "download failed"). The session that waited then finds the jars cached."""
    if cached_jars(coordinates):
        yield
        return
    folder = jar_folder(coordinates)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


#: set (e.g. by `medallion -v`) to let the JVM write to the console
VERBOSE_ENV = "MEDALLION_VERBOSE"


@contextlib.contextmanager
def _jvm_output(log: Path) -> Iterator[None]:
    """While the JVM starts, point file descriptor 2 at `log`: the JVM inherits it, so its own
    console output (e.g. "WARNING: Using incubator modules", Ivy's resolution report) lands in the
    log instead of the user's terminal; Python's stderr is restored right after. `MEDALLION_VERBOSE=1`
    leaves it on the console."""
    if os.environ.get(VERBOSE_ENV) == "1":
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("ab") as target:
        os.dup2(target.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _mark_resolved(coordinates: str) -> None:
    folder = jar_folder(coordinates)
    if (folder / "ivy" / "jars").is_dir() and not (folder / "RESOLVED").exists():
        (folder / "RESOLVED").write_text(coordinates + "\n")
