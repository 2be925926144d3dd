"""Row counts, last change and column types of the lakehouse's tables, for the docs site."""

from __future__ import annotations

from typing import Any

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
        rows = int(lakehouse.rows(f"SELECT count(*) FROM {name}")[0][0])
        last = lakehouse.rows(f"DESCRIBE HISTORY {name} LIMIT 1")[0]
        stats[table] = TableStats(rows, f"{last['timestamp']:%Y-%m-%d %H:%M:%S} ({last['operation'].lower()})")
        types[table] = {f.name: f.dataType.simpleString() for f in lakehouse.table(table).schema.fields}
    return stats, types


#: the gold table the run report charts, and the columns it reads
GOLD = "member_monthly_snapshot_gold"


def gold_summary(lakehouse: Lakehouse) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """PMPM per month (total cost over member months) and the risk-tier mix of the last 12 months
    of the gold table; empty when it does not exist."""
    if not lakehouse.exists(GOLD):
        return [], []
    rows = lakehouse.rows(f"SELECT format_string('%04d-%02d', year, month) AS month, risk_tier AS tier, "
                         f"sum(member_months) AS members, sum(total_cost) AS cost FROM {lakehouse.name(GOLD)} "
                         "GROUP BY year, month, risk_tier ORDER BY month, tier")
    totals: dict[str, list[float]] = {}  # month -> [members, cost], in month order
    for row in rows:
        month = totals.setdefault(row["month"], [0.0, 0.0])
        month[0] += float(row["members"] or 0)
        month[1] += float(row["cost"] or 0)
    pmpm = [{"month": m, "members": int(members), "pmpm": round(cost / members, 2)}
            for m, (members, cost) in totals.items() if members]
    recent = set(list(totals)[-12:])
    return pmpm, [{"month": r["month"], "tier": r["tier"], "members": int(r["members"])} for r in rows if r["month"] in recent]
