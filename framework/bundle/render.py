"""Render `databricks.yml` from the planned jobs and the template shipped in `templates/`."""

from __future__ import annotations

import json
from dataclasses import dataclass

import jinja2

from framework.bundle.jobs import ENTRY_POINT, PACKAGE, plan_jobs
from framework.config import Environment
from framework.runtimes import deployed
from framework.specs.catalog import SpecCatalog

BUNDLE_FILE = "databricks.yml"
TEMPLATE = "databricks.yml.j2"
#: The wheel the artifact build writes, as databricks.yml (at the project root) refers to it.
WHEEL = "./dist/*.whl"


@dataclass(frozen=True)
class Compute:
    """One way to run the jobs; each job is deployed once per compute, its name suffixed."""

    suffix: str
    serverless: bool


COMPUTES = (Compute("", serverless=False), Compute("_serverless", serverless=True))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("framework.bundle", "templates"),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, autoescape=False)
    # A JSON string is a valid YAML scalar: values with `$`, `:` or `*` need no further thought.
    env.filters["q"] = json.dumps
    return env


def render_bundle(catalog: SpecCatalog, databricks: Environment) -> str:
    """The text of databricks.yml: the jobs of a catalog's specs, run in the `databricks`
    environment (its schema is the default of `schema_name`), on the runtime of framework/runtimes.json.
    Deterministic: no dates, sorted."""
    template = _environment().get_template(TEMPLATE)
    return template.render(jobs=plan_jobs(catalog), computes=COMPUTES, package=PACKAGE, entry_point=ENTRY_POINT,
                           wheel=WHEEL, environment=databricks.name, schema=databricks.schema,
                           runtime=deployed())
