"""How commands print rows: an aligned text table, CSV or JSON lines."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMATS = ("table", "csv", "json")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def render(columns: list[str], rows: list[dict[str, Any]], form: str) -> str:
    if form == "json":
        return "\n".join(json.dumps({c: _plain(r[c]) for c in columns}, ensure_ascii=False) for r in rows)
    if form == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if r[c] is None else _plain(r[c]) for c in columns] for r in rows])
        return out.getvalue().rstrip("\n")
    cells = [[("NULL" if r[c] is None else str(_plain(r[c]))) for c in columns] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
