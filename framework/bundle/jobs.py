"""The pipeline's Databricks jobs, planned from the spec catalog.

Two jobs: bronze ingestion (one task per source, all in parallel, then the archive of what they
ingested) and the silver/gold load (one task per bronze source's current state, then one task per
target; each layer waits for the layer before it, and a target that reads another target of its
own layer waits for that one too).
Every task is the same wheel entry point with a `--layer` and a `--table`, so a table added as
YAML becomes a task when `medallion bundle` runs again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from framework.specs.catalog import SpecCatalog
from framework.specs.current import current_sources
from framework.specs.targets.model import TARGET_LAYERS

PACKAGE = "medallion_framework"
ENTRY_POINT = "medallion-task"  # [project.scripts] in pyproject.toml
ENVIRONMENT = "databricks"  # configs/databricks.yml: the runtime the tasks run in
#: Each run's environment comes from bundle variables, so one deployment serves any catalog.
OVERRIDES = ("catalog=${var.catalog_name}", "schema=${var.schema_name}", "landing=${var.base_volume_path}")
ARCHIVE_TASK = "archive"


@dataclass(frozen=True)
class Task:
    key: str
    layer: str  # a step of framework.cli.pipeline.STEPS
    table: str | None = None  # what `--table` names: a bronze source or a target table
    depends_on: tuple[str, ...] = ()

    @property
    def parameters(self) -> list[str]:
        """The entry point's command line: the same for classic and serverless compute."""
        args = ["--env", ENVIRONMENT, "--layer", self.layer]
        if self.table is not None:
            args += ["--table", self.table]
        for override in OVERRIDES:
            args += ["--set", override]
        return args


@dataclass(frozen=True)
class Job:
    name: str  # the job's name and its resource key (`databricks bundle run <name>`)
    description: str
    cron: str  # Quartz cron expression, in UTC
    tasks: tuple[Task, ...]


def bronze_job(catalog: SpecCatalog) -> Job:
    sources = [Task(spec.table, "bronze", source) for source, spec in sorted(catalog.bronze.items())]
    archive = Task(ARCHIVE_TASK, "archive", depends_on=tuple(t.key for t in sources))
    return Job("daily_bronze_ingestion_incr",
               "Ingest new landing files into every bronze table (one task per source), then archive them.",
               "0 0 2 * * ?", (*sources, archive))


def targets_job(catalog: SpecCatalog) -> Job:
    # first the current state of each bronze source a target reads, one task each: the parallel
    # target loads then only read them
    tasks: list[Task] = [Task(catalog.bronze[s].current_table, "current", s) for s in current_sources(catalog)]
    before: tuple[str, ...] = tuple(t.key for t in tasks)  # the tasks of the previous non-empty layer
    for layer in TARGET_LAYERS:
        specs: dict[str, Any] = catalog.by_kind.get(layer, {})
        layer_tasks = [Task(spec.table, layer, table, before + _same_layer_reads(spec, specs))
                       for table, spec in sorted(specs.items())]
        tasks += layer_tasks
        before = tuple(t.key for t in layer_tasks) or before
    return Job("daily_silver_load_incr",
               "Load the new bronze rows into silver (one task per target), then gold.",
               "0 30 2 * * ?", tuple(tasks))


def _same_layer_reads(spec: Any, layer_specs: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(layer_specs[name].table for name in spec.sources if name in layer_specs and name != spec.table))


#: The jobs in the order databricks.yml lists them.
JOBS = (bronze_job, targets_job)


def plan_jobs(catalog: SpecCatalog) -> list[Job]:
    """The jobs that have work: no target specs, no load job (Databricks wants tasks in a job)."""
    jobs = [build(catalog) for build in JOBS]
    return [job for job in jobs if job.tasks]
