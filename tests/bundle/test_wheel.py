"""The wheel the bundle deploys: it builds, ships tables/ and configs/, and runs from anywhere.

One build per test session (a few seconds), from a copy of the build inputs so the checkout's
build/ and egg-info folders are never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import PROJECT, shipped_catalog

BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "framework", "tables", "configs")
SHIPPED = "framework/_project"


def _project_files(folder: str) -> set[str]:
    root = PROJECT / folder
    return {str(p.relative_to(PROJECT)) for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")}


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        path = PROJECT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_project"))
        else:
            shutil.copy2(path, source / name)
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
                           capture_output=True, text=True, check=False)
    assert build.returncode == 0, f"python -m build --wheel failed:\n{build.stdout[-3000:]}\n{build.stderr[-3000:]}"
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_ships_tables_and_configs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("tables", "configs"):
        shipped = {n.removeprefix(f"{SHIPPED}/") for n in names if n.startswith(f"{SHIPPED}/{folder}/")}
        assert shipped == _project_files(folder), f"{folder}/ in the wheel differs from the checkout"
    assert "framework/bundle/templates/databricks.yml.j2" in names
    assert "framework/specs/schemas/bronze.schema.json" in names


def test_the_wheel_declares_the_task_entry_point_and_no_spark(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert "medallion-task = framework.cli.task:main" in entry_points
    hard = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert hard and not [line for line in hard if "pyspark" in line or "delta-spark" in line]


def test_the_installed_wheel_finds_its_specs_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """As on Databricks: another working directory, no checkout, no MEDALLION_HOME."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import json, framework\n"
        "from framework.config import load_environment, project_root\n"
        "from framework.specs.loader import load_catalog\n"
        "env = load_environment('databricks')\n"
        "catalog = load_catalog(env.tables_path)\n"
        "print(json.dumps({'package': framework.__file__, 'root': str(project_root()), 'runtime': env.runtime,\n"
        "                  'kinds': {k: sorted(v) for k, v in catalog.by_kind.items()}}))\n"
    )
    environ = {k: v for k, v in os.environ.items() if k != "MEDALLION_HOME"} | {"PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=environ, capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["package"].startswith(str(site)) and found["root"] == str(site / SHIPPED)
    assert found["runtime"] == "databricks"

    assert found["kinds"] == {k: sorted(v) for k, v in shipped_catalog().by_kind.items()}
