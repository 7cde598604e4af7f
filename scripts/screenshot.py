"""Screenshot app pages in headless Chromium: python -m scripts.screenshot URL OUT.png [--width 1280] [--click TEXT]...

Used to look at the product; the browser tests in tests/browser/ do the checking.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))
from browser_helpers import CHROMIUM
from browser_helpers import CHROMIUM_ARGS as ARGS


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--click", action="append", default=[], help="button text to click, in order")
    ap.add_argument("--wait", type=float, default=2.0)
    args = ap.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(args.url)
        page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30000)
        page.wait_for_timeout(args.wait * 1000)
        for text in args.click:
            page.get_by_role("button", name=text).first.click()
            page.wait_for_timeout(args.wait * 1000)
        page.screenshot(path=args.out, full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
