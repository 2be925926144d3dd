"""JVM class-data sharing for local sessions: the classes a session's JVM loads, kept in one archive.

Every local session starts a JVM that parses and verifies the same ten thousand classes of Spark,
Hive's catalog and Derby before its first statement. A dynamic CDS archive (JDK 13 and later) holds
them ready to map: a session then starts about 5 s sooner (2026-12-04: session 5.2 -> 3.1 s, first
statement 4.2 -> 2.5 s), and JVMs started together share the mapped pages.

The archive is written once per machine and version set by `python -m framework.engine.prepare`
(`make` runs it). Nothing depends on it: without the archive a session starts as before, and the
JVM skips an archive of another JDK or other jars by itself. A damaged archive (a dump cut off)
would stop the JVM instead (SIGBUS), so prepare.py names a file only once a JVM started on it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from framework.config.cache import cache_root

#: the JVM's own log lines (a rejected archive, say) go to its stderr, which lands in the lakehouse's
#: jvm.log (framework/engine/session.py), instead of stdout, where `medallion sql` prints results
QUIET = "-Xlog:disable -Xlog:all=warning:stderr"


def archive_path(coordinates: str) -> Path:
    """Where the archive of this pyspark, Delta and JDK lives: a new version of any is a new file. So
    is a reinstalled pyspark: the JVM checks the jars' times and skips an archive of other jars."""
    import pyspark

    jars = Path(pyspark.__file__).resolve().parent / "jars"
    identity = "|".join([pyspark.__version__, str(jars), str(jars.stat().st_mtime_ns), coordinates, _java()])
    return cache_root() / "jvm" / f"classes-{hashlib.sha256(identity.encode()).hexdigest()[:16]}.jsa"


def _java() -> str:
    """The java binary Spark's launcher runs: $JAVA_HOME's, else the first on PATH."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    return str(Path(java).resolve()) if java else ""


def java_options(coordinates: str) -> str:
    """The JVM options of a local session: map the archive, if there is one."""
    archive = archive_path(coordinates)
    return use_options(archive) if archive.is_file() else ""


def use_options(archive: Path, *, strict: bool = False) -> str:
    """Map `archive`; `strict`: fail to start if the JVM cannot (without, it starts without it)."""
    return f"-XX:SharedArchiveFile={archive}{' -Xshare:on' if strict else ''} {QUIET}"


def dump_options(archive: Path) -> str:
    """Write the classes the JVM loaded to `archive` when it exits."""
    return f"-XX:ArchiveClassesAtExit={archive} {QUIET}"
