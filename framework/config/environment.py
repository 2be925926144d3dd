"""Load `configs/<name>.yml`, apply `--set key=value` overrides, validate with JSON Schema.

Relative paths in a config file are taken relative to the project root, so commands work
from any working directory; paths given with `--set` are taken relative to the caller's
working directory, as a user typing them expects.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from framework.config.errors import ConfigError
from framework.text import did_you_mean

HOME_ENV = "MEDALLION_HOME"
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "specs" / "schemas" / "environment.schema.json"


def project_root() -> Path:
    """The folder holding `configs/` and `tables/`: $MEDALLION_HOME, else this checkout."""
    if HOME_ENV in os.environ:
        return Path(os.environ[HOME_ENV]).resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "tables").is_dir() and (checkout / "configs").is_dir():
        return checkout
    bundled = Path(__file__).resolve().parents[1] / "_project"
    return bundled


@dataclass(frozen=True)
class Environment:
    """One deployment target of the pipeline (local, dev, prod, ...)."""

    name: str
    runtime: str  # "local" (embedded Spark + Delta on disk) or "databricks" (session given)
    landing: str
    catalog: str
    schema: str
    lakehouse: str | None = None  # local only: folder holding tables, catalog and logs
    tables: str | None = None  # folder of the YAML specs; default: <project>/tables

    @property
    def is_local(self) -> bool:
        return self.runtime == "local"

    def table_name(self, table: str) -> str:
        """Three-level name `<catalog>.<schema>.<table>`."""
        return f"{self.catalog}.{self.schema}.{table}"

    @property
    def landing_path(self) -> Path:
        return Path(self.landing)

    @property
    def lakehouse_path(self) -> Path:
        if self.lakehouse is None:
            raise ConfigError(f"environment {self.name!r} has no 'lakehouse' folder (runtime {self.runtime})")
        return Path(self.lakehouse)

    @property
    def tables_path(self) -> Path:
        return Path(self.tables) if self.tables else project_root() / "tables"


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """`["landing=/data/in", ...]` -> {"landing": "/data/in"}; the value may contain '='."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"--set {pair!r}: expected key=value, e.g. --set landing=/data/in")
        overrides[key.strip()] = value
    return overrides


def load_environment(name: str = "local", overrides: dict[str, str] | None = None,
                     config_dir: Path | None = None) -> Environment:
    config_dir = config_dir or project_root() / "configs"
    path = config_dir / f"{name}.yml"
    if not path.exists():
        known = sorted(p.stem for p in config_dir.glob("*.yml"))
        hint = did_you_mean(name, known)
        raise ConfigError(f"no environment {name!r}: {path} does not exist (known: {', '.join(known)})"
                          + (f"; {hint}" if hint else ""))
    raw: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
    for key in ("landing", "lakehouse", "tables"):
        if isinstance(raw.get(key), str) and not raw[key].startswith("/"):
            raw[key] = str((config_dir.parent / raw[key]).resolve())
    allowed = [f.name for f in fields(Environment) if f.name != "name"]
    for key, value in (overrides or {}).items():
        if key not in allowed:
            hint = did_you_mean(key, allowed)
            raise ConfigError(f"--set {key}=...: unknown setting (settings: {', '.join(allowed)})"
                              + (f"; {hint}" if hint else ""))
        is_local_path = key in ("landing", "lakehouse", "tables") and not value.startswith("/Volumes")
        raw[key] = str(Path(value).resolve()) if is_local_path else value
    validate_config(raw, path)
    return Environment(name=name, **raw)


def validate_config(raw: dict[str, Any], path: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text())
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(raw))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ConfigError(f"{path}: {where}: {error.message}")
