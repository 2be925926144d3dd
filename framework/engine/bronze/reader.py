"""Read delivered CSV files with the declared schema, keeping every value that does not fit.

Synthea files of different versions have different headers, so a read schema is built per
header (Spark's CSV reader maps columns by position). Values that fail their declared type are
never nulled silently: the row keeps the raw value in `_rescued_data` and says why in
`_rescue_reason`. The common path costs what a bare typed CSV read costs: the rescue
expressions only run for rows Spark already flagged as malformed.

Files whose RFC 4180 quoted fields hold line breaks (found by the pre-scan) are read apart, in
Spark's multi-line mode with that quote: a record is then one row, its line breaks kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from framework.engine.bronze.landing import RFC_QUOTE, FileScan
from framework.engine.types import spark_type
from framework.specs.bronze import BronzeSpec, Column

CORRUPT = "_corrupt_record"
DATE_FORMAT = "yyyy-MM-dd"
TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ssXXX"
#: Types the CSV reader parses itself; others are read as text and converted with checks
#: (decimals, because the reader rounds extra digits away without flagging the row).
READER_TYPES = {"date", "timestamp", "int", "long", "double"}
TYPE_WORDS = {"date": f"a date ({DATE_FORMAT})", "timestamp": "a timestamp (yyyy-MM-ddTHH:mm:ssZ)",
              "int": "an integer", "long": "an integer", "double": "a number"}
#: Decimal text is parsed at DECIMAL(38, FULL_SCALE) before it is fitted to the declared type.
FULL_SCALE = 18


@dataclass(frozen=True)
class ReadGroup:
    """Files of one source that share a header, read together in one pass."""

    spec: BronzeSpec
    header: tuple[str, ...]
    files: tuple[FileScan, ...]

    @property
    def known(self) -> list[tuple[str, Column]]:
        """(header name, declared column) for header columns the spec declares."""
        return [(h, c) for h in self.header if (c := self.spec.column(h)) is not None]

    @property
    def unknown_columns(self) -> list[str]:
        return [h for h in self.header if self.spec.column(h) is None]

    @property
    def missing_required(self) -> list[str]:
        present = {h.lower() for h in self.header}
        return [c for c in self.spec.required_columns if c.lower() not in present]

    @property
    def has_invalid_utf8(self) -> bool:
        return any(f.invalid_utf8_lines for f in self.files)

    @property
    def multiline(self) -> str | None:
        """The quote character, when the group's files are read in multi-line mode."""
        return self.files[0].quote if self.files[0].multiline else None


def group_files(spec: BronzeSpec, scans: Sequence[FileScan]) -> list[ReadGroup]:
    groups: dict[tuple[tuple[str, ...], bool, str | None], list[FileScan]] = {}
    for scan in scans:
        if scan.header:
            key = (scan.header, bool(scan.invalid_utf8_lines), scan.quote if scan.multiline else None)
            groups.setdefault(key, []).append(scan)
    return [ReadGroup(spec, header, tuple(files)) for (header, _, _), files in groups.items()]


def detect_quote(spec: BronzeSpec) -> str:
    """The quote character the pre-scan looks for: the spec's, or RFC 4180's when it has none."""
    quote = spec.options.get("quote", "none")
    return RFC_QUOTE if quote == "none" else quote


def _reads_as_text(column: Column) -> bool:
    return column.type not in READER_TYPES or bool(column.nulls)


def read_schema(group: ReadGroup) -> StructType:
    fields = []
    for name in group.header:
        column = group.spec.column(name)
        if column is None or _reads_as_text(column):
            fields.append(StructField(name, StringType()))
        else:
            fields.append(StructField(name, spark_type(column.sql_type)))
    return StructType([*fields, StructField(CORRUPT, StringType())])


def read_group(spark: SparkSession, group: ReadGroup, *, run_id: str, run_timestamp: str) -> DataFrame:
    """One DataFrame of the group's rows in bronze layout: declared columns, new columns, metadata."""
    options = group.spec.options
    quote = group.multiline or ("" if options.get("quote", "none") == "none" else options["quote"])
    reader = spark.read.format("csv")
    if group.multiline:  # RFC 4180: a doubled quote stands for one
        reader = reader.option("multiLine", "true").option("escape", quote)
    raw = (
        reader
        .schema(read_schema(group))
        .option("header", "true")
        .option("enforceSchema", "true")
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .option("dateFormat", DATE_FORMAT)
        .option("timestampFormat", TIMESTAMP_FORMAT)
        .option("quote", quote)
        .option("sep", options.get("delimiter", ","))
        .option("encoding", "UTF-8")
        .load([str(f.path) for f in group.files])
    )
    values: dict[str, SparkColumn] = {}
    problems: list[tuple[SparkColumn, SparkColumn]] = []  # (is-bad flag, reason text)
    rescued: list[SparkColumn] = []
    corrupt = F.col(CORRUPT).isNotNull()
    fields = _fields(group)
    for position, (name, column) in enumerate((h, group.spec.column(h)) for h in group.header):
        if column is None:
            values[name] = F.col(f"`{name}`")
            continue
        cut = _field(fields, position, group.multiline)
        value, bad, reason = _typed(name, column, cut)
        values[column.name] = value
        if bad is not None:
            problems.append((bad, reason))
            rescued.extend([F.lit(column.name), F.when(bad, _raw(name, column, cut))])
    width = len(group.header)
    short = corrupt & (F.size(fields) != width)
    problems.insert(0, (short, F.format_string(f"line has %d fields, the header has {width}", F.size(fields))))
    rescued.extend([F.lit("_line"), F.when(short, F.col(CORRUPT))])
    for missing in group.missing_required:
        problems.append((F.lit(True), F.lit(f"column {missing} is missing from the file's header")))
    if group.has_invalid_utf8:
        text = F.concat_ws(",", *[F.col(f"`{h}`").cast("string") for h in group.header])
        problems.append((text.contains("\ufffd"), F.lit("invalid UTF-8 bytes (shown as U+FFFD)")))
        rescued.extend([F.lit("_text_with_invalid_utf8"), F.when(text.contains("\ufffd"), text)])
    # A clean row pays for one cheap test: the reason text and the rescue map are built only
    # for rows with a problem (a map per row would cost more than the parse itself).
    flagged = reduce(lambda a, b: a | b, [bad for bad, _ in problems])
    reason = F.concat_ws("; ", *[F.when(bad, text) for bad, text in problems])
    rescued_map = F.map_filter(F.create_map(*rescued), lambda _k, v: v.isNotNull())
    columns = [
        values.get(c.name, F.lit(None).cast(c.sql_type)).alias(c.name) for c in group.spec.columns
    ] + [values[h].alias(h) for h in group.unknown_columns] + [
        F.lit(run_timestamp).cast("timestamp").alias("ingest_timestamp"),
        F.col("_metadata.file_path").alias("source_file"),
        F.lit(run_id).alias("ingest_run_id"),
        F.when(flagged & (F.size(rescued_map) > 0), F.to_json(rescued_map)).alias("_rescued_data"),
        F.when(flagged, reason).alias("_rescue_reason"),
    ]
    return raw.select(*columns)


def _fields(group: ReadGroup) -> SparkColumn:
    """The corrupt line cut at its delimiters (for multi-line files: only those outside quotes,
    that is those followed by an even number of quote characters)."""
    delimiter = group.spec.options.get("delimiter", ",")
    if not group.multiline:
        return F.split(F.col(CORRUPT), delimiter, -1)
    q = re.escape(group.multiline)
    return F.split(F.col(CORRUPT), f"{re.escape(delimiter)}(?=(?:[^{q}]*{q}[^{q}]*{q})*[^{q}]*\\z)", -1)


def _field(fields: SparkColumn, position: int, quote: str | None) -> SparkColumn:
    """The field at `position` of the corrupt line, its quotes taken off (multi-line files)."""
    field = F.try_element_at(fields, F.lit(position + 1))
    if quote is None:
        return field
    q = re.escape(quote)
    inner = F.regexp_replace(F.regexp_extract(field, f"(?s)^{q}(.*){q}\\z", 1), q + q, quote)
    return F.when(field.rlike(f"(?s)^{q}.*{q}\\z"), inner).otherwise(field)


def _raw(name: str, column: Column, field: SparkColumn) -> SparkColumn:
    """The value as written: the text column itself, or the field cut from the corrupt line."""
    if _reads_as_text(column):
        return F.col(f"`{name}`")
    return field


def _beyond_full_scale(text: SparkColumn) -> SparkColumn:
    """The text has digits beyond FULL_SCALE after the point, which the full-precision parse
    would round away ("1.2345678901234567E-5" is 21 places). Only a text longer than
    FULL_SCALE + 1 characters, or one with an exponent, can: the others cost two cheap tests."""
    suspicious = (F.length(text) > FULL_SCALE + 1) | text.contains("E") | text.contains("e")
    places = F.regexp_extract(text, r"^[+-]?[0-9]*\.?([0-9]*?)0*(?:[eE][+-]?[0-9]+)?$", 1)
    written = F.regexp_extract(text, r"[eE]([+-]?[0-9]+)$", 1)
    exponent = F.when(written == "", F.lit(0)).otherwise(written.try_cast("long"))
    # an exponent too long for a long is beyond any scale: coalesce to True, never to NULL
    return F.when(suspicious, F.coalesce(F.length(places) - exponent > FULL_SCALE, F.lit(True))).otherwise(F.lit(False))


def _typed(name: str, column: Column, raw: SparkColumn) -> tuple[SparkColumn, SparkColumn | None, SparkColumn]:
    """(typed value, is-bad flag or None when the column cannot be bad, reason text) of one
    declared column; `raw` is its field cut from the corrupt line."""
    if not _reads_as_text(column):
        # the reader flags the row (fills _corrupt_record) when a value does not parse
        bad = F.col(CORRUPT).isNotNull() & F.col(f"`{name}`").isNull() & raw.isNotNull() & (raw != "")
        words = TYPE_WORDS[column.type]
        return F.col(f"`{name}`"), bad, F.format_string(f"{column.name}: '%s' is not {words}", raw)
    text = F.col(f"`{name}`")
    if column.nulls:
        text = F.when(text.isin(*column.nulls), F.lit(None)).otherwise(text)
    if column.type == "string":
        return text, None, F.lit(None)
    if column.sql_type.startswith("DECIMAL"):
        # parsed once at full precision, then fitted: a value that would round is refused
        exact = F.expr(f"try_cast(`{name}` AS DECIMAL(38,{FULL_SCALE}))")
        if column.nulls:
            exact = F.when(text.isNull(), F.lit(None)).otherwise(exact)
        typed = exact.try_cast(column.sql_type)  # try_: ANSI mode raises on overflow
        bad = text.isNotNull() & (exact.isNull() | typed.isNull() | (typed != exact) | _beyond_full_scale(text))
        reason = F.format_string(f"{column.name}: '%s' does not fit {column.sql_type} exactly", text)
        return F.when(~bad, typed), bad, reason
    typed = F.expr(f"try_cast(`{name}` AS {column.sql_type})")
    if column.nulls:
        typed = F.when(text.isNull(), F.lit(None)).otherwise(typed)
    bad = text.isNotNull() & typed.isNull()
    reason = F.format_string(f"{column.name}: '%s' is not {TYPE_WORDS.get(column.type, column.type)}", text)
    return typed, bad, reason
