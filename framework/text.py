"""Text helpers every layer may import: a "did you mean" hint and a Spark SQL string literal.

Standard library only: the ground the layers stand on (tests/test_layers.py refuses it any
framework import).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection


def did_you_mean(name: str, known: Collection[str]) -> str | None:
    """A "did you mean ...?" hint for a misspelt name, or None."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if not close:
        lowered = {k.lower(): k for k in known}
        if name.lower() in lowered:
            close = [lowered[name.lower()]]
    return f"did you mean {close[0]!r}?" if close else None


def sql_string(value: str) -> str:
    """A Spark SQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
