"""The local folders a command needs, checked before anything starts: one line, not a traceback.

Reading commands need a lakehouse (and landing) that exists: a mistyped path must not be
created silently, nor answer "no tables". `run` and `generate` write, so they create what is
missing and say so.
"""

from __future__ import annotations

import os
from pathlib import Path

from framework.config import Environment

#: command -> the settings it reads ("lakehouse", "landing"), and whether it may create them
READS: dict[str, tuple[str, ...]] = {"sql": ("lakehouse",), "status": ("lakehouse", "landing"),
                                     "check": ("lakehouse",), "archive": ("lakehouse", "landing"),
                                     "rebuild": ("lakehouse",)}
CREATES: dict[str, tuple[str, ...]] = {"run": ("lakehouse", "landing"), "generate": ("landing",)}
_SYSTEM = (Path("/proc"), Path("/sys"), Path("/dev"))


class PathError(Exception):
    """A folder a command cannot use; the message is the one line to print."""


def check_paths(env: Environment, command: str, say: list[str]) -> None:
    """Raise PathError for an unusable folder; create the ones a writing command needs (noting
    each in `say`)."""
    if not env.is_local:
        return
    for setting in READS.get(command, ()):
        path = _path(env, setting)
        _usable(setting, path)
        if not path.exists():
            raise PathError(f"{setting} {path} does not exist; check --set {setting}=... or the environment's "
                            f"config (`medallion run` creates it)")
    for setting in CREATES.get(command, ()):
        path = _path(env, setting)
        _usable(setting, path)
        if not path.exists():
            try:
                path.mkdir(parents=True)
            except OSError as error:
                raise PathError(f"{setting} {path} cannot be created: {error.strerror or error}") from None
            say.append(f"{setting} {path} did not exist: created it")
        if not os.access(path, os.W_OK | os.X_OK):
            raise PathError(f"{setting} {path} is not writable by this user; choose another folder with --set {setting}=...")


def _path(env: Environment, setting: str) -> Path:
    return env.lakehouse_path if setting == "lakehouse" else env.landing_path


def _usable(setting: str, path: Path) -> None:
    resolved = path.resolve()
    for system in _SYSTEM:
        if resolved == system or system in resolved.parents:
            raise PathError(f"{setting} {path} is under {system}, a system folder, not a place for data; "
                            f"choose another folder with --set {setting}=...")
    if path.exists() and not path.is_dir():
        raise PathError(f"{setting} {path} is a file, not a folder; choose a folder with --set {setting}=...")
