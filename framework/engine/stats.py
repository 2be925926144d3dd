"""Row counts, last change and column types of the lakehouse's tables, for the docs site."""

from __future__ import annotations

from framework.engine.lakehouse import Lakehouse
from framework.site.docs import TableStats


def table_stats(lakehouse: Lakehouse, tables: list[str]) -> tuple[dict[str, TableStats], dict[str, dict[str, str]]]:
    """Per existing table: its rows and last commit (time and operation), and its column types."""
    stats: dict[str, TableStats] = {}
    types: dict[str, dict[str, str]] = {}
    existing = lakehouse.tables()
    for table in tables:
        if table not in existing:
            continue
        name = lakehouse.name(table)
        rows = int(lakehouse.sql(f"SELECT count(*) FROM {name}").collect()[0][0])
        last = lakehouse.sql(f"DESCRIBE HISTORY {name} LIMIT 1").collect()[0]
        stats[table] = TableStats(rows, f"{last['timestamp']:%Y-%m-%d %H:%M:%S} ({last['operation'].lower()})")
        types[table] = {f.name: f.dataType.simpleString() for f in lakehouse.table(table).schema.fields}
    return stats, types
