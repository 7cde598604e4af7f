"""Browser fixtures: a real `streamlit run app.py` server and headless Debian chromium.

Locally they skip when /usr/bin/chromium is missing; with GMG_REQUIRE_BROWSER=1
(set by .ci/run) or CI=true a missing browser is a failure, never a skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, SERVER_LOG, browser_required, running_app


@pytest.fixture(scope="session")
def server():
    """The app on a fresh server; yields (base URL, perf_counter at launch)."""
    with running_app(log=SERVER_LOG) as started:
        yield started


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if browser_required():
            pytest.fail(f"chromium not found at {CHROMIUM}: .ci/run must install Debian's chromium")
        pytest.skip("chromium not installed (apt-get install chromium); CI runs these")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1400})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert not errors, f"JavaScript errors: {errors}"
