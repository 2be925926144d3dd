"""What a run tells its user: progress lines while it works, located findings at the end."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass(frozen=True)
class Finding:
    level: str  # "error" | "warning" | "info"
    where: str  # table, file or folder it is about
    message: str
    action: str | None = None  # what to do about it

    def __str__(self) -> str:
        text = f"{self.level.upper()}: {self.where}: {self.message}"
        return f"{text}\n    -> {self.action}" if self.action else text


@dataclass
class Report:
    """Collects findings and prints progress to a stream (stderr by default)."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    findings: list[Finding] = field(default_factory=list)
    quiet: bool = False

    def progress(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def add(self, level: str, where: str, message: str, action: str | None = None) -> None:
        self.findings.append(Finding(level, where, message, action))

    def error(self, where: str, message: str, action: str | None = None) -> None:
        self.add("error", where, message, action)

    def warning(self, where: str, message: str, action: str | None = None) -> None:
        self.add("warning", where, message, action)

    def info(self, where: str, message: str, action: str | None = None) -> None:
        self.add("info", where, message, action)

    @property
    def has_errors(self) -> bool:
        return any(f.level == "error" for f in self.findings)

    def of_level(self, level: str) -> list[Finding]:
        return [f for f in self.findings if f.level == level]
