"""The typed read's plan on real Spark: every source's select compiles into one stage."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

from framework.engine.bronze.landing import scan_file
from framework.engine.bronze.reader import group_files, read_group
from tests.helpers import shipped_catalog

#: Spark's defaults, which tests.helpers.TEST_SPARK_SUBMIT_ARGS turns off for the test tier
CODE_GENERATION = {"spark.sql.codegen.wholeStage": "true", "spark.sql.codegen.factoryMode": "FALLBACK"}


def test_every_sources_typed_read_is_one_compiled_stage(spark: Any, tmp_path: Path) -> None:
    """A select that falls out of whole-stage code generation (a higher-order function such as
    map_filter did) runs each row through generic projections: claims_transactions' parse took
    a fifth longer. The test tier's session runs without code generation: it is on here, as
    Spark has it by default."""
    saved = {key: spark.conf.get(key) for key in CODE_GENERATION}
    for key, value in CODE_GENERATION.items():
        spark.conf.set(key, value)
    try:
        outside = _outside_compiled_stages(spark, tmp_path)
    finally:
        for key, value in saved.items():
            spark.conf.set(key, value)
    assert not any(outside.values()), {s: o for s, o in outside.items() if o}


def _outside_compiled_stages(spark: Any, tmp_path: Path) -> dict[str, list[str]]:
    """Per source: the projections of its typed read that are not in a compiled stage."""
    outside: dict[str, list[str]] = {}
    for source, spec in sorted(shipped_catalog().bronze.items()):
        path = tmp_path / f"{source}.csv"
        path.write_text(",".join(spec.column_names) + "\n" + ",".join("" for _ in spec.column_names) + "\n")
        group, = group_files(spec, [scan_file(path)])
        plan = io.StringIO()
        with contextlib.redirect_stdout(plan):
            read_group(spark, group, run_id="r", run_timestamp="2026-01-01T00:00:00Z").explain()
        operators = [line.lstrip(" +-:") for line in plan.getvalue().splitlines() if "Project [" in line]
        assert operators, plan.getvalue()
        outside[source] = [o[:80] for o in operators if not o.startswith("*(")]
    return outside
