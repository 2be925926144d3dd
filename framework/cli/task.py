"""`medallion-task`: the generic task every Databricks job task runs (a python_wheel_task).

One pipeline step for one table: `--layer bronze|archive|current|silver|gold [--table NAME]`, in the
environment `--env NAME` with `--set key=value` overrides, exactly as `medallion run` would.
On Databricks the runtime owns the Spark session (classic job clusters and serverless alike);
with `--env local` the embedded local session starts, or a caller (a test) hands one in.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from framework.cli.context import Context
from framework.cli.pipeline import LAYERS, STEPS, run_layers
from framework.config import Environment
from framework.config.arguments import add_environment_arguments, environment_of, exit_status
from framework.config.errors import ConfigError
from framework.text import did_you_mean

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="medallion-task", description="Run one pipeline step for one table.")
    add_environment_arguments(parser, example="catalog=main")
    parser.add_argument("--layer", required=True, choices=list(STEPS), help="the step to run")
    parser.add_argument("--table", default=None,
                        help="a bronze source or a silver/gold table (default: every table of the layer)")
    return parser


def runtime_session(env: Environment) -> SparkSession | None:
    """The session Databricks gives a wheel task; None for a local environment (started lazily)."""
    if env.is_local:
        return None
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
    # Synthea's datetimes end in Z and its dates have no zone: read and write them in UTC.
    # (One of the settings serverless compute lets a session change.)
    session.conf.set("spark.sql.session.timeZone", "UTC")
    # as the local session has it (framework/engine/session.py); serverless may refuse it
    # (CONFIG_NOT_AVAILABLE): the planner then runs with it on
    with contextlib.suppress(Exception):
        session.conf.set("spark.sql.constraintPropagation.enabled", "false")
    # HotSpot leaves methods over 8,000 bytes of bytecode to the interpreter unless told otherwise
    # (local JVMs are: COMPILE_HUGE_METHODS). A compiled stage bigger than that (bronze's typed read
    # of a wide source) then runs as separate small methods, which compile: Spark's advice on HotSpot.
    with contextlib.suppress(Exception):
        session.conf.set("spark.sql.codegen.hugeMethodLimit", "8000")
    return session


def _check_table(context: Context, layer: str, table: str | None) -> None:
    """Fail on a table the layer does not have, before any work (a typo in a job must not pass)."""
    if table is None:
        return
    if layer not in LAYERS:
        raise ConfigError(f"--layer {layer} works on every table at once: it takes no --table")
    known = set(context.specs.by_kind.get(layer, {}))
    if layer == "current":
        from framework.specs.current import current_sources

        known = set(current_sources(context.specs))
    if table not in known:
        hint = did_you_mean(table, set(known))
        raise ConfigError(f"--table {table}: no {layer} table of that name" + (f"; {hint}" if hint else ""))


def run_task(argv: Sequence[str] | None = None, spark: SparkSession | None = None) -> int:
    """Run the task; return the exit status. `spark` replaces the session the environment would use."""
    args = build_parser().parse_args(argv)

    def run() -> int:
        env = environment_of(args)
        context = Context(env=env)
        _check_table(context, args.layer, args.table)
        context.spark_session = spark or runtime_session(env)
        return run_layers(context, [args.layer], [args.table] if args.table else None)

    return exit_status(run)


def main(argv: Sequence[str] | None = None) -> None:
    """The console script. Databricks ignores a return value, so a failure raises SystemExit
    (which fails the task); success returns normally."""
    code = run_task(argv)
    if code:
        raise SystemExit(code)


if __name__ == "__main__":
    main()
