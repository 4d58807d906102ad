"""Take the README's screenshot of a report with headless Chromium (docs/img/report.png).

Usage: ``python scripts/report_screenshot.py reports/kien-giang/2019.html docs/img/report.png``
(run ``parstats report --province "Kiên Giang" --year 2019`` first). The top of the page
(header, summary, first tables) at 1200 x 1350 CSS pixels, stored as a 256-colour PNG to
keep the repository small.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(page_path: str, out: str, width: int = 1200, height: int = 1350) -> int:
    """Screenshot the top of ``page_path`` into ``out`` (a 256-colour PNG)."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_browser import CHROMIUM_FLAGS, find_chromium

    exe = find_chromium()
    if exe is None:
        raise SystemExit("no Chromium found: run `make chromium`")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_FLAGS))
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(Path(page_path).resolve().as_uri())
        page.wait_for_load_state("load")
        page.screenshot(path=out)
        browser.close()
    image = Image.open(out).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(out, optimize=True)
    print(f"{out}: {Path(out).stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
