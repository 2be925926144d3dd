"""Load every YAML spec under a tables folder, validated, into one catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml

from framework.specs.catalog import SpecCatalog
from framework.specs.errors import Problem, SpecError
from framework.specs.kinds import KINDS
from framework.specs.yaml_source import Located, line_at, load_yaml
from framework.text import did_you_mean


def spec_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yml") if p.is_file())


def collect(root: Path) -> tuple[SpecCatalog, list[Problem]]:
    """Parse and validate everything; return the catalog and every problem found."""
    catalog = SpecCatalog(root=root)
    problems: list[Problem] = []
    if not root.is_dir():
        return catalog, [Problem(root, None, "tables folder not found",
                                 "pass --set tables=<folder> or run from the project checkout")]
    for path in spec_files(root):
        try:
            doc = load_yaml(path)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problems.append(Problem(path, mark.line + 1 if mark else None, f"not valid YAML: {error}"))
            continue
        if not isinstance(doc, Located):
            problems.append(Problem(path, 1, "a spec file must hold a mapping (kind: ..., ...)"))
            continue
        kind = KINDS.get(str(doc.get("kind")))
        if kind is None:
            problems.append(Problem(path, line_at(doc, ["kind"]), f"unknown kind {doc.get('kind')!r}",
                                    did_you_mean(str(doc.get("kind")), set(KINDS))))
            continue
        errors = sorted(jsonschema.Draft202012Validator(kind.schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            problems.extend(_schema_problem(path, doc, error) for error in errors)
            continue
        catalog.documents[path] = doc
        spec = kind.parse(doc, path)
        name = _spec_name(spec)
        if name in catalog.by_kind[kind.name]:
            other = catalog.by_kind[kind.name][name].file
            problems.append(Problem(path, doc.line, f"{kind.name} {name!r} is also defined in {other}"))
            continue
        catalog.by_kind[kind.name][name] = spec
    problems.extend(_duplicate_tables(catalog))
    for kind in KINDS.values():
        problems.extend(kind.validate(catalog))
    return catalog, problems


def load_catalog(root: Path) -> SpecCatalog:
    """The catalog of a tables folder; raises SpecError listing every problem."""
    catalog, problems = collect(root)
    if problems:
        raise SpecError(problems)
    return catalog


def _spec_name(spec: Any) -> str:
    return str(getattr(spec, "source", None) or spec.table)


def _duplicate_tables(catalog: SpecCatalog) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems = []
    for kind, specs in catalog.by_kind.items():
        if not KINDS[kind].produces_table:
            continue
        for spec in specs.values():
            if spec.table in seen:
                problems.append(Problem(spec.file, None, f"table {spec.table!r} is also produced by {seen[spec.table]}"))
            seen[spec.table] = spec.file
    return problems


def _schema_problem(path: Path, doc: Located, error: jsonschema.ValidationError) -> Problem:
    location = list(error.absolute_path)
    where = "/".join(str(p) for p in location) or "(top level)"
    hint = None
    line = line_at(doc, location)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict) and isinstance(error.schema, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            hint = did_you_mean(str(extra[0]), allowed)
            line = line_at(doc, [*location, str(extra[0])])
    elif error.validator == "enum" and isinstance(error.instance, str) and isinstance(error.validator_value, list):
        hint = did_you_mean(error.instance, {str(v) for v in error.validator_value})
    return Problem(path, line, f"{where}: {error.message}", hint)
