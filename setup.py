"""Build hook: the wheel carries the project's specs (`tables/`) and environments (`configs/`).

On Databricks a job's working directory is not this checkout, so the installed package must hold
the YAML it runs. Both folders are copied at build time into `framework/_project/`, where
`framework.config.environment.project_root()` looks when no checkout is around; git keeps one
copy only. Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("tables", "configs")
TARGET = Path("framework") / "_project"


class BuildPyWithProject(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib) / TARGET
        shutil.rmtree(target, ignore_errors=True)  # a spec deleted since the last build must not ship
        for folder in SHIPPED:
            source = ROOT / folder
            if not source.is_dir():
                raise SystemExit(f"cannot build the wheel: {source} is missing (the jobs need it at run time)")
            shutil.copytree(source, target / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildPyWithProject})
