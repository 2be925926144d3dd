"""The real-Synthea engine: landing placement, the command line, the cache, the CLI options, and
(slow) one real fetch and run."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from framework.cli.main import main
from framework.generate import SOURCES
from framework.generate import synthea as synthea_module
from framework.generate.engines import ENGINES
from framework.generate.synthea import (
    MARKER,
    SYNTHEA_RELEASE,
    SyntheaError,
    fetch,
    generate_synthea,
    marker_text,
    place,
    pom,
    synthea_command,
    synthea_home,
)
from tests.helpers import require_real_synthea, shipped_catalog


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDALLION_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode("utf-8"))


def test_place_moves_the_sources_and_leaves_the_rest(tmp_path: Path) -> None:
    csv = tmp_path / "output" / "csv"
    _write(csv, "patients.csv", "Id,BIRTHDATE\r\np1,2000-01-01\r\np2,2001-02-03\r\n")
    _write(csv, "payers.csv", "Id,NAME\n")  # header only: zero rows
    _write(csv, "patient_expenses.csv", "PATIENT_ID,YEAR\np1,2020\n")  # the 19th file, not a source
    _write(csv, "notes.txt", "not a table\n")
    landing = tmp_path / "landing"

    files = place(csv, landing)

    assert [(f.source, f.delivery, f.rows) for f in files] == [("patients", 1, 2), ("payers", 1, 0)]
    assert (landing / "patients" / "patients.csv").read_bytes().startswith(b"Id,BIRTHDATE\r\n")
    assert files[0].path == landing / "patients" / "patients.csv"
    assert sorted(p.name for p in landing.iterdir()) == ["patients", "payers"]  # absent sources: no folder
    assert sorted(p.name for p in csv.iterdir()) == ["notes.txt", "patient_expenses.csv"]


def test_place_replaces_an_earlier_file(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    _write(landing / "patients", "patients.csv", "old\n")
    _write(tmp_path / "csv", "patients.csv", "Id\np1\n")
    [report] = place(tmp_path / "csv", landing)
    assert report.rows == 1
    assert (landing / "patients" / "patients.csv").read_text() == "Id\np1\n"


def test_command_line_is_reproducible_and_csv_only() -> None:
    command = synthea_command("/jdk/bin/java", Path("/cache/lib"), Path("/work/output"), patients=20, seed=7,
                              reference_date=date(2024, 6, 30), years_of_history=5)
    assert command[:4] == ["/jdk/bin/java", "-cp", "/cache/lib/*", "App"]
    for flag in ("--exporter.csv.export=true", "--exporter.fhir.export=false", "--exporter.hospital.fhir.export=false",
                 "--exporter.practitioner.fhir.export=false", "--generate.thread_pool_size=1",
                 "--exporter.baseDirectory=/work/output", "--exporter.years_of_history=5"):
        assert flag in command
    pairs = dict(itertools.pairwise(command))
    assert pairs["-p"] == "20"
    assert pairs["-s"] == pairs["-cs"] == "7"
    assert pairs["-r"] == pairs["-e"] == "20240630"


def test_a_later_end_date_exports_the_same_population_further_on() -> None:
    command = synthea_command("java", Path("/lib"), Path("/out"), patients=20, seed=7,
                              reference_date=date(2025, 1, 1), end_date=date(2025, 7, 1))
    pairs = dict(itertools.pairwise(command))
    assert (pairs["-s"], pairs["-cs"], pairs["-r"], pairs["-e"]) == ("7", "7", "20250101", "20250701")


def test_synthea_3_0_has_no_end_date() -> None:
    command = synthea_command("java", Path("/lib"), Path("/out"), patients=1, seed=1, release="3.0.0")
    assert "-e" not in command and "-r" in command  # 3.0 would read `-e 20250101` as state and city


def _pins(text: str) -> dict[str, str]:
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    managed = ET.fromstring(text).findall("m:dependencyManagement/m:dependencies/m:dependency", ns)
    return {d.findtext("m:artifactId", namespaces=ns) or "": d.findtext("m:version", namespaces=ns) or ""
            for d in managed}


def test_the_pom_pins_jackson_where_the_published_pom_falls_short() -> None:
    # measured: 3.0.0 resolves jackson-databind 2.11.2 beside jackson-core 2.8.8 and
    # jackson-annotations 2.8.0 and dies at start (NoClassDefFoundError: .../JsonMerge)
    assert _pins(pom("3.0.0")) == {"jackson-core": "2.11.2", "jackson-annotations": "2.11.2"}
    assert _pins(pom("3.1.0")) == {"jackson-core": "2.13.1", "jackson-annotations": "2.13.1"}
    assert _pins(pom("3.3.0")) == {} and _pins(pom("9.9.9")) == {}
    assert "<version>3.0.0</version>" in pom("3.0.0")


def test_pinned_release_and_registry() -> None:
    assert SYNTHEA_RELEASE == "3.3.0"
    assert set(ENGINES) == {"builtin", "synthea"}
    assert ENGINES["synthea"].run is generate_synthea
    assert "synthea_release" in ENGINES["synthea"].options
    assert "deliveries" not in ENGINES["synthea"].options
    assert "end_date" in ENGINES["synthea"].options and "re_export" not in ENGINES["synthea"].options


def test_a_complete_fetch_resolves_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = synthea_home()
    (home / "lib").mkdir(parents=True)
    (home / MARKER).write_text(marker_text(SYNTHEA_RELEASE))
    monkeypatch.setattr(shutil, "which", lambda _name: None)  # no Maven: must not be needed
    assert fetch() == cache / "synthea" / SYNTHEA_RELEASE / "lib"


def test_a_fetch_made_without_todays_pins_is_redone(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = synthea_home("3.0.0")
    (home / "lib").mkdir(parents=True)
    (home / MARKER).write_text("org.mitre.synthea:synthea:3.0.0\n")  # what a fetch without pins wrote
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(SyntheaError, match="mvn not found"):
        fetch("3.0.0")


def test_a_release_not_on_maven_central_says_so(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def maven(command: list[str], stdout: object, **_kwargs: object) -> subprocess.CompletedProcess[str]:
        print("[ERROR] Failed to execute goal on project synthea-runtime: Could not resolve dependencies for "
              "project medallion:synthea-runtime:pom:1: Could not find artifact org.mitre.synthea:synthea:jar:3.4.0 "
              "in central (https://repo.maven.apache.org/maven2) -> [Help 1]", file=stdout)  # type: ignore[call-overload]
        return subprocess.CompletedProcess(command, 1)

    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(subprocess, "run", maven)
    with pytest.raises(SyntheaError, match=r"Synthea 3\.4\.0 is not on Maven Central .*maven-metadata\.xml"):
        fetch("3.4.0")
    assert not (synthea_home("3.4.0") / MARKER).exists()


def test_an_interrupted_fetch_is_redone_and_needs_maven(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (synthea_home() / "lib").mkdir(parents=True)  # jars but no marker: incomplete
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(SyntheaError, match="mvn not found: install Apache Maven"):
        fetch()


def test_a_failed_run_names_its_log(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synthea_module, "fetch", lambda *_args: tmp_path / "lib")
    monkeypatch.setattr(synthea_module, "java_executable", lambda: "false")  # exits 1, writes nothing
    work = tmp_path / "work"
    monkeypatch.setattr(tempfile, "mkdtemp", lambda prefix: str(work.mkdir() or work))
    with pytest.raises(SyntheaError, match=r"Synthea exited with code 1; its log is at .*synthea\.log"):
        generate_synthea(tmp_path / "landing", patients=1)
    assert (work / "synthea.log").exists()  # kept for the user to read


@pytest.mark.parametrize(("argv", "message"), [
    (["--engine", "synthea", "--deliveries", "3"], "--deliveries does not apply to --engine synthea"),
    (["--engine", "synthea", "--delivery", "2"], "--delivery does not apply to --engine synthea"),
    (["--engine", "synthea", "--synthea-version", "3.0"], "--synthea-version does not apply to --engine synthea"),
    (["--synthea-release", "3.2.0"], "--synthea-release does not apply to --engine builtin: it chooses"),
    (["--engine", "synthea", "--re-export"], "--re-export does not apply to --engine synthea"),
    (["--end-date", "2025-03-01"], "an end date applies to re-exports only"),
])
def test_options_of_the_other_engine_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 argv: list[str], message: str) -> None:
    code = main(["generate", "--set", f"landing={tmp_path}", *argv])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_real_synthea_lands_files_the_bronze_specs_declare(tmp_path: Path) -> None:
    """Fetches Synthea into the real cache (once, about a minute) and runs it for 20 patients."""
    require_real_synthea()
    landing = tmp_path / "landing"
    report = generate_synthea(landing, patients=20, seed=5)

    specs = shipped_catalog().bronze
    landed = {f.source for f in report.files}
    assert landed <= set(SOURCES)
    assert {"patients", "encounters", "claims", "claims_transactions", "organizations", "providers", "payers"} <= landed
    assert report.rows("patients") >= 20  # living patients; the deceased come on top
    for f in report.files:
        assert f.path == landing / f.source / f"{f.source}.csv"
        header = f.path.read_text(encoding="utf-8").split("\n", 1)[0].rstrip("\r").split(",")
        undeclared = [h for h in header if specs[f.source].column(h) is None]
        assert not undeclared, f"{f.source}: columns not in tables/bronze/{f.source}.yml: {undeclared}"
    assert not (landing / "patient_expenses").exists()
