"""`medallion check`: run the reconciliation checks declared beside each target.

Each check kind is one SQL query returning the failing rows' keys (a few, for the message)
and how many failed. Failures of `error` checks fail the run; `warn` checks are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from framework.engine.lakehouse import Lakehouse
from framework.engine.report import Report
from framework.specs.catalog import SpecCatalog
from framework.specs.current import current_sources
from framework.specs.reconcile import Check, CheckSet
from framework.specs.targets.sources import target_specs

SAMPLES = 5


@dataclass(frozen=True)
class CheckResult:
    table: str
    check: Check
    failed: int
    samples: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True)
class Scope:
    """What a check runs against: the target table and how to name its rows and sources."""

    lakehouse: Lakehouse
    catalog: SpecCatalog
    table: str
    key: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.lakehouse.name(self.table)

    @property
    def key_sql(self) -> str:
        return key_sql(self.key)

    def source(self, name: str | None) -> str:
        """A check's `source` names a bronze source (read as targets read it: its current state,
        when it keeps one) or a target table."""
        spec = self.catalog.bronze.get(name or "")
        if spec is None:
            return self.lakehouse.name(name or "")
        return self.lakehouse.name(spec.current_table if spec.source in current_sources(self.catalog) else spec.table)

    def failing(self, query: str, key: str) -> tuple[int, tuple[str, ...]]:
        row = self.lakehouse.sql(
            f"SELECT count(*) AS n, slice(collect_list({key}), 1, {SAMPLES}) AS keys FROM ({query})").first()
        assert row is not None
        return int(row["n"]), tuple(str(k) for k in row["keys"])


def key_sql(key: tuple[str, ...]) -> str:
    return key[0] if len(key) == 1 else "concat_ws('/', " + ", ".join(f"cast({k} AS STRING)" for k in key) + ")"


def _unique(scope: Scope, check: Check) -> tuple[int, tuple[str, ...]]:
    columns = ", ".join(check.columns)
    return scope.failing(f"SELECT {columns} FROM {scope.name} GROUP BY {columns} HAVING count(*) > 1",
                         key_sql(check.columns))


def _not_null(scope: Scope, check: Check) -> tuple[int, tuple[str, ...]]:
    condition = " OR ".join(f"{c} IS NULL" for c in check.columns)
    return scope.failing(f"SELECT * FROM {scope.name} WHERE {condition}", scope.key_sql)


def _non_negative(scope: Scope, check: Check) -> tuple[int, tuple[str, ...]]:
    condition = " OR ".join(f"{c} < 0" for c in check.columns)
    return scope.failing(f"SELECT * FROM {scope.name} WHERE {condition}", scope.key_sql)


def _references(scope: Scope, check: Check) -> tuple[int, tuple[str, ...]]:
    """Rows whose reference resolves nowhere: orphans (e.g. facts ahead of their patient row)."""
    query = (f"SELECT t.* FROM {scope.name} t LEFT ANTI JOIN (SELECT DISTINCT {check.to} AS ref "
             f"FROM {scope.source(check.source)}) r ON t.{check.column} = r.ref WHERE t.{check.column} IS NOT NULL")
    return scope.failing(query, scope.key_sql)


def _conservation(scope: Scope, check: Check) -> tuple[int, tuple[str, ...]]:
    """Every distinct source key has exactly one target row, and no target row lacks a source key."""
    source_key = key_sql(check.source_key)
    source_keys = f"SELECT DISTINCT {source_key} AS k FROM {scope.source(check.source)} WHERE {source_key} IS NOT NULL"
    target_keys = f"SELECT {key_sql(check.key)} AS k FROM {scope.name}"
    query = (f"SELECT concat('missing ', k) AS k FROM (({source_keys}) EXCEPT ({target_keys})) "
             f"UNION ALL SELECT concat('extra ', k) FROM (({target_keys}) EXCEPT ({source_keys}))")
    return scope.failing(query, "k")


CHECK_KINDS: dict[str, Callable[[Scope, Check], tuple[int, tuple[str, ...]]]] = {
    "unique": _unique, "not_null": _not_null, "non_negative": _non_negative, "references": _references,
    "conservation": _conservation,
}


def _report(report: Report, table: str, check: Check, result: CheckResult, file: Path) -> None:
    """A failing check as a finding: an error check's fails the run, a warn check's is a warning,
    and a warn check whose failures the spec expects (late-arriving rows, say) is a note saying why."""
    where, found = f"{table}: check {check.name}", f"{result.failed:,} failing row(s), e.g. {', '.join(result.samples)}"
    if check.severity == "warn" and check.expected:
        report.info(where, f"{found}: expected ({check.expected}); a warn check, it never fails the run",
                    f"see {file} if this persists over deliveries")
        return
    report.add("error" if check.severity == "error" else "warning", where, found,
               f"see {file}; query the table with `medallion sql` to inspect them")


def run_checks(lakehouse: Lakehouse, catalog: SpecCatalog, report: Report,
               tables: list[str] | None = None) -> list[CheckResult]:
    targets = target_specs(catalog)
    check_sets: dict[str, CheckSet] = catalog.by_kind.get("checks", {})
    results: list[CheckResult] = []
    for table, check_set in sorted(check_sets.items()):
        if (tables is not None and table not in tables) or not lakehouse.exists(table):
            continue
        scope = Scope(lakehouse, catalog, table, targets[table].key)
        first = len(results)
        for check in check_set.checks:
            failed, samples = CHECK_KINDS[check.kind](scope, check)
            result = CheckResult(table, check, failed, samples)
            results.append(result)
            if not result.passed:
                _report(report, table, check, result, check_set.file)
        # a line per table as its checks finish (each check is a query over the table)
        mine = results[first:]
        report.progress(f"checks: {table}: {sum(r.passed for r in mine)}/{len(mine)} passed")
    return results
