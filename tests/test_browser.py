"""A real browser reads the pages as a researcher would: index, reports, a profile.

Headless Chromium comes from the system (``make chromium``); the test skips,
loudly, only when no Chromium can be found. It opens, from ``file://`` and with no
network, the index page, a report of a province with a plan (Kiên Giang 2019), a
report of a province without one (Quảng Ninh 2023) and a province profile, and
fails on what the UX review found: a literal ``<NA>``, ``nan`` or ``None``, a cell
cut with "…", a raw code (``le``, ``ge``, ``digital_government``, a document hash
id), an image without alt text or caption, an empty section, a page without its
summary paragraph, a rank axis that is not integer and inverted from 1 to 63, a
broken link, a request that left the machine. The index page is sorted and
filtered by clicking and typing. Full-page screenshots are kept under the test's
temporary folder (printed), never committed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from parstats import reports

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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

LITERAL_MISSING = re.compile(r"<NA>|\bNaN\b|\bnan\b")
CELL_MISSING = {"<NA>", "nan", "NaN", "None", "NaT"}
RAW_CODES = re.compile(
    r"\b(le|ge|gt|lt|digital_government|civil_service|public_finance|not_yet_due|no_data|"
    r"provincial_programme|department_plan)\b"
)
HASH_ID = re.compile(r"\b\d{3}_[0-9a-f]{16}\b")


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
            continue  # data: downloads and in-page anchors
        if not (base / unquote(parsed.path)).is_file():
            broken.append(href)
    return broken


READ_PAGE = """() => {
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const cells = [...document.querySelectorAll('td, th')].map(c => c.innerText.trim());
  const images = [...document.images].map(i => ({
    alt: i.getAttribute('alt') || '',
    caption: i.closest('figure') && i.closest('figure').querySelector('figcaption')
             ? i.closest('figure').querySelector('figcaption').innerText.trim() : '',
    loaded: i.complete ? i.naturalWidth : 0,
    axes: i.getAttribute('data-axes'),
    visible: visible(i),
  }));
  const sections = [...document.querySelectorAll('section')].map(s => {
    const heading = s.querySelector('h2');
    const text = s.innerText.trim();
    const body = heading ? text.slice(heading.innerText.trim().length).trim() : text;
    return {id: s.id, body: body, collapsed: s.classList.contains('ps-collapsed')};
  });
  const summary = [...document.querySelectorAll('[data-summary] p')]
    .map(p => p.innerText.trim()).filter(t => t.length > 0);
  return {text: document.body.innerText, cells, images, sections, summary};
}"""


def check_page(page, name: str) -> dict:
    """Read the open page and fail on anything a reader should not meet; return what was read."""
    info = page.evaluate(READ_PAGE)
    text = info["text"]
    assert not LITERAL_MISSING.search(text), f"{name}: {LITERAL_MISSING.search(text)}"
    bad_cells = [c for c in info["cells"] if c in CELL_MISSING]
    assert not bad_cells, f"{name}: cells {bad_cells[:5]}"
    cut = [c for c in info["cells"] if c.endswith("…") or c.endswith("...")]
    assert not cut, f"{name}: truncated cells {cut[:3]}"
    assert not RAW_CODES.search(text), f"{name}: raw code {RAW_CODES.search(text).group(0)!r}"
    assert not HASH_ID.search(text), f"{name}: document hash id {HASH_ID.search(text).group(0)}"
    for image in info["images"]:
        assert image["alt"].strip(), f"{name}: an image without alt text"
        assert image["caption"], f"{name}: an image without a caption ({image['alt'][:60]})"
        assert image["loaded"] > 0, f"{name}: an image that did not load ({image['alt'][:60]})"
    for section in info["sections"]:
        assert section["body"], f"{name}: empty section {section['id']!r}"
    for image in info["images"]:
        for axis in json.loads(image["axes"] or "[]"):
            if axis.get("kind") != "rank":
                continue
            ticks = axis["ticks"]
            low, high = axis["ylim"]
            assert axis["inverted"] and axis["integer_ticks"], f"{name}: {axis}"
            assert ticks[0] == 1 and ticks[-1] == 63 and high < 1 and low > 63, f"{name}: {axis}"
    return info


def test_pages_read_right_in_a_browser(project_home: Path, chromium: str, tmp_path: Path):
    from playwright.sync_api import sync_playwright
    from test_reports_runner import build_processed

    build_processed()
    jobs = [reports.plan_report("Kiên Giang", 2019), reports.plan_report("Quảng Ninh", 2023)]
    result = reports.run_reports(jobs, workers=2, progress=False,
                                 profiles=["Kiên Giang", "Quảng Ninh"])
    assert not result.failed, result.failed
    root = project_home / "reports"
    shots = tmp_path / "screenshots"
    shots.mkdir()
    print(f"\nscreenshots: {shots}")

    failed_requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_FLAGS))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("requestfailed", lambda r: failed_requests.append(r.url))
            page.on("request", lambda r: r.url.startswith(("http:", "https:"))
                    and failed_requests.append(r.url))

            # --- the index: every province and report; sort and filter
            page.goto((root / "index.html").as_uri())
            page.wait_for_load_state("load")
            check_page(page, "index")
            assert _broken_links(page, root) == []
            assert page.locator("#ps-provinces tbody tr").count() == 63
            page.screenshot(path=str(shots / "index.png"), full_page=True)
            years = page.locator("#ps-reports th").nth(1)
            years.click()
            first = page.locator("#ps-reports tbody tr").first.inner_text()
            assert "2019" in first  # ascending: 2019 before 2023
            years.click()
            assert "2023" in page.locator("#ps-reports tbody tr").first.inner_text()
            page.fill("#ps-q", "kien giang")  # diacritics ignored
            visible = page.locator("#ps-provinces tbody tr:not([hidden])")
            assert visible.count() == 1 and "Kiên Giang" in visible.first.inner_text()
            assert page.inner_text("#ps-reports-count") == "1"
            page.fill("#ps-q", "")

            # --- a report of a province with a plan
            page.click("#ps-reports a[href='kien-giang/2019.html']")
            page.wait_for_load_state("load")
            info = check_page(page, "kien-giang/2019")
            assert info["summary"] and info["summary"][0].startswith("In 2019, one plan of")
            assert len(info["images"]) >= 3  # targets by area, national gaps, trajectories
            ranks = [a for i in info["images"] for a in json.loads(i["axes"] or "[]")
                     if a.get("kind") == "rank"]
            assert len(ranks) == 4  # PAR, SIPAS, PAPI, PCI: PAR and SIPAS say "no data"
            assert sum(bool(a.get("no_data")) for a in ranks) == 2
            assert "province_report(" not in page.content()  # no code cells
            assert page.locator("a[download$='.csv']").count() >= 4
            assert page.locator("a[download$='.xlsx']").count() == 1
            assert _broken_links(page, root / "kien-giang") == []
            page.screenshot(path=str(shots / "report_kien-giang_2019.png"), full_page=True)

            # --- its province profile
            page.click("a[href='profile.html']")
            page.wait_for_load_state("load")
            info = check_page(page, "kien-giang/profile")
            assert info["summary"][0].startswith("Kiên Giang is in the Mekong River Delta")
            assert page.locator("a[href='2019.html']").count() >= 1
            assert _broken_links(page, root / "kien-giang") == []
            page.screenshot(path=str(shots / "profile_kien-giang.png"), full_page=True)

            # --- a report of a province without a plan: no empty scaffolding
            page.goto((root / "quang-ninh" / "2023.html").as_uri())
            page.wait_for_load_state("load")
            info = check_page(page, "quang-ninh/2023")
            assert info["summary"][0].startswith("No PAR plan of Quảng Ninh in force in 2023")
            collapsed = [s["id"] for s in info["sections"] if s["collapsed"]]
            assert {"plans", "targets", "ambition", "delivery"} <= set(collapsed)
            for s in info["sections"]:
                if s["collapsed"]:
                    assert len(s["body"].splitlines()) == 1, s  # one line saying what is missing
            page.screenshot(path=str(shots / "report_quang-ninh_2023.png"), full_page=True)
        finally:
            browser.close()
    assert failed_requests == [], f"requests that failed or left the machine: {failed_requests}"
