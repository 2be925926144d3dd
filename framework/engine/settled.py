"""A lakehouse a complete run left settled: the next run with nothing new answers without Spark.

After a full `medallion run` that ends without an error, the run writes down what it left: the
latest commit of every table of the schema (read from the `_delta_log` folders, no Spark), a
hash of the specs, the environment and the framework's code. A later run first looks again:
when the landing folder holds nothing to take (no file, no stray entry, no unknown folder), no
run journal is waiting (no run died since) and the lakehouse and specs are exactly as that run
left them, every table is up to date by construction (a load is a function of bronze, the specs
and the control table, all unchanged), so the run says so and stops before Spark starts.
Anything else (a new file, a table written by `medallion sql` or `rebuild`, a changed spec, a
crash) makes a normal run. Local lakehouses only: on Databricks each task loads its own table.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from framework.config import Environment
from framework.engine.bronze.landing import survey
from framework.engine.readers import schema_folders
from framework.engine.runlog import journal_folder

STATE = "settled.json"
FRAMEWORK = Path(__file__).resolve().parents[1]  # the engine's own code: another version may load otherwise


def _state_file(env: Environment) -> Path:
    return env.lakehouse_path / "_state" / env.schema / STATE


def fingerprint(env: Environment) -> dict[str, object]:
    """What a run's outcome depends on: every table's latest commit, the specs, the settings, the code."""
    tables = {t.name: _latest_commit(t) for f in schema_folders(env.lakehouse_path) if f.schema == env.schema
              for t in f.tables}
    return {"tables": tables, "specs": _digest(env.tables_path, "*"), "environment": asdict(env),
            "framework": _digest(FRAMEWORK, "*.py")}


def _digest(folder: Path, pattern: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _latest_commit(table: Path) -> int:
    return max(int(p.name.split(".")[0]) for p in (table / "_delta_log").glob("*.json"))


def settle(env: Environment, run_id: str) -> None:
    """Write down what a complete run without errors left."""
    path = _state_file(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"run_id": run_id, **fingerprint(env)}, indent=1), encoding="utf-8")
    temporary.replace(path)


def settled_by(env: Environment, sources: set[str]) -> str | None:
    """The id of the complete run the lakehouse is still exactly as left by, with nothing new in
    landing; None when a run has work to do (or may have)."""
    try:
        saved = json.loads(_state_file(env).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    landing = survey(env.landing_path, sources)
    if any(landing.files.values()) or any(landing.ignored.values()) or landing.unknown_folders or landing.stray_files:
        return None
    journals = journal_folder(env)
    if journals.is_dir() and any(journals.iterdir()):
        return None
    run_id = saved.pop("run_id", None)
    return str(run_id) if run_id and saved == json.loads(json.dumps(fingerprint(env))) else None
