"""Inside the agent (issue 12) in a real browser: the lab's attribution strip, fork and steering slider, and the
/inside page, at 1280 and 390 px."""

from __future__ import annotations

import pytest
from browser_helpers import settle_width, shot, wait_app

from gmg.presets import load_preset

pytestmark = pytest.mark.browser

WIDTH = "() => document.documentElement.scrollWidth"
NAMES = "el => (el.data || []).map(t => t.name || '')"
# The strip's cursor: the one markers trace on the strip's axes (x2/y2 under a single maze).
CURSOR = "el => { const t = (el.data || []).filter(t => t.xaxis === 'x2' && t.mode === 'markers'); return t.length ? t[0].x : null; }"
ARROWS = "el => JSON.stringify((el.data || []).filter(t => t.mode === 'lines' && t.line && t.line.width === 2).map(t => t.x))"


def _context(browser, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 1400 if width > 500 else 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return ctx, page, errors


def _wait_trace(page, key: str, name: str) -> None:
    """Wait until the figure under ``key`` has a trace called ``name`` (a rerun may still be drawing it)."""
    page.wait_for_function(
        f"(n) => {{ const all = document.querySelectorAll('.st-key-{key} .js-plotly-plot'); const el = all[all.length - 1]; "
        "return !!el && !!el.data && el.data.some(t => t.name === n); }",
        arg=name,
        timeout=30000,
    )


def _steer_to_minimum(page, scope: str) -> None:
    thumb = page.locator(f".st-key-{scope}_coef input[type='range']")
    thumb.wait_for(state="attached", timeout=20000)
    for _ in range(3):  # a rerun landing at the same moment can take the focus away: try again
        thumb.focus()
        page.keyboard.press("Home")  # the slider's lowest value: -2
        try:
            page.wait_for_function(
                f"() => {{ const i = document.querySelector(\".st-key-{scope}_coef input[type='range']\"); "
                "return i && i.value === '-2'; }",
                timeout=5000,
            )
            return
        except Exception:  # the value did not arrive: try again
            wait_app(page)
    raise AssertionError("the coefficient slider never reached -2")


@pytest.mark.parametrize("width", [1280, 390])
def test_lab_shows_the_attribution_strip_the_fork_and_steers(server, browser, width):
    url, _ = server
    ctx, page, errors = _context(browser, width)
    layout = load_preset("cue-shifted")
    page.goto(f"{url}/lab?maze={layout.to_code()}&agent=cue-always&seed=0")
    wait_app(page)
    page.locator("[data-testid='gmg-editor']").wait_for(timeout=30000)
    page.get_by_text("Fork ◇").first.wait_for(timeout=30000)
    # A fresh page on a phone reruns once to tell Python its width; a run animating across that redraw would
    # be cut off, so let it land first (as a visitor reads before pressing Run).
    settle_width(page)
    page.get_by_role("button", name="▶ Run").click()
    page.get_by_text("Steps").first.wait_for(timeout=30000)
    _wait_trace(page, "lab_figure", "goal removed")
    plot = page.locator(".st-key-lab_figure .js-plotly-plot").last  # a rerun may briefly hold the old one too
    names = plot.evaluate(NAMES)
    assert "goal removed" in names and "cue removed" in names, names
    assert "fork" in names
    # The cursor follows the animation: it moves during the autoplay and ends on the last move.
    seen = set()
    for _ in range(30):
        try:
            cursor = plot.evaluate(CURSOR)
            seen.add(cursor[0])
        except Exception:  # being redrawn
            pass
        page.wait_for_timeout(120)
    assert len(seen) >= 3, f"the strip's cursor did not move with the run: {seen}"
    page.wait_for_timeout(400)
    assert page.evaluate(WIDTH) <= width

    # Steering: open the expander, pull the coefficient to -2, run again.
    page.get_by_text("Steer the agent from inside its network").click()
    _steer_to_minimum(page, "lab_steer")
    page.wait_for_function("() => location.search.includes('coef=-2')", timeout=30000)
    wait_app(page)
    page.get_by_role("button", name="▶ Run").click()
    page.get_by_text("Steered: -2.00 × cue vector, layer 1").first.wait_for(timeout=30000)
    query = page.evaluate("() => location.search")
    assert "vector=cue" in query and "layer=1" in query, query
    assert page.evaluate(WIDTH) <= width, "the page scrolls sideways"
    shot(page, f"lab-inside-{width}.png")
    ctx.close()
    assert not errors, errors


@pytest.mark.parametrize("width", [1280, 390])
def test_inside_page_explains_and_steering_moves_the_policy(server, browser, width):
    url, _ = server
    ctx, page, errors = _context(browser, width)
    layout = load_preset("cue-shifted")
    page.goto(f"{url}/inside?maze={layout.to_code()}&agent=cue-always")
    settle_width(page)  # a phone's first rerun (its width) lands first
    for text in ("What it looks at", "Where it decides", "Steering", "Over many shifted mazes", "Can the maze predict"):
        page.get_by_text(text).first.wait_for(timeout=30000)
    _wait_trace(page, "inside_attr", "goal removed")
    _wait_trace(page, "inside_fork", "fork")
    for key in ("inside_attr_pop", "inside_fork_hist", "inside_steer_pop"):
        page.locator(f".st-key-{key} .js-plotly-plot").wait_for(timeout=30000)

    # Policy arrows on the steered run, then steer: the arrows change. On a phone the coefficient slider sits just
    # above the overlay buttons, and a figure still resizing above could shift the page under a mouse click so that
    # it landed on the slider's left end (-2) and steered before "before" was read. So: idle first, then a click
    # event on the button itself, and check the slider is still at 0.
    wait_app(page)
    page.locator(".st-key-inside_overlay").get_by_text("policy arrows", exact=True).dispatch_event("click")
    steered = page.locator(".st-key-inside_steered .js-plotly-plot").last
    page.wait_for_function(
        "() => { const all = document.querySelectorAll('.st-key-inside_steered .js-plotly-plot'); "
        f"const el = all[all.length - 1]; return !!el && ({ARROWS})(el) !== '[]'; }}",
        timeout=30000,
    )
    wait_app(page)
    coef = page.locator(".st-key-inside_steer_coef input[type='range']").input_value()
    assert coef == "0", f"the slider moved before steering: {coef}"
    before = steered.evaluate(ARROWS)
    _steer_to_minimum(page, "inside_steer")
    page.get_by_text("Steered: -2.00 × cue vector, layer 1").first.wait_for(timeout=30000)
    # The steered arrows arrive with the rerun's figure: wait for them rather than read once.
    page.wait_for_function(
        f"(b) => {{ const all = document.querySelectorAll('.st-key-inside_steered .js-plotly-plot'); "
        f"const el = all[all.length - 1]; return !!el && !!el.data && ({ARROWS})(el) !== '[]' && ({ARROWS})(el) !== b; }}",
        arg=before,
        timeout=30000,
    )
    assert page.evaluate(WIDTH) <= width, "the page scrolls sideways"
    shot(page, f"inside-{width}.png")
    ctx.close()
    assert not errors, errors
