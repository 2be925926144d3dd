"""`medallion check`: run the reconciliation checks declared beside each target.

Each check kind is a SQL query of the failing rows and the expression naming each (a few, for
the message); a table's checks are counted in one statement (one job instead of one per check).
Failures of `error` checks fail the run; `warn` checks are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from framework.engine.lakehouse import Lakehouse
from framework.engine.parallel import each
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


@dataclass(frozen=True)
class Failing:
    """A check's failing rows (`query`) and how to name one of them (`key`, a SQL expression)."""

    query: str
    key: str


def _count(lakehouse: Lakehouse, failing: list[Failing]) -> list[tuple[int, tuple[str, ...]]]:
    """How many rows each query finds, and a few of their keys, in one statement."""
    if not failing:
        return []
    tallies = " UNION ALL ".join(
        f"SELECT {i} AS i, count(*) AS n, slice(collect_list(CAST({f.key} AS STRING)), 1, {SAMPLES}) AS keys "
        f"FROM ({f.query})" for i, f in enumerate(failing))
    rows = {row["i"]: row for row in lakehouse.rows(tallies)}
    return [(int(rows[i]["n"]), tuple(rows[i]["keys"])) for i in range(len(failing))]


def key_sql(key: tuple[str, ...]) -> str:
    return key[0] if len(key) == 1 else "concat_ws('/', " + ", ".join(f"cast({k} AS STRING)" for k in key) + ")"


def _unique(scope: Scope, check: Check) -> Failing:
    columns = ", ".join(check.columns)
    return Failing(f"SELECT {columns} FROM {scope.name} GROUP BY {columns} HAVING count(*) > 1", key_sql(check.columns))


def _not_null(scope: Scope, check: Check) -> Failing:
    condition = " OR ".join(f"{c} IS NULL" for c in check.columns)
    return Failing(f"SELECT * FROM {scope.name} WHERE {condition}", scope.key_sql)


def _non_negative(scope: Scope, check: Check) -> Failing:
    condition = " OR ".join(f"{c} < 0" for c in check.columns)
    return Failing(f"SELECT * FROM {scope.name} WHERE {condition}", scope.key_sql)


def _references(scope: Scope, check: Check) -> Failing:
    """Rows whose reference resolves nowhere: orphans (e.g. facts ahead of their patient row)."""
    query = (f"SELECT t.* FROM {scope.name} t LEFT ANTI JOIN (SELECT DISTINCT {check.to} AS ref "
             f"FROM {scope.source(check.source)}) r ON t.{check.column} = r.ref WHERE t.{check.column} IS NOT NULL")
    return Failing(query, scope.key_sql)


def _conservation(scope: Scope, check: Check) -> Failing:
    """Every distinct source key has exactly one target row, and no target row lacks a source key."""
    source_key = key_sql(check.source_key)
    source_keys = f"SELECT DISTINCT {source_key} AS k FROM {scope.source(check.source)} WHERE {source_key} IS NOT NULL"
    target_keys = f"SELECT {key_sql(check.key)} AS k FROM {scope.name}"
    query = (f"SELECT concat('missing ', k) AS k FROM (({source_keys}) EXCEPT ({target_keys})) "
             f"UNION ALL SELECT concat('extra ', k) FROM (({target_keys}) EXCEPT ({source_keys}))")
    return Failing(query, "k")


CHECK_KINDS: dict[str, Callable[[Scope, Check], Failing]] = {
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
    """Every check of the given tables (default: all). Each table's checks are counted in one
    statement, two tables at a time; what they found is reported afterwards, table by table, so
    that the run log lists it in the same order in every run."""
    targets = target_specs(catalog)
    check_sets: dict[str, CheckSet] = catalog.by_kind.get("checks", {})

    def check_table(table: str) -> list[CheckResult]:
        checks = check_sets[table].checks
        scope = Scope(lakehouse, catalog, table, targets[table].key)
        counts = _count(lakehouse, [CHECK_KINDS[check.kind](scope, check) for check in checks])
        return [CheckResult(table, check, failed, samples) for check, (failed, samples) in zip(checks, counts, strict=True)]

    checked = [t for t in sorted(check_sets) if (tables is None or t in tables) and lakehouse.exists(t)]
    results = []
    for table, mine in zip(checked, each(checked, check_table), strict=True):
        for result in mine:
            if not result.passed:
                _report(report, table, result.check, result, check_sets[table].file)
        report.progress(f"checks: {table}: {sum(r.passed for r in mine)}/{len(mine)} passed")
        results += mine
    return results
