"""Read delivered CSV files with the declared schema, keeping every value that does not fit.

Synthea files of different versions have different headers, so a read schema is built per
header (Spark's CSV reader maps columns by position). Values that fail their declared type are
never nulled silently: the row keeps the raw value in `_rescued_data` and says why in
`_rescue_reason`. A clean value costs one cheap test; the reasons and the rescued values
are built only for rows with a problem.

Files whose RFC 4180 quoted fields hold line breaks (found by the pre-scan) are read apart, in
Spark's multi-line mode with that quote: a record is then one row, its line breaks kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StringType, StructField, StructType

from framework.engine.bronze.landing import RFC_QUOTE, FileScan
from framework.engine.types import spark_type
from framework.specs.bronze import BronzeSpec, Column
from framework.specs.targets.expressions import quote as column_sql
from framework.text import sql_string

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
END = r"\z"  # regex: the very end of the text
_PLACES = r"^[+-]?[0-9]*\.?([0-9]*?)0*(?:[eE][+-]?[0-9]+)?$"  # the digits after the point, less trailing zeros
_EXPONENT = r"[eE]([+-]?[0-9]+)$"


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
    typed, checked, layout = _bronze_steps(group, run_id=run_id, run_timestamp=run_timestamp)
    return raw.selectExpr(*typed).selectExpr(*checked).selectExpr(*layout)


@dataclass(frozen=True)
class Check:
    """One way a row can be bad: its flag (SQL over the typed values), and for flagged rows the
    reason and the raw value to rescue (SQL over the raw columns)."""

    flag: str
    reason: str
    rescued: tuple[str, str] | None = None  # (key in _rescued_data, raw value)


def _bronze_steps(group: ReadGroup, *, run_id: str, run_timestamp: str) -> tuple[list[str], list[str], list[str]]:
    """Three select lists, as SQL text (a DataFrame gets each in one call: built with Column
    functions, each column of each source cost several round trips to the JVM):

    1. each declared value typed (`__value_<position>`), the raw columns kept;
    2. one flag per check (`__bad_<n>`);
    3. the bronze layout: values, metadata, and for flagged rows the reasons and the raw values.

    Apart, each check's code is generated once. In one select it was generated wherever the
    check was used (the value, the row's flag, the reason, the rescued value): claims_transactions'
    stage was one method of 57 KB, against 25 KB in three."""
    fields = _fields(group)
    width = len(group.header)
    typed = ["*", "_metadata.file_path AS source_file"]
    checks = [Check(f"({column_sql(CORRUPT)} IS NOT NULL AND size({fields}) != {width})",
                    _format(f"line has %d fields, the header has {width}", f"size({fields})"),
                    ("_line", column_sql(CORRUPT)))]
    values: dict[str, str] = {}
    for position, (name, column) in enumerate((h, group.spec.column(h)) for h in group.header):
        if column is None:
            values[name] = column_sql(name)
            continue
        value = f"__value_{position}"
        expression, check = _typed(name, column, _field(fields, position, group.multiline), value)
        typed.append(f"{expression} AS {value}")
        values[column.name] = value if check is None else _when(f"NOT __bad_{len(checks)}", value)
        if check is not None:
            checks.append(check)
    for missing in group.missing_required:
        checks.append(Check("TRUE", sql_string(f"column {missing} is missing from the file's header")))
    if group.has_invalid_utf8:
        text = f"concat_ws(',', {', '.join(f'CAST({column_sql(h)} AS STRING)' for h in group.header)})"
        checks.append(Check(f"contains({text}, {sql_string(chr(0xFFFD))})",
                            sql_string("invalid UTF-8 bytes (shown as U+FFFD)"), ("_text_with_invalid_utf8", text)))
    flags = [f"__bad_{n}" for n in range(len(checks))]
    checked = ["*", *(f"{check.flag} AS {flag}" for check, flag in zip(checks, flags, strict=True))]
    # A clean row pays for one test of its flags: the reason and the rescued values are built
    # only for rows with a problem. No higher-order function (map_filter): Spark compiles none
    # into a stage's code, and the whole select ran outside whole-stage code generation.
    flagged = "(" + " OR ".join(flags) + ")"
    reason = f"concat_ws('; ', {', '.join(_when(f, c.reason) for c, f in zip(checks, flags, strict=True))})"
    rescued = [(sql_string(c.rescued[0]), _when(f, c.rescued[1]))
               for c, f in zip(checks, flags, strict=True) if c.rescued is not None]
    anything = f"coalesce({', '.join(v for _, v in rescued)}) IS NOT NULL"
    # to_json leaves out the null fields: only the values rescued are written
    rescued_json = f"to_json(named_struct({', '.join(f'{k}, {v}' for k, v in rescued)}), map('ignoreNullFields', 'true'))"
    layout = [
        *(f"{values.get(c.name, f'CAST(NULL AS {c.sql_type})')} AS {column_sql(c.name)}" for c in group.spec.columns),
        *(f"{values[h]} AS {column_sql(h)}" for h in group.unknown_columns),
        f"CAST({sql_string(run_timestamp)} AS TIMESTAMP) AS ingest_timestamp",
        "source_file",
        f"{sql_string(run_id)} AS ingest_run_id",
        f"{_when(f'{flagged} AND {anything}', rescued_json)} AS _rescued_data",
        f"{_when(flagged, reason)} AS _rescue_reason",
    ]
    return typed, checked, layout


def _format(template: str, value: str) -> str:
    return f"format_string({sql_string(template)}, {value})"


def _when(condition: str, value: str, otherwise: str | None = None) -> str:
    rest = f" ELSE {otherwise}" if otherwise is not None else ""
    return f"(CASE WHEN {condition} THEN {value}{rest} END)"


def _fields(group: ReadGroup) -> str:
    """The corrupt line cut at its delimiters (for multi-line files: only those outside quotes,
    that is those followed by an even number of quote characters)."""
    delimiter = re.escape(group.spec.options.get("delimiter", ","))
    if not group.multiline:
        return f"split({column_sql(CORRUPT)}, {sql_string(delimiter)}, -1)"
    q = re.escape(group.multiline)
    pattern = f"{delimiter}(?=(?:[^{q}]*{q}[^{q}]*{q})*[^{q}]*" + END + ")"
    return f"split({column_sql(CORRUPT)}, {sql_string(pattern)}, -1)"


def _field(fields: str, position: int, quote: str | None) -> str:
    """The field at `position` of the corrupt line, its quotes taken off (multi-line files)."""
    field = f"try_element_at({fields}, {position + 1})"
    if quote is None:
        return field
    q = re.escape(quote)
    quoted, content = sql_string(f"(?s)^{q}.*{q}" + END), sql_string(f"(?s)^{q}(.*){q}" + END)
    inner = f"regexp_replace(regexp_extract({field}, {content}, 1), {sql_string(q + q)}, {sql_string(quote)})"
    return _when(f"{field} RLIKE {quoted}", inner, field)


def _beyond_full_scale(text: str) -> str:
    """The text has digits beyond FULL_SCALE after the point, which the full-precision parse
    would round away ("1.2345678901234567E-5" is 21 places). Only a text longer than
    FULL_SCALE + 1 characters, or one with an exponent, can: the others cost two cheap tests."""
    suspicious = f"(length({text}) > {FULL_SCALE + 1} OR contains({text}, 'E') OR contains({text}, 'e'))"
    places = f"regexp_extract({text}, {sql_string(_PLACES)}, 1)"
    written = f"regexp_extract({text}, {sql_string(_EXPONENT)}, 1)"
    exponent = _when(f"{written} = ''", "0", f"try_cast({written} AS BIGINT)")
    # an exponent too long for a long is beyond any scale: coalesce to True, never to NULL
    return _when(suspicious, f"coalesce(length({places}) - {exponent} > {FULL_SCALE}, TRUE)", "FALSE")


def _within_scale(text: str, scale: int) -> str:
    """The text has no exponent and at most `scale` characters after its first point: two
    searches and a length, no parse."""
    point = f"instr({text}, '.')"
    return (f"(({point} = 0 OR length({text}) - {point} <= {scale}) "
            f"AND NOT contains({text}, 'e') AND NOT contains({text}, 'E'))")


def _typed(name: str, column: Column, cut: str, value: str) -> tuple[str, Check | None]:
    """The typed value of a declared column (SQL over the raw columns), and its check (None when
    it cannot be bad), whose flag reads the typed value as `value`; `cut` is the column's field
    cut from the corrupt line."""
    if not _reads_as_text(column):
        # the reader flags the row (fills _corrupt_record) when a value does not parse
        flag = f"({column_sql(CORRUPT)} IS NOT NULL AND {value} IS NULL AND {cut} IS NOT NULL AND {cut} != '')"
        return column_sql(name), Check(flag, _format(f"{column.name}: '%s' is not {TYPE_WORDS[column.type]}", cut),
                                       (column.name, cut))
    text = column_sql(name)
    if column.nulls:
        text = _when(f"{text} IN ({', '.join(sql_string(n) for n in column.nulls)})", "NULL", text)
    if column.type == "string":
        return text, None
    if column.sql_type.startswith("DECIMAL"):
        # The usual value has no exponent and at most the declared places: a direct cast cannot
        # round it, so it is exact or null (not a number, or too many digits). Any other value is
        # parsed at full precision, then fitted: one that would round is refused.
        short = _within_scale(text, int(column.sql_type.rstrip(")").rsplit(",", 1)[1]))
        exact = f"try_cast({text} AS DECIMAL(38,{FULL_SCALE}))"
        fitted = f"try_cast({exact} AS {column.sql_type})"  # try_: ANSI mode raises on overflow
        wrong = f"({fitted} IS NULL OR {fitted} != {exact} OR {_beyond_full_scale(text)})"  # no exact: no fitted
        flag = f"({text} IS NOT NULL AND {_when(short, f'{value} IS NULL', wrong)})"
        reason = _format(f"{column.name}: '%s' does not fit {column.sql_type} exactly", text)
        return (_when(short, f"try_cast({text} AS {column.sql_type})", fitted),
                Check(flag, reason, (column.name, column_sql(name))))
    words = TYPE_WORDS.get(column.type, column.type)
    return (f"try_cast({text} AS {column.sql_type})",
            Check(f"({text} IS NOT NULL AND {value} IS NULL)", _format(f"{column.name}: '%s' is not {words}", text),
                  (column.name, column_sql(name))))
