"""The generator's entry point."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from framework.generate.fmt import DAY, ts
from framework.generate.reexport import write_re_export
from framework.generate.report import FileReport, GenerateReport
from framework.generate.schema import SOURCES, check_version
from framework.generate.simulator import Simulation
from framework.generate.sink import FileSink, NullSink
from framework.generate.timeline import delivery_at


def file_names(delivery: int, width: int | None) -> dict[str, str]:
    """``<source>.csv`` for a single delivery, ``<source>.delivery-07.csv`` in a series
    (zero-padded, so that lexical order is delivery order)."""
    if width is None:
        return {s: f"{s}.csv" for s in SOURCES}
    return {s: f"{s}.delivery-{delivery:0{width}d}.csv" for s in SOURCES}


def generate(
    landing: Path,
    *,
    patients: int = 1000,
    seed: int = 42,
    synthea_version: str = "3.4",
    deliveries: int = 1,
    delivery: int | None = None,
    re_export: bool = False,
    end_date: date | None = None,
) -> GenerateReport:
    """Write Synthea-format CSV deliveries into ``<landing>/<source>/``.

    - ``deliveries=N`` (and ``delivery=None``): deliveries 1..N, named ``<source>.csv`` when
      N is 1 and ``<source>.delivery-01.csv`` ... otherwise.
    - ``delivery=K``: only delivery K, named ``<source>.csv``; its content is the same as
      delivery K of any series.

    Delivery 1 is the full history (2020-2024); delivery K >= 2 re-sends the dimensions
    (patients, payer_transitions, organizations, providers, payers) and holds only the new
    facts of its quarter. Output is byte-for-byte a function of (patients, seed,
    synthea_version, K).

    ``re_export=True`` writes full re-exports instead, as real Synthea delivers: re-export K
    holds everything up to the end of delivery K again (see :mod:`framework.generate.reexport`),
    or up to ``end_date`` (the delivery is then the one whose window holds the date).
    """
    check_version(synthea_version)
    end: int | None = None
    if end_date is not None:
        if not re_export:
            raise ValueError("an end date applies to re-exports only (re_export=True, --re-export)")
        end = ts(end_date.year, end_date.month, end_date.day) + DAY - 1
        at = delivery_at(end)
        if delivery is None and deliveries > 1:
            raise ValueError("end_date gives one re-export: ask for one delivery, not a series")
        if delivery is not None and delivery != at:
            raise ValueError(f"end_date {end_date} lies in delivery {at}'s window, not in delivery {delivery}'s")
        delivery = at
    if deliveries < 1:
        raise ValueError("deliveries must be at least 1")
    if delivery is not None:
        if delivery < 1:
            raise ValueError("delivery must be at least 1")
        if deliveries > 1 and delivery > deliveries:
            raise ValueError(f"delivery {delivery} is beyond deliveries={deliveries}")
        wanted: tuple[int, ...] = (delivery,)
        width: int | None = None
    else:
        wanted = tuple(range(1, deliveries + 1))
        width = None if deliveries == 1 else max(2, len(str(deliveries)))

    began = time.perf_counter()
    landing = Path(landing)
    report = GenerateReport(landing, patients, seed, synthea_version, wanted)
    if re_export:
        for k in wanted:
            simulation = Simulation(patients, seed)
            sink = FileSink(landing, file_names(k, width), synthea_version, simulation.world.no_insurance.id)
            write_re_export(simulation, sink, k, end)
            _close(report, sink, k)
        report.seconds = time.perf_counter() - began
        return report
    simulation = Simulation(patients, seed)
    no_insurance = simulation.world.no_insurance.id
    while simulation.delivered < max(wanted):
        k = simulation.delivered + 1
        if k not in wanted:
            simulation.step(NullSink())
            continue
        sink = FileSink(landing, file_names(k, width), synthea_version, no_insurance)
        simulation.step(sink)
        _close(report, sink, k)
    report.seconds = time.perf_counter() - began
    return report


def _close(report: GenerateReport, sink: FileSink, k: int) -> None:
    sink.close()
    for source in SOURCES:
        if source in sink.paths:
            report.files.append(FileReport(source, k, sink.paths[source], sink.counts[source]))
