"""Silver and gold target specs: model, parsing, checks and SQL planning (no Spark here)."""

from framework.specs.targets.model import TARGET_LAYERS, TargetSpec
from framework.specs.targets.sources import target_specs

__all__ = ["TARGET_LAYERS", "TargetSpec", "target_specs"]
