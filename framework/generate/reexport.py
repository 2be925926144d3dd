"""Full re-exports: delivery K written the way real Synthea writes a later export of one population.

Real Synthea never sends deltas (``../shared/spec/synthea-csv.md``, Deliveries): an export at a
later end date has every file whole again. A re-export K here is therefore

- the facts of deliveries 1..K, each row byte for byte as the delivery series writes it, with
  two exceptions Synthea has too: an ongoing prescription (STOP empty) appears once, as of the
  export's end (its DISPENSES, TOTALCOST and PAYER_COVERAGE grow from one export to the next),
  and a prescription re-sent with its STOP replaces its earlier open row;
- the dimension files of delivery K (running totals such as HEALTHCARE_EXPENSES as of K);
- claims_transactions renumbered: ``ID`` drawn afresh for every export, ``CHARGEID`` counted
  from 1 in every file with the newest delivery's lines first, so the earlier lines get other
  CHARGEIDs than in the previous export. Lines keep their order within a claim (and TRANSFEROUTID
  follows its CHARGEID), which is what identifies a line across exports: (claim, position).

Claims, encounters and every other id stay what they were.
"""

from __future__ import annotations

import shutil
import tempfile
from io import TextIOWrapper
from pathlib import Path

from framework.generate.ids import keyed_rng, new_id
from framework.generate.records import prescription_row
from framework.generate.schema import HEADERS, Row
from framework.generate.simulator import Simulation
from framework.generate.sink import FileSink
from framework.generate.timeline import delivery_window

DIMENSIONS = frozenset({"patients", "payer_transitions", "organizations", "providers", "payers"})
_TX = HEADERS["claims_transactions"]
_ID, _CHARGE, _TRANSFER_OUT = _TX.index("ID"), _TX.index("CHARGEID"), _TX.index("TRANSFEROUTID")
_STOP = HEADERS["medications"].index("STOP")


class ReExportSink:
    """Takes the rows of deliveries 1..K in turn (:meth:`begin` each) and writes one re-export.

    claims_transactions rows wait in a scratch file per delivery until :meth:`finish`, when the
    number of lines of every delivery is known and CHARGEID can be assigned newest first.
    """

    def __init__(self, files: FileSink, last: int, label: str, seed: int) -> None:
        self._files = files
        self._last = last
        self._label = label  # names this export: its ids differ from every other export's
        self._seed = seed
        self._step = 0
        self._scratch = Path(tempfile.mkdtemp(prefix="medallion-reexport-"))
        self._spools: list[Path] = []
        self._handle: TextIOWrapper | None = None

    def begin(self, step: int) -> None:
        self._close_spool()
        self._step = step
        path = self._scratch / f"claims_transactions.{step}"
        self._spools.append(path)
        self._handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in _close_spool

    def add(self, source: str, row: Row) -> None:
        if source in DIMENSIONS and self._step != self._last:
            return
        if source == "medications" and not row[_STOP]:
            return  # ongoing: written once, as of the export's end, by finish()
        if source == "claims_transactions":
            assert self._handle is not None
            self._handle.write(",".join(row) + "\n")  # Synthea values hold no commas or newlines
            return
        self._files.add(source, row)

    def finish(self, simulation: Simulation, end: int) -> None:
        """Write the ongoing prescriptions as of ``end`` and the renumbered transactions."""
        for person in simulation.people:
            for med in person.ongoing:
                self._files.add("medications", prescription_row(person, med, None, end))
        self._close_spool()
        self._renumber()

    def close(self) -> None:
        """Remove the scratch files (also after a failure)."""
        self._close_spool()
        shutil.rmtree(self._scratch, ignore_errors=True)

    def _close_spool(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _renumber(self) -> None:
        counts = []
        for path in self._spools:
            with open(path, "rb") as handle:
                counts.append(sum(1 for _ in handle))
        rng = keyed_rng(self._seed, "re-export transactions", self._label)
        for step in reversed(range(len(self._spools))):
            # Within a delivery CHARGEID runs 1, 2, ... in file order: shift it past the newer ones.
            offset = sum(counts[step + 1:])
            with open(self._spools[step], encoding="utf-8") as handle:
                for line in handle:
                    row = line.rstrip("\n").split(",")
                    row[_ID] = new_id(rng)
                    row[_CHARGE] = str(offset + int(row[_CHARGE]))
                    if row[_TRANSFER_OUT]:
                        row[_TRANSFER_OUT] = str(offset + int(row[_TRANSFER_OUT]))
                    self._files.add("claims_transactions", tuple(row))


def write_re_export(simulation: Simulation, files: FileSink, last: int, end: int | None) -> None:
    """Simulate deliveries 1..``last`` (the last one up to ``end`` when given) into one re-export."""
    end = end if end is not None else delivery_window(last)[1]
    sink = ReExportSink(files, last, str(end), simulation.seed)  # the export's end names it
    try:
        while simulation.delivered < last:
            sink.begin(simulation.delivered + 1)
            simulation.step(sink, end if simulation.delivered + 1 == last else None)
        sink.finish(simulation, end)
    finally:
        sink.close()
