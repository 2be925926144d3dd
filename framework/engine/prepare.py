"""Prepare this machine for local sessions, once: Delta's jars resolved into the cache, and the JVM's
class archive written (framework/engine/classdata.py). `make` runs it; so can anyone:

    python -m framework.engine.prepare

Later calls find both and return at once. The archive is written by a session in a process of its
own: its JVM dumps the classes it loaded when it exits, after its Python process is gone, so this
waits for the whole process group to end. A second session must then start on the archive before
it gets its name. A killed preparation leaves no archive behind, only a temporary file that the
next one replaces.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

from framework.engine import classdata
from framework.engine.session import VERBOSE_ENV, delta_coordinates, local_session

MODULE = "framework.engine.prepare"
#: archives kept in the cache (the newest)
KEEP = 3
#: how long a step's JVM may take to end (and write the archive) once its Python process has
EXIT_SECONDS = 300


def prepare() -> Path:
    """The class archive of this machine's pyspark, Delta and JDK, written if it is missing."""
    archive = classdata.archive_path(delta_coordinates())
    if archive.is_file():
        return archive
    archive.parent.mkdir(parents=True, exist_ok=True)
    with (archive.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two preparations at once write one archive
        if not archive.is_file():
            _write(archive)
    return archive


def _write(archive: Path) -> None:
    """Dump the classes of a session's work, then start a session that must map them: only an
    archive that a JVM accepted gets the name sessions look for (a JVM given a damaged archive
    does not start)."""
    partial = archive.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    log = archive.with_suffix(".log")
    print(f"prepare: writing the JVM's class archive {archive} (once per pyspark, Delta and JDK; "
          f"its log: {log})", file=sys.stderr)
    with log.open("w") as output:
        for step in ("--dump", "--check"):
            code = _child(step, partial, output)
            if code != 0 or not partial.is_file():
                partial.unlink(missing_ok=True)
                raise RuntimeError(f"the JVM's class archive failed at {step} (exit {code}), see {log}. Sessions "
                                   f"start without it; to retry, run python -m {MODULE}")
    partial.replace(archive)
    _prune(archive.parent)


def _prune(folder: Path) -> None:
    """Keep the newest archives only: each virtual environment (each CI clone) writes its own, ~220 MB.
    A JVM that maps a removed archive keeps it; a later session of its environment starts without it."""
    archives = sorted(folder.glob("classes-*.jsa"), key=lambda path: path.stat().st_mtime_ns)
    for old in archives[:-KEEP]:
        old.unlink(missing_ok=True)
        old.with_suffix(".log").unlink(missing_ok=True)


def _child(step: str, archive: Path, output: IO[str]) -> int:
    """Run one step in a process group of its own, and wait for the group's JVM too: it outlives
    its Python process, and a dumping JVM writes the archive only then."""
    environment = {**os.environ, VERBOSE_ENV: "1"}  # the JVM's own lines (why it refused an archive) go to the log too
    process = subprocess.Popen([sys.executable, "-m", MODULE, step, str(archive)], env=environment, stdout=output,
                               cwd=archive.parent,  # a JVM that crashes on a damaged archive leaves hs_err_pid*.log there
                               stderr=subprocess.STDOUT, start_new_session=True)
    code = process.wait()
    deadline = time.monotonic() + EXIT_SECONDS
    while _alive(process.pid):
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            return -signal.SIGKILL
        time.sleep(0.5)
    return code


def _alive(group: int) -> bool:
    """Whether a process of the group is still running. Where /proc exists, a zombie does not
    count: in a container whose first process reaps no orphans, the JVM's zombie stays."""
    proc = Path("/proc")
    if proc.is_dir():
        return any(_running_in(stat, group) for stat in proc.glob("[0-9]*/stat"))
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _running_in(stat: Path, group: int) -> bool:
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (command)": state, ppid, pgrp
    except (OSError, IndexError):
        return False  # the process ended while the folder was read
    return fields[0] != "Z" and int(fields[2]) == group


def _session_work(options: str) -> None:
    """What a run's first statements load (the Derby catalog, a CSV read with its file metadata,
    Delta's create, MERGE, history and change feed), in a session started with `options`."""
    with tempfile.TemporaryDirectory(prefix="medallion-prepare-") as folder:
        root = Path(folder)
        spark = local_session(root / "lakehouse", class_options=options)
        (root / "rows.csv").write_text("id,name\n1,a\n2,b\n", encoding="utf-8")
        spark.sql("CREATE DATABASE IF NOT EXISTS prepare")
        rows = spark.read.schema("id INT, name STRING").option("header", True).csv(str(root / "rows.csv"))
        rows.select("*", "_metadata.file_path").write.format("delta").saveAsTable("prepare.rows")
        spark.sql("ALTER TABLE prepare.rows SET TBLPROPERTIES (delta.enableChangeDataFeed = true)")
        spark.sql("MERGE INTO prepare.rows AS t USING (SELECT 2 AS id, 'c' AS name) AS s ON t.id = s.id "
                  "WHEN MATCHED THEN UPDATE SET name = s.name")
        for query in ("DESCRIBE DETAIL prepare.rows", "DESCRIBE HISTORY prepare.rows",
                      "SELECT * FROM table_changes('prepare.rows', 1)",
                      "SELECT id, row_number() OVER (PARTITION BY name ORDER BY id) FROM prepare.rows"):
            spark.sql(query).collect()
        spark.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_mutually_exclusive_group()  # the children of _write
    steps.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    steps.add_argument("--check", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump is not None:
        _session_work(classdata.dump_options(args.dump))
    elif args.check is not None:
        _session_work(classdata.use_options(args.check, strict=True))
    else:
        try:
            print(f"prepare: {prepare()}")
        except RuntimeError as error:
            print(f"prepare: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
