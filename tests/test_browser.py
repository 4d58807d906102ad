"""A real browser opens reports/index.html and one report: figures load, no link is broken.

Headless Chromium comes from the system (``make chromium``); the test skips,
loudly, only when no Chromium can be found. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from parstats import reports

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def find_chromium() -> str | None:
    """Return the Chromium executable: $PARSTATS_CHROMIUM, the usual paths, or PATH."""
    for exe in (os.environ.get("PARSTATS_CHROMIUM"), *CANDIDATES):
        if exe and os.access(exe, os.X_OK):
            return exe
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = find_chromium()
    if exe is None:
        message = (
            "\n" + "#" * 78 + "\n# BROWSER TEST SKIPPED: no Chromium found."
            "\n# Run `make chromium` or set PARSTATS_CHROMIUM=/path/to/chromium.\n" + "#" * 78
        )
        print(message)
        pytest.skip(message)
    return exe


def _broken_links(page, base: Path) -> list[str]:
    """Return the relative links of the page whose target file does not exist."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    broken = []
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.scheme or href.startswith("#"):
            continue  # in-page anchors; the reports link nowhere else
        if not (base / unquote(parsed.path)).is_file():
            broken.append(href)
    return broken


def _images(page) -> list[int]:
    page.wait_for_load_state("load")
    return page.evaluate("[...document.images].map(i => i.complete ? i.naturalWidth : 0)")


def test_index_and_a_report_open_with_every_figure_and_link(project_home: Path, chromium: str):
    from playwright.sync_api import sync_playwright
    from test_reports_runner import build_processed

    build_processed()
    result = reports.run_reports(reports.default_jobs(["Đắk Lắk"], [2023]), progress=False)
    assert not result.failed, result.failed
    index = project_home / "reports" / "index.html"
    ARTIFACTS.mkdir(exist_ok=True)

    failed_requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_FLAGS))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("requestfailed", lambda r: failed_requests.append(r.url))

            page.goto(index.as_uri())
            assert "Province reports" in page.inner_text("h1")
            assert _broken_links(page, index.parent) == []
            page.screenshot(path=str(ARTIFACTS / "reports_index.png"), full_page=True)

            page.click("text=2023")
            page.wait_for_load_state("load")
            assert page.url.endswith("/reports/dak-lak/2023.html")
            widths = _images(page)
            assert len(widths) >= 4, "the report should show its figures"
            assert all(w > 0 for w in widths), f"figures that did not load: {widths}"
            assert _broken_links(page, project_home / "reports" / "dak-lak") == []
            assert "province_report(" not in page.content()  # no code cells
            assert "Missing data" in page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / "report_dak-lak_2023.png"), full_page=True)
        finally:
            browser.close()
    assert failed_requests == [], f"requests that failed (offline page?): {failed_requests}"
