"""The engine must run on serverless compute (Spark Connect only). This scan fails on the APIs
that do not exist there: RDDs, the SparkContext, input_file_name() and caching."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FRAMEWORK = Path(__file__).resolve().parents[1] / "framework"
FORBIDDEN_ATTRIBUTES = {"rdd": "RDDs", "sparkContext": "the SparkContext", "_jsc": "the JVM SparkContext",
                        "_jvm": "the JVM gateway"}
FORBIDDEN_CALLS = {"cache": "cache()", "persist": "persist()", "checkpoint": "checkpoint()",
                   "localCheckpoint": "localCheckpoint()"}
FORBIDDEN_NAMES = {"input_file_name": "input_file_name() (use the _metadata column)", "SparkContext": "the SparkContext"}
FORBIDDEN_SQL = ("input_file_name(", "CACHE TABLE", "cache table")


def offences(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"line {node.lineno}: .{node.attr} uses {FORBIDDEN_ATTRIBUTES[node.attr]}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in FORBIDDEN_CALLS:
            found.append(f"line {node.lineno}: {FORBIDDEN_CALLS[node.func.attr]}")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"line {node.lineno}: .{node.attr} uses {FORBIDDEN_NAMES[node.attr]}")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"line {node.lineno}: {node.id} uses {FORBIDDEN_NAMES[node.id]}")
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in FORBIDDEN_NAMES:
            found.append(f"line {node.lineno}: imports {node.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [f"line {node.lineno}: SQL text uses {s}" for s in FORBIDDEN_SQL if s in node.value]
    return found


@pytest.mark.parametrize("path", sorted(FRAMEWORK.rglob("*.py")), ids=lambda p: str(p.relative_to(FRAMEWORK)))
def test_framework_uses_no_classic_only_spark_api(path: Path) -> None:
    assert offences(path.read_text()) == []


@pytest.mark.parametrize("snippet", ["df.rdd.map(f)", "spark.sparkContext.setLogLevel('x')",
                                     "from pyspark.sql.functions import input_file_name", "df.cache()",
                                     "df.persist()", "spark.sql('CACHE TABLE t')", "F.input_file_name()",
                                     "df.localCheckpoint()", "spark._jsc"])
def test_the_scan_catches_each_forbidden_use(snippet: str) -> None:
    assert offences(snippet)
