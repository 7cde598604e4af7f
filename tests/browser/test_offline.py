"""Offline-safe: no page makes the browser fetch anything from a host other than the app's own."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from browser_helpers import wait_app

pytestmark = pytest.mark.browser

PAGES = ("", "/lab", "/compare", "/experiments", "/method")


@pytest.mark.parametrize("width", [1280, 390])
def test_no_page_fetches_a_third_party_host(server, browser, width):
    url, _ = server
    own = urlparse(url).netloc
    context = browser.new_context(viewport={"width": width, "height": 900})
    outside: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).netloc
        if route.request.url.startswith(("data:", "blob:")) or host == own:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    for path in PAGES:
        page.goto(url + path)
        wait_app(page)
        page.locator("h1").first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)  # late requests: fonts, icons, images
    if "/lab" in PAGES:
        page.goto(url + "/lab")
        wait_app(page)
        page.get_by_role("button", name="▶ Run").click()
        page.get_by_text("Play").first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)
    context.close()
    assert not outside, f"requests to third-party hosts: {sorted(set(outside))}"
