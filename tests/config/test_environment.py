from __future__ import annotations

from pathlib import Path

import pytest

from framework.config import load_environment
from framework.config.environment import parse_overrides
from framework.config.errors import ConfigError
from tests.helpers import PROJECT


def test_local_defaults_resolve_under_the_project() -> None:
    env = load_environment("local")
    assert env.is_local and env.catalog == "spark_catalog" and env.schema == "synthea"
    assert Path(env.landing) == PROJECT / "data" / "landing"
    assert env.table_name("patients_bronze") == "spark_catalog.synthea.patients_bronze"


def test_overrides_replace_keys_and_resolve_paths(tmp_path: Path) -> None:
    env = load_environment("local", parse_overrides([f"landing={tmp_path}/in", "schema=other"]))
    assert env.landing == f"{tmp_path}/in" and env.schema == "other"


def test_unknown_override_suggests_the_key() -> None:
    with pytest.raises(ConfigError, match="did you mean 'landing'"):
        load_environment("local", {"landng": "/x"})


def test_unknown_environment_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"no environment 'locl'.*did you mean 'local'"):
        load_environment("locl")


def test_malformed_override_and_invalid_value() -> None:
    with pytest.raises(ConfigError, match="expected key=value"):
        parse_overrides(["landing"])
    with pytest.raises(ConfigError, match="schema"):
        load_environment("local", {"schema": "bad-name"})
