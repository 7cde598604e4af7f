"""Screenshot app pages in headless Chromium.

    python -m scripts.screenshot URL OUT.png [--width 1280] [--click TEXT]...
    python -m scripts.screenshot --readme      # assets/screenshot-lab.png, the README's opening picture

Used to look at the product; the browser tests in tests/browser/ do the checking. ``--readme`` starts the app
itself, opens the lab on the shifted preset with cue-always, presses Run, waits for the run to finish playing,
and writes a palette PNG (small enough to commit) of the top of the page at 1280 px.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from browser_helpers import CHROMIUM, running_app, wait_app  # noqa: E402
from browser_helpers import CHROMIUM_ARGS as ARGS  # noqa: E402

README_SHOT = ROOT / "assets" / "screenshot-lab.png"


def small_png(png: bytes, out: Path) -> None:
    """Write ``png`` as a 256-colour palette PNG (the app's flat colours survive; the file is a fraction)."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, optimize=True)


def readme_shot(out: Path = README_SHOT, width: int = 1280, height: int = 1500) -> None:
    from gmg.presets import load_preset

    with running_app() as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{url}/lab?maze={load_preset('cue-shifted').to_code()}&agent=cue-always&seed=0")
        wait_app(page)
        page.locator("[data-testid='gmg-editor']").wait_for(timeout=60000)
        page.get_by_role("button", name="▶ Run").click()
        page.get_by_text("Went to the cue").first.wait_for(timeout=60000)
        wait_app(page)
        # Let the run play to its end (it plays once by itself after Run).
        page.wait_for_function(
            "() => { const g = document.querySelector('.st-key-lab_figure .js-plotly-plot');"
            " return g && g._transitionData && !g._transitionData._animationRaf && g._fullLayout._currentFrame; }",
            timeout=60000,
        )
        page.mouse.move(0, 0)
        page.wait_for_timeout(500)
        # From the title to the verdict under the figure: the whole story, none of the page's top padding.
        top = page.locator("h1").first.bounding_box()["y"] - 24
        end = page.get_by_role("button", name="Download GIF").bounding_box()
        bottom = end["y"] + end["height"] + 16
        small_png(page.screenshot(clip={"x": 0, "y": top, "width": width, "height": bottom - top}), out)
        browser.close()
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")


__all__ = ["readme_shot", "small_png"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url", nargs="?")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--readme", action="store_true", help=f"write {README_SHOT.relative_to(ROOT)} (starts the app)")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--click", action="append", default=[], help="button text to click, in order")
    ap.add_argument("--wait", type=float, default=2.0)
    args = ap.parse_args()
    if args.readme:
        readme_shot()
        return
    if not (args.url and args.out):
        ap.error("give URL and OUT, or --readme")
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
