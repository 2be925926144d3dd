"""What a run tells its user: progress lines while it works, located findings as they happen
(and once more, errors last, at the end)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
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
    live: bool = False  # print warnings and errors when they are found, not only at the end
    stage: str = ""  # the pipeline step running now (recorded with each finding)
    listeners: list[Callable[[str, Finding], None]] = field(default_factory=list)  # (stage, finding)
    # loads that run at once report one finding at a time (a listener numbers what it writes)
    _adding: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def progress(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def add(self, level: str, where: str, message: str, action: str | None = None) -> None:
        finding = Finding(level, where, message, action)
        with self._adding:
            self.findings.append(finding)
            if self.live and not self.quiet and level != "info":
                print(finding, file=self.stream, flush=True)
            for listener in self.listeners:
                listener(self.stage, finding)

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
