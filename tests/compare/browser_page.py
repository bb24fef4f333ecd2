"""Headless Chromium from the system packages, driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import io
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_browser() -> None:
    """Skip unless Chromium and Playwright are installed; fail when Chinese fonts are missing,
    since the report's labels would then draw as empty boxes."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        assert fonts.strip(), "no Chinese font installed: apt-get install fonts-noto-cjk"


@contextmanager
def open_page(html: Path, width: int = 1400, height: int = 1000):
    """The page with `problems`: every console error and uncaught page error, in order."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith(("file:", "data:"))
                    else problems.append(f"network request: {r.url}")
                ),
            )
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.problems = problems
            yield page
        finally:
            browser.close()


def inked_share(png: bytes) -> float:
    """Share of the pixels of a screenshot that are not the white background."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / (image.width * image.height)
