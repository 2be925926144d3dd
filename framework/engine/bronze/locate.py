"""Where in a file the rescued values sit: line numbers for messages that show no values.

Logs name file, line, column and reason, never the value (a misplaced SSN must not reach job
logs). Spark does not know line numbers, so for the few files with rescued rows the lines are
found in Python afterwards: the raw values Spark rescued are matched against the file's fields.
In a file with multi-line quoted fields a record is named by its first line, and a record with
another number of fields than the header is found by its field count.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from framework.engine.bronze.landing import BOM, FileScan, open_data, records

LINE = "_line"  # the rescued whole line of a row with the wrong number of fields


def locate(scan: FileScan, positions: Mapping[str, int | None], values: Mapping[str, set[str]], delimiter: str,
           limit: int = 3) -> dict[str, list[int]]:
    """For each rescued column (its position in the header; None: the whole line), the first
    `limit` line numbers (1-based, the header is line 1) holding one of its rescued values."""
    found: dict[str, list[int]] = {key: [] for key in values}
    open_keys = set(values)
    if not open_keys:
        return found
    for number, text, fields in _rows(scan, delimiter):
        for key in list(open_keys):
            position = positions.get(key)
            if position is None:
                hit = len(fields) != len(scan.header) if text is None else text in values[key]
            else:
                hit = position < len(fields) and fields[position] in values[key]
            if hit:
                found[key].append(number)
                if len(found[key]) >= limit:
                    open_keys.discard(key)
        if not open_keys:
            break
    return found


def _rows(scan: FileScan, delimiter: str) -> Iterator[tuple[int, str | None, list[str]]]:
    """(first line number, the line as written or None for a multi-line file's record, fields)
    of each data row."""
    if scan.multiline:
        for first, _, fields in records(scan.path, delimiter, scan.quote):
            yield first, None, fields
        return
    with open_data(scan.path) as handle:
        for number, raw in enumerate(handle, start=1):
            if number > 1:
                text = raw.removeprefix(BOM).decode("utf-8", errors="replace").rstrip("\r\n")
                yield number, text, text.split(delimiter)
