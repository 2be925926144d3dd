"""The compatibility tier's input: the smallest two-delivery sample that drives every step.

Each delivery is the generator's for the sources the targets read (a handful of patients;
delivery 2 re-sends the dimensions and adds new facts: an incremental run), plus the hand-written target deliveries
(a patient who moved, a dimension arriving after its facts, corrected and duplicate facts, a
Synthea 3.0 export with columns missing), plus the bronze edge cases: values that do not fit
their type, a malformed line, invalid UTF-8 and a column no spec knows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from framework.generate import generate
from framework.generate import header as synthea_header
from tests.engine.targets import deliveries as targets
from tests.helpers import write_bytes

PATIENTS = 6
SEED = 7
#: what the silver and gold targets read; every other source runs the same bronze code, which
#: observations and immunizations (below) exercise: each source costs the pipeline Spark jobs
READ_BY_TARGETS = ("patients", "payers", "organizations", "providers", "payer_transitions", "encounters", "claims",
                   "claims_transactions", "conditions", "medications", "procedures")
#: every source with files in the sample
SOURCES = (*READ_BY_TARGETS, "observations", "immunizations")


def write_sample(root: Path) -> list[Path]:
    """Write the two deliveries into `root/1` and `root/2`; return them in delivery order."""
    first, second = root / "1", root / "2"
    for number, folder in ((1, first), (2, second)):
        generate(folder, patients=PATIENTS, seed=SEED, deliveries=2, delivery=number)
        for source in folder.iterdir():
            if source.name not in READ_BY_TARGETS:
                shutil.rmtree(source)
    targets.write(first, targets.d1(), "targets-d1")
    _damaged_observations(first)
    targets.write(second, targets.d2(), "targets-d2")
    targets.write(second, targets.d3_old_export(), "targets-d3-synthea-3.0")
    _immunizations_with_a_new_column(second)
    return [first, second]


def _damaged_observations(landing: Path) -> None:
    """A bad date, a bad number, a short line, a long line and a byte that is not UTF-8."""
    columns = synthea_header("observations", "3.4")
    good = {"DATE": "2023-01-10T09:00:00Z", "PATIENT": "p1", "ENCOUNTER": "e1", "CATEGORY": "vital-signs",
            "CODE": "8302-2", "DESCRIPTION": "Body Height", "VALUE": "170.2", "UNITS": "cm", "TYPE": "numeric"}
    rows = [dict(good), {**good, "DATE": "2023-13-45T09:00:00Z"}, {**good, "VALUE": "12O.5", "TYPE": "numeric"}]
    lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]
    lines += [",".join(["2023-01-10T09:00:00Z", "p1"]), ",".join([good.get(c, "") for c in columns] + ["extra"])]
    data = "\n".join(lines).encode() + b"\n" + ",".join(good.get(c, "") for c in columns).encode().replace(
        b"Body Height", b"Body \xff Height") + b"\n"
    write_bytes(landing, "observations", "damaged.csv", data)


def _immunizations_with_a_new_column(landing: Path) -> None:
    columns = [*synthea_header("immunizations", "3.4"), "LOT_NUMBER"]
    rows = [{**row, "LOT_NUMBER": f"L{number}"} for number, row in enumerate(targets.IMMUNIZATIONS)]
    text = "\n".join([",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]) + "\n"
    write_bytes(landing, "immunizations", "with-lot-number.csv", text.encode())
