"""Where the framework keeps what it downloads once (Delta's jars, Synthea releases): $MEDALLION_CACHE."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "MEDALLION_CACHE"


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV, Path.home() / ".cache" / "medallion"))
