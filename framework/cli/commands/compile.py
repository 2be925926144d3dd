from __future__ import annotations

import argparse

from framework.cli.commands.base import Command
from framework.cli.context import Context
from framework.specs.compiled import full_build, target_spec


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--table", required=True, help="a silver or gold table")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--full", action="store_true", help="only the full build (no Spark needed)")
    only.add_argument("--incremental", action="store_true", help="only the incremental load")


def _run(context: Context, args: argparse.Namespace) -> int:
    spec = target_spec(context.specs, args.table)
    name = context.env.table_name
    if not args.incremental:
        print(f"-- full build of {spec.table} ({spec.layer}): the rows CREATE OR REPLACE TABLE {name(spec.table)} "
              f"writes\n{full_build(context.specs, spec.table, name)};")
    if args.full:
        return 0
    from framework.engine.compiled import compile_incremental

    context.reading()  # it reads the control table and the sources' versions; it runs nothing
    compiled = compile_incremental(context.lakehouse, context.specs, spec.table)
    if isinstance(compiled, str):
        print(f"-- incremental load of {spec.table}: none, {compiled}")
        return 0
    how = "every scope recomputed" if compiled.every_scope else "the scopes the changes touch, recomputed" + "".join(
        f", and the rows of {moved}" for moved in compiled.moved)
    print(f"-- incremental load of {spec.table} over its sources now ({how}); the load also records the "
          "versions it read in medallion_control")
    for statement in compiled.statements:
        print(f"{statement};\n")
    return 0


COMMAND = Command("compile", "print the SQL of a target's full build and of its next incremental load, without running it",
                  _configure, _run)
