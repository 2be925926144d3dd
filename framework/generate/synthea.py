"""Real Synthea as a generator engine: a pinned release from Maven Central, run as a JVM.

Synthea is published on Maven Central as ``org.mitre.synthea:synthea`` (main class ``App``).
Its jar and runtime dependencies are resolved once with Maven into
``<cache_root()>/synthea/<release>/lib``; the ``COMPLETE`` marker is written only after every
jar was copied and ``App -h`` started, so an interrupted fetch is redone and a later run
resolves nothing. Synthea itself needs no network.

A run writes a CSV-only export into a scratch folder (fixed seeds, one thread, fixed reference
and end date: the same arguments give byte-identical files) and moves the 18 files the pipeline
loads to ``<landing>/<source>/<source>.csv``; anything else Synthea writes is dropped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from framework.config.cache import cache_root
from framework.generate.report import FileReport, GenerateReport
from framework.generate.schema import SOURCES

SYNTHEA_RELEASE = "3.3.0"  # the newest release on Maven Central
REFERENCE_DATE = date(2025, 1, 1)
YEARS_OF_HISTORY = 10  # Synthea's own default
MARKER = "COMPLETE"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
RELEASES_URL = "https://repo1.maven.org/maven2/org/mitre/synthea/synthea/maven-metadata.xml"


@dataclass(frozen=True)
class Release:
    """What running one Synthea release from its published POM takes."""

    #: ``group:artifact:version`` pins added to the generated POM (dependencyManagement)
    pins: tuple[str, ...] = ()
    #: ``-e`` (simulation end date) exists since 3.1; 3.0 simulates up to the moment it runs
    end_date: bool = True


def _jackson(version: str) -> tuple[str, ...]:
    """jackson-core and jackson-annotations at the version a jackson-databind was built with.

    The POMs of 3.0 and 3.1 reach jackson-core 2.8.8 and jackson-annotations 2.8.0 first (through
    jackson-dataformat-csv), and Maven takes the nearest version; the jackson-databind beside
    them is newer and needs classes of its own version (JsonMerge, InputCoercionException).
    Gradle, which built Synthea, takes the newest version instead.
    """
    return tuple(f"com.fasterxml.jackson.core:{artifact}:{version}" for artifact in ("jackson-core", "jackson-annotations"))


#: The releases on Maven Central (3.0.0 to 3.3.0; 2.7.0 predates the 18-file layout). A release
#: not listed is fetched as published.
RELEASES: dict[str, Release] = {
    "3.0.0": Release(pins=_jackson("2.11.2"), end_date=False),
    "3.1.0": Release(pins=_jackson("2.13.1")),
    "3.2.0": Release(),
    "3.3.0": Release(),
}

_POM = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by medallion: resolves Synthea {release} and its runtime dependencies. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>medallion</groupId>
  <artifactId>synthea-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.mitre.synthea</groupId>
      <artifactId>synthea</artifactId>
      <version>{release}</version>
    </dependency>
  </dependencies>{managed}
</project>
"""
_MANAGED = """
  <dependencyManagement>
    <dependencies>{pins}
    </dependencies>
  </dependencyManagement>"""
_PIN = """
      <dependency>
        <groupId>{}</groupId>
        <artifactId>{}</artifactId>
        <version>{}</version>
      </dependency>"""

Progress = Callable[[str], None]


class SyntheaError(RuntimeError):
    """Fetching or running Synthea failed; the message says what to do."""


def _quiet(_: str) -> None:
    return None


def synthea_home(release: str = SYNTHEA_RELEASE) -> Path:
    return cache_root() / "synthea" / release


def release_info(release: str) -> Release:
    return RELEASES.get(release, Release())


def pom(release: str) -> str:
    """The POM that resolves ``release`` and its runtime dependencies, with the release's pins."""
    pins = release_info(release).pins
    managed = _MANAGED.format(pins="".join(_PIN.format(*pin.split(":")) for pin in pins)) if pins else ""
    return _POM.format(release=release, managed=managed)


def marker_text(release: str) -> str:
    """The marker's text: what was fetched. A cache fetched with other pins is fetched again."""
    return "".join(f"{line}\n" for line in (f"org.mitre.synthea:synthea:{release}", *release_info(release).pins))


def cached_lib(release: str = SYNTHEA_RELEASE) -> Path | None:
    """The folder of a completely fetched release (with today's pins), or None."""
    home = synthea_home(release)
    marker = home / MARKER
    return home / "lib" if marker.is_file() and marker.read_text(encoding="utf-8") == marker_text(release) else None


def java_executable() -> str:
    """``$JAVA_HOME/bin/java`` when JAVA_HOME is set, else ``java`` from PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise SyntheaError("java not found: install a Java 11+ runtime (e.g. apt-get install openjdk-17-jre-headless) "
                           "or set JAVA_HOME")
    return found


def fetch(release: str = SYNTHEA_RELEASE, progress: Progress = _quiet) -> Path:
    """Resolve Synthea ``release`` and its runtime jars into the cache (once); return the lib folder."""
    lib = cached_lib(release)
    if lib is not None:
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise SyntheaError("mvn not found: install Apache Maven (e.g. apt-get install maven); it is needed once, "
                           f"to fetch Synthea {release} from Maven Central into {synthea_home(release)}")
    home = synthea_home(release)
    home.mkdir(parents=True, exist_ok=True)
    partial, repository, log = home / "lib.partial", home / "m2", home / "fetch.log"
    shutil.rmtree(partial, ignore_errors=True)
    (home / MARKER).unlink(missing_ok=True)
    (home / "pom.xml").write_text(pom(release), encoding="utf-8")
    progress(f"fetching Synthea {release} and its dependencies from Maven Central into {home} (once) ...")
    # A private local repository: the cache folder then holds everything, and removing it
    # removes all of it. ~/.m2/settings.xml (mirrors, proxies) still applies.
    command = [mvn, "-B", "-ntp", "-Dstyle.color=never", "-f", str(home / "pom.xml"), f"-Dmaven.repo.local={repository}",
               f"{DEPENDENCY_PLUGIN}:copy-dependencies", f"-DoutputDirectory={partial}", "-DincludeScope=runtime"]
    with open(log, "w", encoding="utf-8") as out:
        code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False).returncode
    if code != 0:
        if f"Could not find artifact org.mitre.synthea:synthea:jar:{release}" in log.read_text(errors="replace"):
            raise SyntheaError(f"Synthea {release} is not on Maven Central (nor on the mirror in ~/.m2/settings.xml): "
                               f"pick a release listed at {RELEASES_URL}; Maven's log is at {log}")
        raise SyntheaError(f"Maven could not fetch org.mitre.synthea:synthea:{release} (exit code {code}); its log "
                           f"is at {log}. Check that Maven Central is reachable (or a mirror in ~/.m2/settings.xml) "
                           f"and that the release exists (the list: {RELEASES_URL})")
    shutil.rmtree(repository, ignore_errors=True)
    _check_starts(partial, release, log)
    lib = home / "lib"
    shutil.rmtree(lib, ignore_errors=True)
    partial.rename(lib)
    (home / MARKER).write_text(marker_text(release), encoding="utf-8")
    return lib


def _check_starts(lib: Path, release: str, log: Path) -> None:
    """Fail the fetch (leaving no marker) unless ``App -h`` runs on the fetched jars."""
    if not (lib / f"synthea-{release}.jar").is_file():
        raise SyntheaError(f"Maven finished but synthea-{release}.jar is not in {lib}; its log is at {log}")
    result = subprocess.run([java_executable(), "-cp", f"{lib}/*", "App", "-h"], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0 or "Usage" not in result.stdout:
        raise SyntheaError(f"the fetched Synthea {release} does not start (java -cp '{lib}/*' App -h exited with code "
                           f"{result.returncode}): {(result.stderr or result.stdout).strip()[-500:]}. "
                           "Synthea needs Java 11+: set JAVA_HOME to a newer JDK if `java -version` is older")


def synthea_command(java: str, lib: Path, output: Path, *, patients: int, seed: int, release: str = SYNTHEA_RELEASE,
                    reference_date: date = REFERENCE_DATE, years_of_history: int = YEARS_OF_HISTORY,
                    end_date: date | None = None) -> list[str]:
    """The Synthea command line for a reproducible CSV-only export into ``output``.

    Seeds, one thread and a fixed reference *and* end date make the output a function of
    the arguments (without ``-e`` Synthea simulates up to the current time: 3.0 has no ``-e``).
    The end date is the reference date unless given: a later one exports the same population
    further on.
    """
    day = reference_date.strftime("%Y%m%d")
    end = ["-e", (end_date or reference_date).strftime("%Y%m%d")] if release_info(release).end_date else []
    return [
        java, "-cp", f"{lib}/*", "App",
        "--exporter.csv.export=true",
        "--exporter.fhir.export=false",
        "--exporter.hospital.fhir.export=false",
        "--exporter.practitioner.fhir.export=false",
        "--generate.thread_pool_size=1",
        f"--exporter.baseDirectory={output}",
        f"--exporter.years_of_history={years_of_history}",
        "-p", str(patients), "-s", str(seed), "-cs", str(seed), "-r", day, *end,
    ]


def _data_rows(path: Path) -> int:
    with open(path, "rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def place(csv_folder: Path, landing: Path) -> list[FileReport]:
    """Move the 18 source files of a Synthea ``csv`` folder to ``<landing>/<source>/<source>.csv``.

    Other files (patient_expenses.csv, any future table) are left behind; a source without a
    file (Synthea 3.4 writes none for an empty table) is simply absent from the result.
    """
    files: list[FileReport] = []
    for source in SOURCES:
        found = csv_folder / f"{source}.csv"
        if not found.is_file():
            continue
        target = landing / source / f"{source}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(found, target)
        files.append(FileReport(source, 1, target, _data_rows(target)))
    return files


def generate_synthea(
    landing: Path,
    *,
    patients: int = 1000,
    seed: int = 42,
    synthea_release: str = SYNTHEA_RELEASE,
    reference_date: date = REFERENCE_DATE,
    years_of_history: int = YEARS_OF_HISTORY,
    end_date: date | None = None,
    progress: Progress = _quiet,
) -> GenerateReport:
    """Run real Synthea once and land its CSVs as one delivery in ``<landing>/<source>/<source>.csv``.

    ``patients`` is Synthea's ``-p``: living patients; the deceased come on top. ``end_date``
    (``-e``, default: the reference date): a later one with the same seeds re-exports the same
    population with the months in between, the way a new delivery arrives.
    """
    if patients < 1:
        raise ValueError("patients must be at least 1")
    began = time.perf_counter()
    lib = fetch(synthea_release, progress)
    java = java_executable()
    work = Path(tempfile.mkdtemp(prefix="medallion-synthea-"))
    log = work / "synthea.log"
    progress(f"running Synthea {synthea_release} for {patients} patients (log: {log}) ...")
    command = synthea_command(java, lib, work / "output", patients=patients, seed=seed, release=synthea_release,
                              reference_date=reference_date, years_of_history=years_of_history, end_date=end_date)
    with open(log, "w", encoding="utf-8") as out:
        # cwd: Synthea may write next to where it runs; keep that in the scratch folder.
        code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=work, check=False).returncode
    csv_folder = work / "output" / "csv"
    if code != 0:
        text = log.read_text(encoding="utf-8", errors="replace")
        hint = " Synthea needs Java 11+: set JAVA_HOME to a newer JDK." if "UnsupportedClassVersion" in text else ""
        error = next((line.strip() for line in text.splitlines() if "Exception" in line or "Error:" in line), None)
        raise SyntheaError(f"Synthea exited with code {code}; its log is at {log}.{hint}"
                           + (f" First error: {error}" if error else ""))
    if not csv_folder.is_dir():
        raise SyntheaError(f"Synthea finished but wrote no CSV folder {csv_folder}; its log is at {log}")
    report = GenerateReport(Path(landing), patients, seed, synthea_release, (1,))
    report.files = place(csv_folder, Path(landing))
    shutil.rmtree(work, ignore_errors=True)
    report.seconds = time.perf_counter() - began
    return report
