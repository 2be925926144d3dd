"""Identifiers: UUID-shaped hex strings drawn from seeded generators.

Like Synthea's patient, encounter and claim ids, they carry no valid RFC 4122 version bits.
Dimension ids (organizations, providers, payers) are name-based: the same seed and name give
the same id in every delivery.
"""

from __future__ import annotations

import random


def new_id(rng: random.Random) -> str:
    """The next id from ``rng`` (8-4-4-4-12 lowercase hex)."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def keyed_rng(seed: int, *parts: object) -> random.Random:
    """A generator of its own for one purpose: ``Random`` seeded with a string is hashed with
    SHA-512, so the stream is stable across processes and Python versions, and independent of
    every other purpose's stream."""
    return random.Random(":".join([str(seed), *(str(p) for p in parts)]))


def named_id(seed: int, *parts: object) -> str:
    """A name-based id: a function of the seed and the parts only."""
    return new_id(keyed_rng(seed, "id", *parts))
