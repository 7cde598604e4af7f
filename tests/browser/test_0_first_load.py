"""Runs first (file name): the server's first session arrives by a deep link."""

from __future__ import annotations

import pytest
from browser_helpers import open_lab

pytestmark = pytest.mark.browser


def test_first_deep_link_on_a_fresh_server_uses_the_app_navigation(server, page):
    """The session's first request may be a share link straight to /lab (see ensure_navigation)."""
    url, _ = server
    open_lab(page, url)
    # The top navigation, in its sections, is shown.
    page.locator("[data-testid='stTopNavSection']", has_text="Tools").first.wait_for(timeout=20000)
    assert page.locator("[data-testid='stSidebarNav']").count() == 0, "no legacy pages/ sidebar"
