"""The generator's entry point."""

from __future__ import annotations

import time
from pathlib import Path

from framework.generate.report import FileReport, GenerateReport
from framework.generate.schema import SOURCES, check_version
from framework.generate.simulator import Simulation
from framework.generate.sink import FileSink, NullSink


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
    """
    check_version(synthea_version)
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
    simulation = Simulation(patients, seed)
    report = GenerateReport(landing, patients, seed, synthea_version, wanted)
    no_insurance = simulation.world.no_insurance.id
    while simulation.delivered < max(wanted):
        k = simulation.delivered + 1
        if k not in wanted:
            simulation.step(NullSink())
            continue
        sink = FileSink(landing, file_names(k, width), synthea_version, no_insurance)
        simulation.step(sink)
        sink.close()
        for source in SOURCES:
            if source in sink.paths:
                report.files.append(FileReport(source, k, sink.paths[source], sink.counts[source]))
    report.seconds = time.perf_counter() - began
    return report
