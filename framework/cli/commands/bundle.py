from __future__ import annotations

import argparse

from framework.bundle import BUNDLE_FILE, plan_jobs, render_bundle
from framework.bundle.jobs import ENVIRONMENT
from framework.cli.commands.base import Command
from framework.cli.context import Context
from framework.config import load_environment, project_root


def _configure(parser: argparse.ArgumentParser) -> None:
    pass


def _run(context: Context, args: argparse.Namespace) -> int:
    path = project_root() / BUNDLE_FILE
    path.write_text(render_bundle(context.specs, load_environment(ENVIRONMENT)))
    jobs = plan_jobs(context.specs)
    print(f"wrote {path}: {len(jobs)} jobs ({sum(len(job.tasks) for job in jobs)} tasks), "
          "each for classic and serverless compute")
    return 0


COMMAND = Command("bundle", f"write {BUNDLE_FILE}: the Databricks jobs (classic and serverless) of tables/",
                  _configure, _run)
