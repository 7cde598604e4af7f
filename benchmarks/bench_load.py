"""Load: concurrent visitors in headless Chromium against the app, or against replicas behind nginx.

    python -m benchmarks.bench_load [--sessions 1 5 10 20] [--replicas 2] [--no-neighbour] [--replay ROUNDS]

Each session is its own browser context (its own Streamlit session). It loads
/lab (timed to the editor's maze, then to the whole page drawn and idle), paints
a wall, presses Run, turns on the outcome map, then follows the navigation to
Compare and presses Run both. Run is timed to the new run's figure drawn, and
its server part to the message that ends its script run. With 5 or fewer
sessions a second wave has every session press Run at the same moment. The benchmark reports errors,
p50/p95/max per action, the server's CPU seconds per visitor for the lab loop
(load /lab, Run, outcome map), and server memory (VmRSS of every server process
and its children) at idle, after one session, with 10 and 20 open sessions, and
60 s after they close. The noisy-neighbour case runs the largest experiment the
public budget allows in one session while another presses Run five times.

With ``--replicas N`` it starts N servers and Debian's nginx on loopback with
deploy/nginx.conf (``apt-get install nginx``), runs the sessions through nginx,
and checks that every session stays on one replica.

Chromium shares the 2 cores with the server, so client latencies at 10 or more
sessions measure the machine as much as the app. ``--browser-nice 19`` runs
every Chromium process at the lowest CPU priority: the load generator then
yields the cores to the server under test, as visitors' browsers on their own
machines would. The tabs still share the cores among themselves.

``--replay ROUNDS`` measures load as a host sees it, where every visitor's browser
runs on the visitor's own machine. It records one Chromium session's lab and
Compare loop as the messages (BackMsgs) its page sends over Streamlit's
websocket, and plays them from Python protocol clients, each message once the
script run before it has finished. For each N in ``--sessions`` it runs ROUNDS
rounds of N protocol clients alone (the server's part), then ROUNDS rounds of one
Chromium session, timed as above, beside N - 1 clients that start over as new
visitors until it is done; each with and without Run pressed at one moment.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import websockets
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.browser_helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, running_app, server_pid

TIMEOUT_MS = 180_000
CLK_TCK = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return out


def rss_mb(pids: list[int]) -> float:
    total = 0
    for root in pids:
        for p in _tree(root):
            try:
                for line in Path(f"/proc/{p}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
    return total / 1024


def _ticks(pid: int) -> int:
    """utime + stime of one process, in clock ticks (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return 0


def cpu_seconds(pids: list[int]) -> float:
    return sum(_ticks(p) for root in pids for p in _tree(root)) / CLK_TCK


def chromium_cpu_seconds() -> float:
    """CPU seconds of every Chromium process on the machine (the benchmark's browsers)."""
    total = 0
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"chromium" in (proc / "cmdline").read_bytes().split(b"\0")[0]:
                total += _ticks(int(proc.name))
        except OSError:
            pass
    return total / CLK_TCK


async def _idle(page) -> None:
    await page.wait_for_timeout(100)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )


async def _timed(page, timings: dict, name: str, action) -> None:
    page.gmg_step = name  # --replay records which step sent each message
    t0 = time.perf_counter()
    await action()
    timings[name].append(time.perf_counter() - t0)


# The token of the run drawn in the lab's figure (gmg.ui.viewport.autoplay), or null before any run.
RUN_TOKEN = "() => { const g = document.querySelector('.st-key-lab_figure .js-plotly-plot'); return g && g.layout && g.layout.meta || null; }"


async def lab_loop(page, base: str, timings: dict, together: asyncio.Barrier | None = None) -> None:
    """Load /lab, paint a wall, press Run, turn on the outcome map (with ``together``, every session waits there
    until all have painted, and they press Run at the same moment)."""

    async def load():
        await page.goto(base + "/lab", timeout=TIMEOUT_MS)
        await page.locator("[data-testid='gmg-editor'] .gmg-cell").first.wait_for(timeout=TIMEOUT_MS)

    async def settle():
        # The rest of the page: the maze figure drawn (plotly's script first) and no script run left. Until the
        # seventh round nothing waited for it, and that work was billed to the Run that followed.
        await page.locator(".st-key-lab_figure .js-plotly-plot").first.wait_for(timeout=TIMEOUT_MS)
        await _idle(page)

    async def edit():
        await page.wait_for_function("() => location.search.includes('maze=')", timeout=TIMEOUT_MS)
        before = await page.evaluate("() => new URLSearchParams(location.search).get('maze')")
        await page.locator("[data-testid='gmg-editor'] .gmg-cell:not(.wall):not(.S):not(.G):not(.C)").first.click()
        await page.wait_for_function(
            "(b) => new URLSearchParams(location.search).get('maze') !== b", arg=before, timeout=TIMEOUT_MS
        )

    async def run():
        # Until this run's figure is drawn: the maze figure has a Play button before any run, so waiting for "Play"
        # (as this benchmark did until the sixth round) timed only the click.
        before = await page.evaluate(RUN_TOKEN)
        finished = page.gmg_finished
        count = len(finished)
        t0 = time.perf_counter()
        await page.get_by_role("button", name="▶ Run").click()
        await page.wait_for_function(
            f"(b) => {{ const t = ({RUN_TOKEN})(); return t && t !== b; }}", arg=before, timeout=TIMEOUT_MS
        )
        # The server's part: from the click to the message that ends the Run's script run (a visitor's browser
        # draws the reply on its own CPU; here five browsers share the server's 2 cores).
        # (The figure can be drawn before the script run's last message arrives.)
        for _ in range(600):
            if len(finished) > count:
                timings["Run: server reply"].append(finished[count] - t0)
                break
            await asyncio.sleep(0.05)

    async def outcome_map():
        await page.get_by_text("outcome map", exact=True).click()
        await page.get_by_text("goal first", exact=False).first.wait_for(timeout=TIMEOUT_MS)

    steps = (("load /lab", load), ("…all drawn", settle), ("edit", edit), ("Run", run), ("outcome map", outcome_map))
    for name, action in steps:
        if name == "Run" and together is not None:
            await together.wait()
        await _timed(page, timings, name, action)


async def compare_loop(page, timings: dict) -> None:
    async def load():
        # Pages sit in the top navigation's sections: open "Tools", then Compare.
        await page.locator("[data-testid='stTopNavSection']", has_text="Tools").first.click()
        await page.get_by_role("menuitem", name="Compare").first.click()
        await page.get_by_role("button", name="▶ Run both").wait_for(timeout=TIMEOUT_MS)

    async def run_both():
        await page.get_by_role("button", name="▶ Run both").click()
        await page.get_by_text("Play").first.wait_for(timeout=TIMEOUT_MS)
        await _idle(page)

    for name, action in (("open /compare", load), ("Run both", run_both)):
        await _timed(page, timings, name, action)


def _script_finished(frame: bytes | str, out: list[float]) -> None:
    """Record the arrival time of a ForwardMsg that says a script run finished."""
    if isinstance(frame, bytes):
        msg = ForwardMsg()
        try:
            msg.ParseFromString(frame)
        except Exception:  # not a ForwardMsg: nothing to record
            return
        if msg.WhichOneof("type") == "script_finished":
            out.append(time.perf_counter())


async def session(
    browser, base: str, timings: dict, errors: list, replicas: list, compare: bool = True, together=None, sent=None
):
    """One visitor's lab and compare loops; with ``sent`` (a list), keep every (step, frame) the page sends."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    page.gmg_finished = []  # when each script run's "finished" message arrived (perf_counter)
    page.gmg_step = ""
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: _script_finished(f, page.gmg_finished)))
    if sent is not None:
        page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append((page.gmg_step, f))))
    seen: set[str] = set()
    page.on("pageerror", lambda e: errors.append(f"page error: {e}" + ("" if errors else f"\n{e.stack}")))
    page.on("response", lambda r: seen.add(r.headers.get("x-gmg-replica", "")) if "_stcore" in r.url else None)
    try:
        await lab_loop(page, base, timings, together)
        if compare:
            await compare_loop(page, timings)
        if await page.get_by_text("Connection error").count():
            errors.append("connection error shown")
    except Exception as err:  # a timeout or a lost page counts as an error, and the run goes on
        errors.append(f"{type(err).__name__}: {str(err).splitlines()[0]}")
    replicas.append(seen - {""})
    return context


async def record(browser, base: str) -> list[tuple[str, bytes]]:
    """One browser session's lab and compare loops, as the (step, BackMsg) frames its page sent to the server."""
    sent: list = []
    errors: list[str] = []
    context = await session(browser, base, defaultdict(list), errors, [], sent=sent)
    await context.close()
    if errors:
        raise SystemExit(f"could not record a session: {errors[0]}")
    return [(step, f) for step, f in sent if isinstance(f, bytes)]


async def replay(
    base: str, script: list[tuple[str, bytes]], timings: dict, errors: list, together=None, until=None, frames=None
) -> None:
    """A visitor without a browser: send a recorded session's messages over Streamlit's websocket, each once the
    script run before it has finished, timing each step to the end of the run it started (the server's part alone).
    With ``together``, wait there before Run. With ``until`` (an event), start over as a new visitor until it is set.
    With ``frames`` (a list), keep every (step, frame) received."""
    await _replay_once(base, script, timings, errors, together, frames)
    while until is not None and not until.is_set():
        await _replay_once(base, script, timings, errors, None, frames)


async def _replay_once(base: str, script: list, timings: dict, errors: list, together, frames) -> None:
    origin = base.replace("http://", "ws://")
    try:
        async with websockets.connect(
            f"{origin}/_stcore/stream", subprotocols=["streamlit"], origin=base, max_size=None
        ) as ws:
            for step, frame in script:
                if step == "Run" and together is not None:
                    await together.wait()
                t0 = time.perf_counter()
                await ws.send(frame)
                back = BackMsg()
                back.ParseFromString(frame)
                if back.WhichOneof("type") != "rerun_script":
                    continue
                drawn = 0
                while True:  # to the end of the last script run this message started (st.rerun starts another)
                    msg = ForwardMsg()
                    msg.ParseFromString(received := await asyncio.wait_for(ws.recv(), TIMEOUT_MS / 1000))
                    if frames is not None:
                        frames.append((step, received))
                    drawn += msg.WhichOneof("type") == "delta"
                    if (
                        msg.WhichOneof("type") == "script_finished"
                        and msg.script_finished != msg.FINISHED_EARLY_FOR_RERUN
                    ):
                        break
                timings[step].append(time.perf_counter() - t0)
                if not drawn:  # the app ignored the message: the recording no longer fits it
                    errors.append(f"protocol client: {step} drew nothing")
    except Exception as err:  # a timeout or a closed socket counts as an error, and the run goes on
        errors.append(f"protocol client: {type(err).__name__}: {err}")
        if together is not None:
            await together.abort()  # the others must not wait for this client at Run for ever


async def _visitor(browser, base: str, timings: dict, errors: list, together, done):
    """The measured session; it sets ``done`` when it is over."""
    ctx = await session(browser, base, timings, errors, [], True, together)
    if done is not None:
        done.set()
    return ctx


async def replay_wave(
    browser, base: str, n: int, pids: list[int], script: list, rounds: int, together: bool = False
) -> None:
    """``rounds`` times: one Chromium session, timed as in ``wave``, beside n - 1 protocol clients (n of them with
    ``browser=None``). Only the measured visitor's browser shares the server's cores, as on a real host."""
    timings: dict = defaultdict(list)
    others: dict = defaultdict(list)
    errors: list[str] = []
    cpu0 = cpu_seconds(pids)
    for _ in range(rounds):
        barrier = asyncio.Barrier(n) if together else None
        if browser is None:
            await asyncio.gather(*(replay(base, script, others, errors, barrier) for _ in range(n)))
            continue
        # Without a shared Run, the clients keep replaying until the browser's session is done, so that all of its
        # steps meet n - 1 other sessions' work.
        done = None if together else asyncio.Event()
        clients = [replay(base, script, others, errors, barrier, done) for _ in range(n - 1)]

        ctx, *_ = await asyncio.gather(_visitor(browser, base, timings, errors, barrier, done), *clients)
        await ctx.close()
    cpu = cpu_seconds(pids) - cpu0
    label = f"one Chromium session and {n - 1} protocol clients" if browser else f"{n} protocol clients"
    visitors = len(timings.get("load /lab", [])) + len(others.get("load /lab", []))  # every visit loads /lab once
    print(
        f"{label}, {rounds} rounds{' (Run at one moment)' if together else ''}: {len(errors)} errors, "
        f"server CPU {cpu:.1f} s for {visitors} visitors ({cpu / visitors:.2f} s each)"
    )
    for name, values in timings.items():
        print(f"  {name:<13} {_quantiles(values)}")
    for name, values in others.items():
        print(f"  clients: {name:<13} {_quantiles(values)}")
    for e in errors[:5]:
        print(f"  error: {e}")


def _quantiles(values: list[float]) -> str:
    if not values:
        return "-"
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"p50 {statistics.median(values):.2f} s, p95 {p95:.2f} s, max {values[-1]:.2f} s (n={len(values)})"


async def wave(
    browser,
    base: str,
    n: int,
    pids: list[int],
    label: str,
    compare: bool = True,
    at_once: int = 0,
    together: bool = False,
) -> list:
    """``n`` sessions, all at once (or ``at_once`` at a time); with ``together``, they press Run at one moment."""
    timings: dict = defaultdict(list)
    errors: list[str] = []
    replicas: list[set] = []
    cpu0, browsers0, wall0 = cpu_seconds(pids), chromium_cpu_seconds(), time.perf_counter()
    contexts = []
    step = at_once or n
    for _ in range(0, n, step):
        barrier = asyncio.Barrier(step) if together else None
        contexts += await asyncio.gather(
            *(session(browser, base, timings, errors, replicas, compare, barrier) for _ in range(step))
        )
    cpu = cpu_seconds(pids) - cpu0
    browsers, wall = chromium_cpu_seconds() - browsers0, time.perf_counter() - wall0
    print(f"{label}: {n} sessions, {len(errors)} errors, server CPU {cpu:.1f} s ({cpu / n:.2f} s per visitor)")
    # What shares the 2 cores: the browsers' CPU against the server's, over the wave's wall time.
    print(f"  Chromium CPU {browsers:.1f} s ({browsers / n:.2f} s per visitor) in {wall:.1f} s of wall time")
    for name, values in timings.items():
        print(f"  {name:<13} {_quantiles(values)}")
    for e in errors[:5]:
        print(f"  error: {e}")
    print(f"  server memory with the sessions open: {rss_mb(pids):.0f} MB")
    if any(replicas):
        moved = sum(len(r) > 1 for r in replicas)
        used = set().union(*replicas)
        print(f"  replicas used: {sorted(used)}; sessions that changed replica: {moved}")
    return contexts


async def noisy_neighbour(browser, base: str) -> None:
    """One session runs the largest experiment the public budget allows; another presses Run five times."""

    async def runs(page, n: int) -> list[float]:
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            await page.get_by_role("button", name="▶ Run").click()
            await _idle(page)
            times.append(time.perf_counter() - t0)
        return times

    ctx_b = await browser.new_context()
    ctx_b.set_default_timeout(TIMEOUT_MS)
    b = await ctx_b.new_page()
    await b.goto(base + "/lab")
    await b.locator("[data-testid='gmg-editor']").wait_for(timeout=TIMEOUT_MS)
    await _idle(b)
    alone = await runs(b, 5)

    ctx_a = await browser.new_context()
    ctx_a.set_default_timeout(TIMEOUT_MS)
    a = await ctx_a.new_page()
    await a.goto(base + "/experiments")
    await a.get_by_role("button", name="Run experiment").wait_for(timeout=TIMEOUT_MS)
    box = a.get_by_label("Mazes per split")
    await box.fill(str(await largest_allowed(a)))
    await box.press("Enter")
    await _idle(a)
    t0 = time.perf_counter()
    await a.get_by_role("button", name="Run experiment").click()
    await a.get_by_text("Running", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    busy = await runs(b, 5)
    await a.get_by_text("Done:", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    heavy = time.perf_counter() - t0
    ratio = statistics.median(busy) / statistics.median(alone)
    print(
        f"noisy neighbour: Run alone median {statistics.median(alone):.2f} s; during the largest allowed experiment "
        f"({heavy:.1f} s) median {statistics.median(busy):.2f} s: {ratio:.2f}x (budget 1.5x)"
    )
    await ctx_a.close()
    await ctx_b.close()


async def largest_allowed(page) -> int:
    """Mazes per split such that the page's default selection (the 4 cue agents x 2 splits) fills the public budget."""
    text = await page.get_by_text("public budget", exact=False).first.inner_text()
    budget = int(re.search(r"([\d,]+) episodes", text).group(1).replace(",", ""))
    return budget // 8


async def main_async(args: argparse.Namespace) -> None:
    with ExitStack() as stack:
        if args.replicas > 1:
            base, pids = start_replicas(stack, args.replicas)
        else:
            base, _ = stack.enter_context(running_app())
            pids = [server_pid(base)]
        await asyncio.sleep(2)
        print(f"server memory at idle: {rss_mb(pids):.0f} MB")
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium_at(args.browser_nice, stack), args=CHROMIUM_ARGS)
            if args.replay:
                await replay_main(browser, base, pids, args)
                await browser.close()
                return
            contexts = await wave(browser, base, 1, pids, "1 session (lab loop only)", compare=False)
            print(f"server memory after one session ran the lab: {rss_mb(pids):.0f} MB")
            for ctx in contexts:
                await ctx.close()
            # The first visitor pays one-time costs (imports, the default maze's cached maps); later ones do not.
            for ctx in await wave(browser, base, 3, pids, "3 more sessions, one at a time (lab loop, warm)", False, 1):
                await ctx.close()
            for n in args.sessions:
                contexts = await wave(browser, base, n, pids, f"{n} concurrent sessions")
                for ctx in contexts:
                    await ctx.close()
                await asyncio.sleep(3)
                if n <= 5:
                    # The same sessions, but the Runs overlap each other rather than the other tabs' page loads,
                    # which share the machine's 2 cores with the server (a real visitor's browser does not).
                    label = f"{n} concurrent sessions, Run pressed at one moment once all have loaded and painted"
                    for ctx in await wave(browser, base, n, pids, label, together=True):
                        await ctx.close()
                    await asyncio.sleep(3)
            await asyncio.sleep(60)
            print(f"server memory 60 s after the sessions closed: {rss_mb(pids):.0f} MB")
            if not args.no_neighbour:
                await noisy_neighbour(browser, base)
            await browser.close()


async def replay_main(browser, base: str, pids: list[int], args: argparse.Namespace) -> None:
    script = await record(browser, base)
    steps = [step for step, _ in script]
    print(f"recorded one session: {len(script)} messages ({', '.join(steps)})")
    for n in args.sessions:
        for together in (False, True):
            await replay_wave(None, base, n, pids, script, args.replay, together)
            await replay_wave(browser, base, n, pids, script, args.replay, together)


def chromium_at(niceness: int, stack: ExitStack) -> str:
    """Chromium's executable, or a wrapper that starts it at ``niceness`` (its renderers inherit the priority)."""
    if niceness == 0:
        return CHROMIUM
    folder = Path(tempfile.mkdtemp(prefix="gmg-chromium-"))
    stack.callback(shutil.rmtree, folder, True)
    wrapper = folder / "chromium"
    # exec keeps Chromium's own executable as each process's argv[0] (chromium_cpu_seconds counts them by it).
    wrapper.write_text(f'#!/bin/sh\nexec nice -n {niceness} {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    print(f"browsers run at nice {niceness}: they yield the CPU to the server")
    return str(wrapper)


def start_replicas(stack: ExitStack, n: int) -> tuple[str, list[int]]:
    """N servers on ports 8601.. and nginx on 8600 with deploy/nginx.conf."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is not installed: apt-get install nginx")
    pids = []
    for i in range(n):
        url, _ = stack.enter_context(running_app(port=8601 + i))
        pids.append(server_pid(url))
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(f"        server 127.0.0.1:{8601 + i};\n" for i in range(n))
    conf = re.sub(r"(        server 127\.0\.0\.1:86\d\d;\n)+", servers, conf)
    prefix = Path(tempfile.mkdtemp(prefix="gmg-nginx-"))
    (prefix / "nginx.conf").write_text(conf)
    proc = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"])
    stack.callback(proc.wait, 10)
    stack.callback(proc.terminate)
    time.sleep(1)
    return "http://127.0.0.1:8600", [*pids, proc.pid]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, nargs="+", default=[5, 10, 20])
    ap.add_argument("--replicas", type=int, default=1)
    ap.add_argument("--no-neighbour", action="store_true")
    ap.add_argument("--replay", type=int, default=0, metavar="ROUNDS", help="protocol clients: see the docstring")
    ap.add_argument("--browser-nice", type=int, default=0, metavar="N", help="run Chromium at this niceness (0-19)")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
