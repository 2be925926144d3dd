"""Where in a file the rescued values sit: line numbers for messages that show no values.

Logs name file, line, column and reason, never the value (a misplaced SSN must not reach job
logs). Spark does not know line numbers, so for the few files with rescued rows the lines are
found in Python afterwards: the raw values Spark rescued are matched against the file's fields.
"""

from __future__ import annotations

from collections.abc import Mapping

from framework.engine.bronze.landing import BOM, FileScan, open_data

LINE = "_line"  # the rescued whole line of a row with the wrong number of fields


def locate(scan: FileScan, positions: Mapping[str, int | None], values: Mapping[str, set[str]], delimiter: str,
           limit: int = 3) -> dict[str, list[int]]:
    """For each rescued column (its position in the header; None: the whole line), the first
    `limit` line numbers (1-based, the header is line 1) holding one of its rescued values."""
    found: dict[str, list[int]] = {key: [] for key in values}
    open_keys = set(values)
    with open_data(scan.path) as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 or not open_keys:
                if not open_keys:
                    break
                continue
            text = raw.removeprefix(BOM).decode("utf-8", errors="replace").rstrip("\r\n")
            fields = text.split(delimiter)
            for key in list(open_keys):
                position = positions.get(key)
                value = text if position is None else (fields[position] if position < len(fields) else None)
                if value is not None and value in values[key]:
                    found[key].append(number)
                    if len(found[key]) >= limit:
                        open_keys.discard(key)
    return found
