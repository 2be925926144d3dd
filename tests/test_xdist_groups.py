"""The Spark tier runs on two xdist workers (`-n 2 --dist loadgroup`); tests/conftest.py puts the
tests of a module that share a module-scoped fixture (a lakehouse fed with a history of deliveries,
minutes to build) into one group, so that one worker builds it once. When the group is lost (pytest
9 with pytest-xdist 3.8 did so without a word: CI went past its time limit), both workers build it.
A two-worker session over a module fixture proves the grouping holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import PROJECT

MODULE = '''
import os
import pytest

BUILDS = os.path.join(os.path.dirname(__file__), "builds.txt")


@pytest.fixture(scope="module")
def history():
    with open(BUILDS, "a") as builds:
        builds.write(os.environ.get("PYTEST_XDIST_WORKER", "-") + "\\n")
    return "built"


@pytest.mark.parametrize("n", range(6))
def test_reads_the_history(history, n):
    assert history == "built"
'''


def test_tests_sharing_a_module_fixture_run_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n")
    (tmp_path / "test_shared.py").write_text(MODULE)
    done = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q", "-p", "no:cacheprovider",
                           "--rootdir", str(tmp_path), str(tmp_path)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    builds = (tmp_path / "builds.txt").read_text().split()
    assert len(builds) == 1, f"the module fixture was built on {builds}: the xdist group was lost"
