"""Runs last (file name): the server log of the whole browser run holds no warning from the project's code."""

from __future__ import annotations

import re

import pytest
from browser_helpers import SERVER_LOG

pytestmark = pytest.mark.browser

# Streamlit's own frontend probes /PAGE/_stcore/... before /_stcore/... on a deep link (streamlit issue 7074);
# the 404s it logs for those probes are upstream, not ours.
UPSTREAM_PROBE = re.compile(r"404 GET /[a-z]+/_stcore/(health|host-config)")


def test_server_log_has_no_warnings(server):
    lines = SERVER_LOG.read_text().splitlines()
    assert any("You can now view your Streamlit app" in line or "URL:" in line for line in lines), (
        "the log was captured"
    )
    bad = [
        line
        for line in lines
        if re.search(r"WARNING|Traceback|Error|Exception", line) and not UPSTREAM_PROBE.search(line)
    ]
    assert not bad, "\n".join(bad[:20])
