"""The load benchmark's protocol clients (benchmarks/bench_load.py --replay) really play a visitor's session."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from browser_helpers import open_lab, wait_app

from benchmarks.bench_load import replay


def test_a_recorded_lab_session_replays_over_the_websocket(server, page):
    base, _ = server
    sent: list[tuple[str, bytes]] = []
    step = {"now": "load /lab"}
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append((step["now"], f))))
    open_lab(page, base)
    step["now"] = "Run"
    page.get_by_role("button", name="▶ Run").click()
    wait_app(page)
    assert [s for s, _ in sent].count("Run") == 1, sent

    timings, errors, frames = defaultdict(list), [], []

    async def three():
        await asyncio.gather(*(replay(base, sent, timings, errors, frames=frames) for _ in range(3)))

    # Playwright's sync API owns this thread's event loop, so the clients get a thread of their own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, three()).result(timeout=120)
    assert not errors
    assert len(timings["load /lab"]) == len(timings["Run"]) == 3
    # The replayed click ran the agent: only Run's replies carry a run's figure (gmg.ui.viewport tags it with
    # layout.meta), so a message the app no longer understands (a changed widget id) would fail here.
    assert sum(b'"meta"' in f for s, f in frames if s == "Run") >= 3
    assert not any(b'"meta"' in f for s, f in frames if s == "load /lab")
