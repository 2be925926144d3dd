"""A headless Chromium (Debian's `chromium`, driven by Playwright) for the page tests; the
screenshots they take go to build/screenshots/ (MEDALLION_SCREENSHOTS moves it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PROJECT

CHROMIUM = ("chromium", "chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = next((p for p in map(shutil.which, CHROMIUM) if p), None)
    if executable is None:
        message = "no chromium on PATH: `make browser` installs Debian's (apt-get install chromium)"
        if os.environ.get("MEDALLION_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=["--no-sandbox", "--allow-file-access-from-files"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1500, "height": 950})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("request", lambda request: errors.append(f"network request: {request.url}")
              if not request.url.startswith(("file:", "data:", "blob:")) else None)
    yield opened
    context.close()
    assert not errors, errors  # no script error, nothing fetched from the network


def screenshot(page: Any, name: str) -> Path:
    folder = Path(os.environ.get("MEDALLION_SCREENSHOTS", PROJECT / "build" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
