"""The specs layer's allowlist is the running Spark's function registry, not a stale copy."""

from __future__ import annotations

from typing import Any

from framework.engine.functions import builtin_names
from framework.specs.spark_builtins import BUILTINS


def test_the_committed_builtins_are_the_running_sparks_registry(spark: Any) -> None:
    running = builtin_names(spark)
    assert running == set(BUILTINS), (
        f"missing: {sorted(running - BUILTINS)}, gone: {sorted(BUILTINS - running)}; "
        "regenerate with `python -m framework.engine.functions`")
