"""Browser test helpers: a real `streamlit run app.py` server driven by headless Debian chromium.

Locally they skip when /usr/bin/chromium is missing; with GMG_REQUIRE_BROWSER=1
(set by .ci/run) or CI=true a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_required() -> bool:
    return os.environ.get("GMG_REQUIRE_BROWSER") == "1" or os.environ.get("CI", "").lower() == "true"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def shots(page, name: str) -> None:
    """Screenshots at desktop (1280 px) and phone (390 px) widths, as artifacts/NAME-1280.png and NAME-390.png."""
    shot(page, f"{name}-1280.png")
    page.set_viewport_size({"width": 390, "height": 900})
    page.wait_for_timeout(800)
    shot(page, f"{name}-390.png")


def wait_app(page) -> None:
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)


def settle_width(page) -> None:
    """A fresh page on a phone reruns once, soon after it is drawn, to tell Python its width. Wait until the page
    says Python drew it for this width (``data-gmg-width``, set by gmg.ui.viewport on every page that draws it),
    then for the app to be idle. A fixed 1.2 s wait here let that rerun land mid-test on a busy CI machine."""
    page.wait_for_function("() => document.documentElement.dataset.gmgWidth !== undefined", timeout=30000)
    wait_app(page)


def one_plot(page, key: str):
    """The one plotly figure of element ``key``, once there is exactly one: while a rerun (a phone's first, to tell
    Python its width) replaces a figure, the old and the new one are both on the page for a moment."""
    sel = f".st-key-{key} .js-plotly-plot"
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 1", arg=sel, timeout=30000)
    return page.locator(sel)


def open_lab(page, url: str):
    """Go to /lab, wait for the app to settle, and return the maze editor's locator once it is drawn."""
    page.goto(url + "/lab")
    wait_app(page)
    editor = page.locator("[data-testid='gmg-editor']")
    editor.wait_for(timeout=30000)
    # The first wait can pass before the first script run has even started; a click that lands in that run can be
    # lost on a busy machine (test_lab_errors_stay_next_to_their_cause failed so, once, beside a training run).
    wait_app(page)
    return editor


SERVER_LOG = ARTIFACTS / "server.log"


@contextmanager
def running_app(port: int | None = None, log: Path | None = None) -> Iterator[tuple[str, float]]:
    """`streamlit run app.py` on a free port; yields (base URL, perf_counter at launch) once healthy.

    With ``log``, the server's output goes to that file (the browser tests read it for warnings).
    """
    port = port or free_port()
    # GMG_SERVER_PYTHON serves from another venv (CI: one built from requirements.txt alone, without torch).
    python = os.environ.get("GMG_SERVER_PYTHON", sys.executable)
    cmd = [
        python,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
    ]
    t0 = time.perf_counter()
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
    out = log.open("w") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("streamlit did not start within 30 s")
        yield url, t0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if log is not None:
            out.close()


def server_pid(url: str) -> int:
    """The pid listening on the URL's port (for memory measurements)."""
    port = url.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-ltnp", f"sport = :{port}"], capture_output=True, text=True, check=False).stdout
    return int(out.split("pid=")[1].split(",")[0])


def go_to(page, section: str, name: str) -> None:
    """Open a page from the top navigation: its section's dropdown ("Story", "Tools", "Method"), then the page."""
    page.locator("[data-testid='stTopNavSection']", has_text=section).first.click()
    page.get_by_role("menuitem", name=name).first.click()
