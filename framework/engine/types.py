"""Spark data types of the spec's SQL type names, built without asking the JVM (works on
Spark Connect before any query has run)."""

from __future__ import annotations

import re

from pyspark.sql import types as T

_SIMPLE: dict[str, T.DataType] = {
    "STRING": T.StringType(), "DATE": T.DateType(), "TIMESTAMP": T.TimestampType(), "INT": T.IntegerType(),
    "BIGINT": T.LongType(), "DOUBLE": T.DoubleType(), "BOOLEAN": T.BooleanType(),
}
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")


def spark_type(sql_type: str) -> T.DataType:
    upper = sql_type.upper()
    if upper in _SIMPLE:
        return _SIMPLE[upper]
    match = _DECIMAL.match(upper)
    if match:
        return T.DecimalType(int(match.group(1)), int(match.group(2)))
    raise ValueError(f"unsupported SQL type {sql_type!r}")


def struct(columns: dict[str, str]) -> T.StructType:
    return T.StructType([T.StructField(name, spark_type(sql_type)) for name, sql_type in columns.items()])
