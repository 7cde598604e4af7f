"""Issue 14's chapters in a real browser at 1280 px and 390 px (touch): a predict round played by taps to its score,
the checkpoint scrubber moving the chart and the run, and one run per seed on the seed lottery."""

from __future__ import annotations

import pytest
from browser_helpers import one_plot, settle_width, shot, wait_app

from gmg.ui.chapters import checkpoint_files, round_slots, seed_runs

pytestmark = pytest.mark.browser

WIDTH = "() => document.documentElement.scrollWidth"
AGENTS = "el => el.data.filter(t => t.name === 'agent' && !t.showlegend).length"
# Everything a maze figure draws that depends on the run: the trail (the path) and the policy arrows.
RUN = "el => JSON.stringify(el.data.filter(t => !t.showlegend && t.type === 'scatter').map(t => [t.x, t.y]))"


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def device(request, browser):
    """A page at desktop width, or a touch phone at 390 px."""
    width = request.param
    phone = width < 640
    context = browser.new_context(
        viewport={"width": width, "height": 900 if phone else 1100}, has_touch=phone, is_mobile=phone
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, width
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


# Buttons of a segmented control that end past the window's right edge: the control clips them instead of
# wrapping (it did in a half-width column on a phone), so the page itself does not scroll sideways.
CLIPPED = """(w) => [...document.querySelectorAll('[data-testid="stButtonGroup"] button')]
  .filter(b => b.getBoundingClientRect().right > w).map(b => b.innerText)"""


def _fits(page, width: int) -> None:
    scroll = page.evaluate(WIDTH)
    assert scroll <= width, f"the page scrolls sideways: scrollWidth {scroll} > {width}"
    assert not page.evaluate(CLIPPED, width), "buttons cut off at the window's edge"


def _press(page, name: str, phone: bool) -> None:
    target = page.get_by_role("button", name=name, exact=True)
    target.scroll_into_view_if_needed()
    target.tap() if phone else target.click()


def test_a_predict_round_is_played_by_taps_to_its_score(server, device):
    page, width = device
    phone = width < 640
    url, _ = server
    page.goto(f"{url}/predict?round=5")
    wait_app(page)
    settle_width(page)
    n = len(round_slots())
    for k in range(n):
        page.get_by_text(f"Maze {k + 1} of {n}", exact=False).first.wait_for(timeout=30000)
        page.get_by_role("button", name="The goal", exact=True).wait_for(timeout=30000)
        wait_app(page)
        page.locator(".st-key-pred_figure .js-plotly-plot").first.wait_for(timeout=30000)
        _fits(page, width)
        _press(page, "The goal", phone)
        nxt = "See your score" if k == n - 1 else "Next maze"
        page.get_by_role("button", name=nxt).wait_for(timeout=30000)
        page.get_by_text("Over 1,000 random mazes like this one", exact=False).wait_for(timeout=30000)
        # The reveal plays the real run: the figure now has a path and play controls.
        page.locator(".st-key-pred_figure .updatemenu-button").first.wait_for(timeout=30000)
        if k == 0:
            shot(page, f"predict-reveal-{width}.png")
        wait_app(page)
        _press(page, nxt, phone)
        wait_app(page)
    page.get_by_role("heading", name="Your score").wait_for(timeout=30000)
    page.locator("[data-testid='stMetricValue']").nth(1).wait_for(timeout=30000)
    wait_app(page)
    metrics = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert len(metrics) == 2 and metrics[0] == metrics[1], (
        f"always 'the goal' scores what the naive one does: {metrics}"
    )
    assert metrics[0].endswith(f"of {n}") and not metrics[0].startswith(f"{n} "), "the naive predictor missed some"
    page.get_by_text("distribution shift", exact=False).first.wait_for()
    _fits(page, width)
    shot(page, f"predict-score-{width}.png")


def test_the_checkpoint_scrubber_moves_the_chart_and_the_run(server, device):
    page, width = device
    url, _ = server
    page.goto(f"{url}/training?agent=cue-always&checkpoint=1")
    wait_app(page)
    settle_width(page)
    plot = one_plot(page, "train_figure")
    chart = one_plot(page, "train_chart")
    before = plot.evaluate(RUN)
    marker = chart.evaluate("el => el.layout.shapes[0].x0")
    _fits(page, width)
    thumb = page.locator(".st-key-train_checkpoint input[type='range']").first
    thumb.focus()
    page.keyboard.press("End")
    page.wait_for_function(
        "([sel, old]) => { const el = document.querySelector(sel); return el && el.layout && el.layout.shapes"
        " && el.layout.shapes[0].x0 !== old; }",
        arg=[".st-key-train_chart .js-plotly-plot", marker],
        timeout=30000,
    )
    wait_app(page)
    last = len(checkpoint_files("cue-always"))
    page.get_by_text(f"Checkpoint {last} of {last}", exact=False).wait_for(timeout=30000)
    # The maze is run by another checkpoint: its path or its policy arrows change.
    page.wait_for_function(
        f"([sel, old]) => {{ const el = document.querySelector(sel); return el && el.data && ({RUN})(el) !== old; }}",
        arg=[".st-key-train_figure .js-plotly-plot", before],
        timeout=30000,
    )
    _fits(page, width)
    page.get_by_text("Training diagnostics (for experts)").click()
    one_plot(page, "train_diagnostics")
    _fits(page, width)
    shot(page, f"training-{width}.png")


def test_the_seed_lottery_shows_one_run_per_seed(server, device):
    page, width = device
    url, _ = server
    page.goto(f"{url}/seeds?agent=cue-always")
    wait_app(page)
    settle_width(page)
    plot = one_plot(page, "seeds_figure")
    n = len(seed_runs("cue-always"))
    assert plot.evaluate(AGENTS) == n, "one run per seed"
    rows = plot.evaluate(
        f"el => Array.from({{length: {n}}}, (_, i) => el._fullLayout['yaxis' + (i ? i + 1 : '')]._offset)"
    )
    if width < 640:
        assert len(set(rows)) == -(-n // 2), f"a grid of two per row on a phone: {rows}"
    else:
        assert len(set(rows)) == 1, f"one row on a laptop: {rows}"
    one_plot(page, "seeds_dots")
    page.get_by_text("a spread of", exact=False).first.wait_for(timeout=30000)
    _fits(page, width)
    shot(page, f"seeds-{width}.png")
