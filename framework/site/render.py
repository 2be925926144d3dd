"""Shared by the docs site and the run reports: the Jinja environment and the vendored assets."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

VENDOR = Path(__file__).resolve().parent / "vendor"
ASSETS = "assets"


def _environment() -> Environment:
    return Environment(loader=PackageLoader("framework.site", "templates"), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def write_page(path: Path, template: str, **values: Any) -> Path:
    """Render a template to `path`, with the vendored scripts (and their licenses) beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    assets = path.parent / ASSETS
    assets.mkdir(exist_ok=True)
    for source in VENDOR.iterdir():
        target = assets / source.name
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, target)
    path.write_text(_environment().get_template(template).render(assets=ASSETS, **values), encoding="utf-8")
    return path
