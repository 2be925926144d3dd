from __future__ import annotations

from typing import Any

import pytest
import yaml

from framework.bundle import render_bundle
from framework.bundle.jobs import ENVIRONMENT
from framework.config import Environment, load_environment
from framework.specs.catalog import SpecCatalog
from tests.helpers import shipped_catalog


@pytest.fixture(scope="session")
def catalog() -> SpecCatalog:
    return shipped_catalog()


@pytest.fixture(scope="session")
def databricks_env() -> Environment:
    return load_environment(ENVIRONMENT)


@pytest.fixture(scope="session")
def rendered(catalog: SpecCatalog, databricks_env: Environment) -> str:
    return render_bundle(catalog, databricks_env)


@pytest.fixture(scope="session")
def bundle(rendered: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(rendered)
    return loaded
