from __future__ import annotations

from pathlib import Path

import pytest

from framework.generate import GenerateReport, generate

SERIES = 3


@pytest.fixture(scope="session")
def series(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateReport]:
    """Three deliveries of 40 patients (Synthea 3.4), shared by the read-only tests."""
    landing = tmp_path_factory.mktemp("series")
    return landing, generate(landing, patients=40, seed=7, deliveries=SERIES)


@pytest.fixture(scope="session")
def single(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateReport]:
    """One delivery of 60 patients (Synthea 3.4)."""
    landing = tmp_path_factory.mktemp("single")
    return landing, generate(landing, patients=60, seed=11)


@pytest.fixture(scope="session")
def reexports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateReport]:
    """The same population as ``series``, written as three full re-exports."""
    landing = tmp_path_factory.mktemp("reexports")
    return landing, generate(landing, patients=40, seed=7, deliveries=SERIES, re_export=True)
