"""Issue 11, demo-grade UX, in a real browser: what a presenter shows on a laptop (1280 px) and a phone (390 px).

Each test checks several defects on one page load, to keep the suite fast. The closing note of issue 11 maps each
numbered defect to the tests here and in tests/app/test_demo.py.
"""

from __future__ import annotations

import io

import pytest
from browser_helpers import ARTIFACTS, go_to, one_plot, open_lab, settle_width, wait_app

from gmg.layout import Layout
from gmg.presets import load_preset
from gmg.render import COLORS
from gmg.splits import Split

pytestmark = pytest.mark.browser

AGENT = """el => el.data.filter(t => t.name === 'agent' && !t.showlegend).map(t => [t.y[t.y.length - 1], t.x[t.x.length - 1]])"""
LEGEND = "el => [...el.querySelectorAll('.legendtext')].map(t => t.textContent)"
WIDTH = "() => document.documentElement.scrollWidth"
# The editor lives in a shadow root: follow activeElement into it.
FOCUSED = """() => { let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a && [a.getAttribute('data-cell'), a.getAttribute('aria-label')]; }"""


def _pixel(page, plot, cell: tuple[int, int], axis: str = "") -> tuple[int, int, int]:
    """The screen colour at the centre of a maze cell of a plotly maze figure."""
    from PIL import Image

    r, c = cell
    x, y = plot.evaluate(
        f"""el => {{ const L = el._fullLayout, xa = L['xaxis{axis}'], ya = L['yaxis{axis}'];
            const box = el.getBoundingClientRect();
            return [box.left + xa._offset + xa.l2p({c}), box.top + ya._offset + ya.l2p({r})]; }}"""
    )
    png = page.screenshot(clip={"x": x - 1, "y": y - 1, "width": 3, "height": 3})
    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((1, 1))


def _near(color, name: str, tol: int = 45) -> bool:
    return max(abs(a - b) for a, b in zip(color, COLORS[name], strict=True)) <= tol


def _fits(page, width: int) -> int:
    scroll = page.evaluate(WIDTH)
    assert scroll <= width, f"the page scrolls sideways: scrollWidth {scroll} > {width}"
    return scroll


def test_lab_run_plays_shows_what_it_reached_and_keeps_everything(server, page):
    """Defects 1, 7, 8, 10, 11 and 12 in the lab at 1280 px."""
    url, _ = server
    layout = load_preset("cue-training")
    page.goto(f"{url}/lab?maze={layout.to_code()}&agent=oracle&seed=0")
    wait_app(page)
    editor = page.locator("[data-testid='gmg-editor']")
    editor.wait_for(timeout=30000)

    # 12: keyboard. The grid has one tab stop; arrows move it; Space paints with the current tool (wall).
    stop = editor.locator("[tabindex='0']")
    assert stop.count() == 1
    stop.focus()
    start = stop.get_attribute("data-cell")
    assert stop.get_attribute("aria-label").startswith(f"row {start.split(',')[0]}, column {start.split(',')[1]}, ")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    focused = page.evaluate(FOCUSED)[0]
    r, c = (int(v) for v in start.split(","))
    assert focused == f"{r + 1},{c + 1}", "the arrow keys move the focus cell"
    target = (r + 1, c + 1)
    assert not layout.walls[target] and target not in (layout.start, layout.goal, layout.cue)
    assert page.evaluate(FOCUSED)[1] == f"row {r + 1}, column {c + 1}, floor"
    page.keyboard.press("Space")
    assert editor.locator(f"[data-cell='{r + 1},{c + 1}']").get_attribute("aria-label").endswith("wall")
    page.wait_for_function(
        "(n) => { const q = new URLSearchParams(location.search).get('maze'); return q && q !== n; }",
        arg=layout.to_code(),
        timeout=20000,
    )
    wait_app(page)
    assert page.evaluate(FOCUSED)[0] == f"{r + 1},{c + 1}", "the focus survives the redraw"
    maze = Layout.from_code(page.evaluate("() => new URLSearchParams(location.search).get('maze')"))
    assert maze.walls[target], "Space painted a wall that reached Python"

    # 11: after Run the figure plays once by itself (no Play click), ending on the last step.
    page.get_by_role("button", name="▶ Run").click()
    plot = page.locator(".st-key-lab_figure .js-plotly-plot")
    page.get_by_text("Goal reached").first.wait_for(timeout=30000)
    seen = set()
    for _ in range(40):
        try:
            seen.add(tuple(plot.evaluate(AGENT)[0]))
        except Exception:  # the figure is being redrawn
            pass
        page.wait_for_timeout(120)
    assert len(seen) >= 3, f"the run did not play by itself: agent seen at {seen}"
    page.wait_for_function(
        f"(g) => {{ const p = ({AGENT})(document.querySelector('.st-key-lab_figure .js-plotly-plot')); return p[0][0] === g[0] && p[0][1] === g[1]; }}",
        arg=list(maze.goal),
        timeout=20000,
    )
    assert page.get_by_text("▶ Play").count() == 1 and plot.locator(".slider-container").count() == 1

    # 1: the agent ends on the goal, and the goal is what shows in that cell.
    page.wait_for_timeout(400)
    color = _pixel(page, plot, maze.goal)
    assert _near(color, "goal"), f"the goal is hidden under the agent: {color} at its centre"

    # 10: the legend names everything drawn.
    assert plot.evaluate(LEGEND)[:5] == ["agent", "path", "start", "goal", "cue"]

    # 7: an overlay keeps the ending in view (no reset to step 0), and adds its own legend.
    page.get_by_text("outcome map", exact=True).click()
    page.get_by_text("Each cell: 4 samples").wait_for(timeout=30000)
    wait_app(page)
    plot = page.locator(".st-key-lab_figure .js-plotly-plot")
    assert tuple(plot.evaluate(AGENT)[0]) == maze.goal
    assert "proxy, never goal" in plot.evaluate(LEGEND)

    # 8: the share link is a full URL with every setting, and has a copy button.
    page.get_by_text("Share this experiment").click()
    box = page.locator(".st-key-lab_share_open [data-testid='stCode']")
    box.wait_for(timeout=10000)
    link = box.inner_text().strip()
    assert link.startswith(url + "/lab?maze="), link
    for part in ("agent=oracle", "seed=0", "mode=sampled", "overlay=outcome+map"):
        assert part in link, f"{part} missing from {link}"
    box.hover()
    assert page.locator(".st-key-lab_share_open button[aria-label='Copy to clipboard']").count() >= 1

    # 7: settings and the run survive a visit to another page.
    go_to(page, "Method", "Method")
    page.get_by_text("How each episode is classified").wait_for(timeout=30000)
    go_to(page, "Tools", "Maze lab")
    wait_app(page)
    page.get_by_text("Goal reached").first.wait_for(timeout=30000)
    page.wait_for_function("() => location.search.includes('agent=')", timeout=20000)
    query = page.evaluate("() => location.search")
    assert "agent=oracle" in query and "overlay=outcome+map" in query, query
    shown = page.locator("[data-testid='stSelectbox'] input").first.input_value()
    assert shown == "oracle (reference)", f"the agent box shows {shown!r}, not the kept agent"


def test_lab_errors_stay_next_to_their_cause(server, page):
    """Defect 5: an error shows beside the control that caused it, the section stays open, a stale error goes."""
    url, _ = server
    open_lab(page, url)
    page.get_by_text("Random maze, size, text and files").click()
    text = page.get_by_label("As text (# wall, . floor, S start, G goal, C cue)")
    text.wait_for(timeout=10000)
    text.fill("#####\n#S.G#\n#.x.#\n#...#\n#####")
    page.get_by_role("button", name="Apply text").click()
    error = page.locator("[data-testid='stExpander'] [data-testid='stAlert']")
    error.first.wait_for(timeout=20000)
    wait_app(page)
    assert "'x' at row 2, column 2" in error.first.inner_text()
    assert text.is_visible(), "the section stayed open when the error appeared"
    assert ".." not in error.first.inner_text() and "?." not in error.first.inner_text()
    # A non-UTF-8 upload: its message sits by the uploader, and the text's message (now stale) is replaced.
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "bad.txt", "mimeType": "text/plain", "buffer": b"\xff\xfe\x00bad"}]
    )
    page.get_by_text("bad.txt is not a UTF-8 text file").wait_for(timeout=20000)
    wait_app(page)
    assert error.count() == 1, "only the latest error is shown"
    assert text.is_visible()
    # An oversize file: its message replaces the previous file's, in the same place, and the section stays open.
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "big.txt", "mimeType": "text/plain", "buffer": b"#" * 200_000}]
    )
    page.get_by_text("layout files are at most 100,000").wait_for(timeout=20000)
    wait_app(page)
    assert page.get_by_text("is not a UTF-8 text file").count() == 0, "the previous upload's error went"
    assert error.count() == 1 and text.is_visible()
    # Removing the file removes its message.
    page.locator("[data-testid='stFileChipDeleteBtn']").first.click()
    page.wait_for_function("() => !document.body.innerText.includes('The file was not loaded')", timeout=20000)
    text.fill(load_preset("cue-training").to_text())
    page.get_by_role("button", name="Apply text").click()
    wait_app(page)
    page.wait_for_timeout(500)
    assert error.count() == 0 and text.is_visible(), "a good change clears the message; the section stays open"


def test_compare_link_error_is_visible_and_batches_are_labelled(server, page):
    """Defects 4 and 5 on Compare at 1280 px: a bad link's error is in view; a batch result never outlives its
    settings."""
    url, _ = server
    page.goto(f"{url}/compare?maze=garbage!!")
    wait_app(page)
    alert = page.get_by_text("could not be read", exact=False).first
    alert.wait_for(timeout=30000)
    assert alert.is_visible(), "the link's error is not hidden in the collapsed editor"
    assert "?." not in alert.inner_text() and ".." not in alert.inner_text()
    box = page.get_by_label("Mazes")
    box.fill("20")
    box.press("Enter")
    wait_app(page)
    page.get_by_role("button", name="Run batch").click()
    page.get_by_text("Showing: cue by the goal vs cue moved").wait_for(timeout=60000)
    wait_app(page)
    page.get_by_text("Any two mazes").click()
    page.get_by_text("The settings changed since the last batch").wait_for(timeout=30000)
    assert page.get_by_text("Showing: cue by the goal").count() == 0, "the old result is gone"


def test_landing_gifs_are_sharp_and_open_the_run_in_the_lab(server, page):
    """Defects 1, 7 and 10 on the landing page: GIFs at least 480 px; the lab opens in this tab, with the run."""
    url, _ = server
    page.goto(url)
    wait_app(page)
    images = page.locator("[data-testid='stImage'] img")
    images.nth(3).wait_for(timeout=30000)
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stImage'] img\")].every(i => i.complete && i.naturalWidth > 0)",
        timeout=30000,
    )
    widths = images.evaluate_all("els => els.map(i => i.naturalWidth)")
    assert min(widths) >= 480, widths
    pages_before = len(page.context.pages)
    page.get_by_role("button", name="Open this maze in the lab").nth(1).click()
    page.wait_for_url("**/lab**", timeout=30000)
    assert len(page.context.pages) == pages_before, "no new tab"
    page.get_by_text("Went to the cue").first.wait_for(timeout=30000)
    # The lab writes its link after drawing the run: wait for it rather than read the URL at once (CI caught it early).
    page.wait_for_url("**agent=cue-always**", timeout=10000)
    assert "agent=cue-always" in page.url


def test_experiments_opens_with_a_result_and_labels_fit(server, page):
    """Defects 9 and 11 on Experiments at 1280 px: a result at once; no label on an error bar; human tables."""
    url, _ = server
    page.goto(f"{url}/experiments")
    wait_app(page)
    page.get_by_text("Showing:", exact=False).wait_for(timeout=30000)
    page.locator(".st-key-exp_rates .js-plotly-plot").wait_for(timeout=30000)
    assert page.get_by_role("button", name="Run experiment").count() == 1
    _no_label_on_an_error_bar(page, ".st-key-exp_rates")
    table = page.locator("table.gmg-rates")
    head = table.locator("th").all_inner_texts()
    assert "intended success" in head and not any("_" in h for h in head), head
    assert "%" in table.locator("td").nth(1).inner_text() and "(" in table.locator("td").nth(1).inner_text()
    # The distance chart: the shifted splits only, in one colour (misgeneralization's).
    names = page.locator(".st-key-exp_distance .js-plotly-plot").evaluate(
        "el => [...new Set(el.data.map(t => t.name))]"
    )
    assert names == ["cue/shift:mix"], names


def _no_label_on_an_error_bar(page, scope: str) -> None:
    boxes = page.locator(f"{scope} .js-plotly-plot").evaluate(
        """el => {
            const r = (n) => { const b = n.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
            return {
                text: [...el.querySelectorAll('.textpoint text, .bartext text, text.bartext')].filter(t => t.textContent).map(r),
                bars: [...el.querySelectorAll('g.errorbar path')].map(r),
            };
        }"""
    )
    assert boxes["text"] and boxes["bars"], boxes
    hits = [
        (t, e)
        for t in boxes["text"]
        for e in boxes["bars"]
        if t[0] < e[2] and e[0] < t[2] and t[1] < e[3] and e[1] < t[3]
    ]
    assert not hits, f"{len(hits)} value labels overlap an error bar"


@pytest.mark.parametrize("width", [390])
def test_no_page_scrolls_sideways_on_a_phone(server, browser, width):
    """Defect 3: at 390 px, scrollWidth <= 390 on every page, before and after its main action; panels stack."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    url, _ = server
    report = {}

    page.goto(url)
    wait_app(page)
    page.locator("[data-testid='stImage'] img").nth(3).wait_for(timeout=30000)
    report["home"] = _fits(page, width)

    # A 13x13 maze: at a fixed 32 px a cell its editor was 430 px wide.
    big = Split.parse("cue/shift", sides=(13, 13)).sample(0)
    page.goto(f"{url}/lab?maze={big.to_code()}")
    wait_app(page)
    page.locator("[data-testid='gmg-editor']").wait_for(timeout=30000)
    settle_width(page)
    report["lab"] = _fits(page, width)
    # The rerun that tells Python the width must not leave a select box showing another value than Python's.
    shown = page.locator("[data-testid='stSelectbox'] input").first.input_value()
    assert shown == "cue-always (trained)", shown
    box = page.locator("[data-testid='gmg-editor']").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"the editor is cut off: {box}"
    page.get_by_role("button", name="▶ Run").click()
    page.get_by_text("shortest", exact=False).first.wait_for(timeout=30000)
    wait_app(page)
    report["lab after Run"] = _fits(page, width)
    plot = one_plot(page, "lab_figure")
    assert plot.bounding_box()["x"] + plot.bounding_box()["width"] <= width

    page.goto(url + "/compare")
    wait_app(page)
    settle_width(page)
    one_plot(page, "cmp_figure")
    report["compare"] = _fits(page, width)
    page.get_by_role("button", name="▶ Run both").click()
    page.get_by_text("steps (best)").wait_for(timeout=30000)
    wait_app(page)
    report["compare after Run both"] = _fits(page, width)
    plot = one_plot(page, "cmp_figure")
    geometry = plot.evaluate(
        """el => { const L = el._fullLayout;
            const titles = [...el.querySelectorAll('.annotation')].map(a => a.getBoundingClientRect())
                .map(b => [b.left, b.top, b.right, b.bottom]);
            return { w1: L.xaxis._length, w2: L.xaxis2._length, top2: L.yaxis2._offset,
                     bottom1: L.yaxis._offset + L.yaxis._length, titles }; }"""
    )
    assert geometry["top2"] > geometry["bottom1"], "the two mazes stack"
    assert min(geometry["w1"], geometry["w2"]) >= 250, f"each maze is wide enough: {geometry}"
    (a, b) = geometry["titles"][:2]
    assert a[3] <= b[1] or b[3] <= a[1], "the two titles do not run together"
    # The mazes' markers stay inside their cells: a goal star is no wider than a cell.
    sizes = plot.evaluate("el => el.data.filter(t => t.name === 'goal' && !t.showlegend).map(t => t.marker.size)")
    cell = geometry["w1"] / 11
    assert max(sizes) <= cell, f"markers ({sizes}) spill over {cell:.0f} px cells"

    page.goto(url + "/experiments")
    wait_app(page)
    page.get_by_text("Showing:", exact=False).wait_for(timeout=30000)
    settle_width(page)
    one_plot(page, "exp_distance")
    report["experiments"] = _fits(page, width)
    table = page.locator("table.gmg-rates").bounding_box()
    assert table["x"] + table["width"] <= width, f"the table is cut off: {table}"
    ticks = one_plot(page, "exp_rates").evaluate(
        "el => [...el.querySelectorAll('.ytick text')].map(t => t.getAttribute('transform') || '')"
    )
    assert ticks and not any("rotate" in t for t in ticks), "axis labels are level"
    _no_label_on_an_error_bar(page, ".st-key-exp_rates")
    box = page.get_by_label("Mazes per split")
    box.fill("20")
    box.press("Enter")
    wait_app(page)
    page.get_by_role("button", name="Run experiment").click()
    page.get_by_text("Done:", exact=False).wait_for(timeout=90000)
    wait_app(page)
    report["experiments after Run"] = _fits(page, width)

    page.goto(url + "/method")
    wait_app(page)
    page.get_by_text("How each episode is classified").wait_for(timeout=30000)
    report["method"] = _fits(page, width)
    page.get_by_text("PPO diagnostics (for experts)").click()
    page.wait_for_timeout(1500)
    report["method after opening diagnostics"] = _fits(page, width)
    # An agent's card, with its evaluation table.
    page.locator("[data-testid='stExpander'] summary", has_text="cue-always").first.click()
    table = page.locator("table.gmg-rates:visible").first
    table.wait_for(timeout=10000)
    report["method after opening a card"] = _fits(page, width)
    box = table.bounding_box()
    assert box["x"] + box["width"] <= width, f"the card's table is cut off: {box}"

    # The chapters (issue 14): each page, and a predict answer revealed.
    for chapter, ready in (
        ("predict?round=5", ".st-key-pred_figure .js-plotly-plot"),
        ("training", ".st-key-train_figure .js-plotly-plot"),
        ("seeds", ".st-key-seeds_dots .js-plotly-plot"),
        ("networks", ".st-key-nets_rates .js-plotly-plot"),
    ):
        page.goto(f"{url}/{chapter}")
        wait_app(page)
        page.locator(ready).first.wait_for(timeout=30000)
        settle_width(page)
        report[chapter.split("?")[0]] = _fits(page, width)
    page.goto(f"{url}/predict?round=5")
    wait_app(page)
    settle_width(page)
    page.get_by_role("button", name="The goal", exact=True).click()
    page.get_by_text("Over 1,000 random mazes like this one", exact=False).wait_for(timeout=30000)
    wait_app(page)
    report["predict after an answer"] = _fits(page, width)

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "scroll-width-390.txt").write_text("\n".join(f"{k}: {v}" for k, v in report.items()) + "\n")
    context.close()
    assert not errors, errors
