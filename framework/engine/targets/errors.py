"""Exceptions of the target engine."""

from __future__ import annotations


class TargetError(Exception):
    """A target cannot be loaded as asked; the message says what to do."""


class LoadInterrupted(TargetError):
    """Raised at a named checkpoint on request (`interrupt_after=...`), to rehearse a crash."""

    def __init__(self, table: str, checkpoint: str):
        self.table = table
        self.checkpoint = checkpoint
        super().__init__(f"{table}: load interrupted after {checkpoint!r} (as requested)")
