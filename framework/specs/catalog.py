"""The catalog of a tables folder: every spec by kind, and the parsed documents for locating problems.

A plain container: the kinds' checks read it, so it imports none of them (framework.specs.loader
fills it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framework.specs.bronze import BronzeSpec
from framework.specs.yaml_source import Located


@dataclass
class SpecCatalog:
    root: Path
    documents: dict[Path, Located] = field(default_factory=dict)
    by_kind: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))

    @property
    def bronze(self) -> dict[str, BronzeSpec]:
        """Bronze specs by source name."""
        return self.by_kind["bronze"]
