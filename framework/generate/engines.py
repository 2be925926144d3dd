"""The generator engines `medallion generate --engine` chooses from.

Every engine takes ``landing`` plus ``patients`` and ``seed`` keywords and returns a
:class:`GenerateReport`; ``options`` names the further keywords it understands, so a caller
can tell an option that does not apply apart from one that does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from framework.generate.api import generate
from framework.generate.report import GenerateReport
from framework.generate.synthea import generate_synthea


@dataclass(frozen=True)
class Engine:
    name: str
    description: str
    run: Callable[..., GenerateReport]
    options: frozenset[str]


ENGINES: dict[str, Engine] = {
    engine.name: engine
    for engine in (
        Engine("builtin", "the pure-Python sample generator (any Synthea 3.x header layout, delivery series)",
               generate, frozenset({"synthea_version", "deliveries", "delivery", "re_export", "end_date"})),
        Engine("synthea", "real Synthea from Maven Central, run with Java (one full export per run)",
               generate_synthea, frozenset({"synthea_release", "end_date", "progress"})),
    )
}
