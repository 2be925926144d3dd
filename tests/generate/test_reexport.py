"""Full re-exports (``re_export=True``): every file whole again, as real Synthea delivers. Earlier
rows come again unchanged except claims_transactions ID/CHARGEID, running totals and ongoing
prescriptions; ids of claims and encounters stay; a few percent of rows are new."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from framework.generate import SOURCES, GenerateReport, generate

from .conftest import SERIES
from .helpers import Table, load, rows

RENUMBERED = ("ID", "CHARGEID", "TRANSFEROUTID")
RUNNING_TOTALS = {
    "patients": ("HEALTHCARE_EXPENSES", "HEALTHCARE_COVERAGE"),
    "organizations": ("REVENUE", "UTILIZATION"),
    "providers": ("ENCOUNTERS", "PROCEDURES"),
}
MEDICATION_GROUP = ("PATIENT", "ENCOUNTER", "CODE", "START")
# An ongoing prescription (STOP empty) is dispensed up to the export's end.
GROWING = ("STOP", "PAYER_COVERAGE", "DISPENSES", "TOTALCOST")
FACTS = ("allergies", "careplans", "claims", "conditions", "devices", "encounters", "imaging_studies",
         "immunizations", "observations", "procedures", "supplies")


def _table(landing: Path, source: str, k: int) -> Table:
    table = load(landing, source, k)
    assert table is not None, f"{source} delivery {k}"
    return table


def _lines(landing: Path, source: str, k: int) -> list[str]:
    """The data lines of a file; Synthea 3.4 writes no file for an empty table."""
    table = load(landing, source, k)
    return table.lines if table else []


def _claim_lines(table: Table) -> dict[str, list[tuple[str, ...]]]:
    """Each claim's lines in CHARGEID order, without the renumbered columns."""
    kept = [i for i, name in enumerate(table.header) if name not in RENUMBERED]
    claim, charge = table.header.index("CLAIMID"), table.header.index("CHARGEID")
    lines: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for r in table.rows:
        lines[r[claim]].append((int(r[charge]), tuple(r[i] for i in kept)))
    return {c: [line for _, line in sorted(ls)] for c, ls in lines.items()}


def test_transaction_ids_are_renumbered_in_every_export(reexports: tuple[Path, GenerateReport]) -> None:
    landing, _ = reexports
    tables = [_table(landing, "claims_transactions", k) for k in range(1, SERIES + 1)]
    for earlier, later in itertools.pairwise(tables):
        assert not set(earlier.column("ID")) & set(later.column("ID")), "an ID recurs in the next export"
        charges = [int(c) for c in later.column("CHARGEID")]
        assert sorted(charges) == list(range(1, len(charges) + 1)), "CHARGEID restarts at 1 in every export"
        # the same line (claim, position) has another CHARGEID than in the export before
        before = {(r["CLAIMID"], r["TYPE"], r["FROMDATE"], r["PAYMENTS"], r["AMOUNT"]): r["CHARGEID"]
                  for r in earlier.dicts()}
        moved = [r for r in later.dicts()
                 if before.get((r["CLAIMID"], r["TYPE"], r["FROMDATE"], r["PAYMENTS"], r["AMOUNT"]),
                               r["CHARGEID"]) != r["CHARGEID"]]
        assert len(moved) >= 0.9 * len(earlier)


def test_transfers_follow_their_renumbered_charge(reexports: tuple[Path, GenerateReport]) -> None:
    landing, _ = reexports
    table = _table(landing, "claims_transactions", SERIES)
    by_charge = {r["CHARGEID"]: r for r in table.dicts()}
    transfers = [r for r in table.dicts() if r["TYPE"] == "TRANSFERIN"]
    assert transfers
    for r in transfers:
        out = by_charge[r["TRANSFEROUTID"]]
        assert out["TYPE"] == "TRANSFEROUT" and out["CLAIMID"] == r["CLAIMID"]


def test_earlier_lines_come_again_in_the_same_order_within_their_claim(
        reexports: tuple[Path, GenerateReport]) -> None:
    landing, _ = reexports
    claims = [_claim_lines(_table(landing, "claims_transactions", k)) for k in range(1, SERIES + 1)]
    for earlier, later in itertools.pairwise(claims):
        assert set(earlier) < set(later), "claim ids stay, new claims are added"
        assert all(later[c] == lines for c, lines in earlier.items())


def test_earlier_facts_come_again_byte_identical(reexports: tuple[Path, GenerateReport]) -> None:
    landing, _ = reexports
    for source in FACTS:
        files = [Counter(_lines(landing, source, k)) for k in range(1, SERIES + 1)]
        for earlier, later in itertools.pairwise(files):
            assert not earlier - later, f"{source}: a row of the earlier export is missing or changed"
    ids = [{r["Id"] for r in rows(landing, "encounters", k)} for k in range(1, SERIES + 1)]
    assert ids[0] < ids[1] < ids[2]


def test_each_export_is_the_delivery_series_so_far(series: tuple[Path, GenerateReport],
                                                   reexports: tuple[Path, GenerateReport]) -> None:
    """Apart from renumbering and prescriptions, re-export K holds exactly deliveries 1..K's facts."""
    (deltas, _), (full, _) = series, reexports
    for source in FACTS:
        sent: Counter[str] = Counter()
        for k in range(1, SERIES + 1):
            sent.update(_lines(deltas, source, k))
            assert Counter(_lines(full, source, k)) == sent, f"{source} delivery {k}"
    for source in ("patients", "payer_transitions", "organizations", "providers", "payers"):
        assert _table(full, source, SERIES).lines == _table(deltas, source, SERIES).lines, source


def test_prescriptions_once_per_export_as_of_its_end(series: tuple[Path, GenerateReport],
                                                     reexports: tuple[Path, GenerateReport]) -> None:
    (deltas, _), (full, _) = series, reexports
    exports = [rows(full, "medications", k) for k in range(1, SERIES + 1)]
    groups = [Counter(tuple(m[c] for c in MEDICATION_GROUP) for m in e) for e in exports]
    for k in range(2, SERIES + 1):
        delivered = [m for j in range(1, k + 1) for m in rows(deltas, "medications", j)]
        # a re-sent prescription replaces its open row: the groups are those of the series, once
        assert set(groups[k - 1]) == {tuple(m[c] for c in MEDICATION_GROUP) for m in delivered}
        assert sum(groups[k - 1].values()) < len(delivered)
        earlier = {tuple(m[c] for c in MEDICATION_GROUP): m for m in exports[k - 2] if not m["STOP"]}
        grown = 0
        for m in exports[k - 1]:
            before = earlier.get(tuple(m[c] for c in MEDICATION_GROUP))
            if before is None:
                continue
            assert all(m[c] == before[c] for c in m if c not in GROWING)
            grown += int(m["DISPENSES"]) > int(before["DISPENSES"])
        assert grown, f"no ongoing prescription is dispensed further in export {k}"
    stopped = [Counter(_table(full, "medications", k).lines) for k in range(1, SERIES + 1)]
    for k in range(1, SERIES):
        closed = Counter({line: n for line, n in stopped[k - 1].items() if line.split(",")[1]})
        assert not closed - stopped[k], "a prescription with its STOP comes again unchanged"


def test_dimensions_are_resent_with_running_totals(reexports: tuple[Path, GenerateReport]) -> None:
    landing, _ = reexports
    first = {r["Id"]: r for r in rows(landing, "patients", 1)}
    second = {r["Id"]: r for r in rows(landing, "patients", 2)}
    assert set(first) < set(second)
    totals = RUNNING_TOTALS["patients"]
    changed = [i for i in first if any(first[i][c] != second[i][c] for c in totals)]
    assert 1 <= len(changed) < len(first)
    for i in first:
        assert first[i]["BIRTHDATE"] == second[i]["BIRTHDATE"] and first[i]["SSN"] == second[i]["SSN"]
    for source in ("organizations", "providers"):
        a, b = _table(landing, source, 1), _table(landing, source, 2)
        kept = [i for i, name in enumerate(a.header) if name not in RUNNING_TOTALS[source]]
        assert {tuple(r[i] for i in kept) for r in a.rows} == {tuple(r[i] for i in kept) for r in b.rows}, source
        assert a.lines != b.lines, f"{source}: running totals grow"


def test_a_few_percent_of_rows_are_new(reexports: tuple[Path, GenerateReport]) -> None:
    _, report = reexports
    for k in range(2, SERIES + 1):
        before, now = report.rows("encounters", k - 1), report.rows("encounters", k)
        assert before < now <= 1.15 * before
        assert 1.005 * report.rows("claims_transactions", k - 1) < report.rows("claims_transactions", k)


def test_reexport_k_does_not_depend_on_n_and_is_deterministic(tmp_path: Path,
                                                              reexports: tuple[Path, GenerateReport]) -> None:
    landing, _ = reexports
    generate(tmp_path, patients=40, seed=7, deliveries=5, delivery=2, re_export=True)
    compared = 0
    for source in SOURCES:
        alone = tmp_path / source / f"{source}.csv"
        in_series = landing / source / f"{source}.delivery-02.csv"
        assert alone.exists() == in_series.exists(), source
        if alone.exists():
            assert alone.read_bytes() == in_series.read_bytes(), source
            compared += 1
    assert compared >= 12


def test_an_end_date_cuts_the_last_delivery_short(tmp_path: Path) -> None:
    base = generate(tmp_path / "base", patients=30, seed=3, delivery=1, re_export=True)
    cut = generate(tmp_path / "cut", patients=30, seed=3, re_export=True, end_date=date(2025, 1, 20))
    assert cut.deliveries == (2,)
    encounters = rows(tmp_path / "cut", "encounters")
    assert max(e["START"] for e in encounters) < "2025-01-21"
    assert 1.0 < cut.total_rows / base.total_rows < 1.04
    ids = [{r["ID"] for r in rows(tmp_path / d, "claims_transactions")} for d in ("base", "cut")]
    assert not ids[0] & ids[1]


@pytest.mark.parametrize(("options", "message"), [
    ({"end_date": date(2025, 1, 20)}, "re-exports only"),
    ({"re_export": True, "end_date": date(2019, 12, 31)}, "starts on 2020-01-01"),
    ({"re_export": True, "end_date": date(2025, 1, 20), "delivery": 3}, "lies in delivery 2's window"),
    ({"re_export": True, "end_date": date(2025, 1, 20), "deliveries": 3}, "not a series"),
])
def test_bad_end_dates(tmp_path: Path, options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate(tmp_path, patients=5, **options)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())
