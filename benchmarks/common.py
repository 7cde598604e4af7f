"""Helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from gmg.agents import available, load_agent

SHIPPED = ("cue-always", "cue-diverse", "corner")


def shipped_agent(preferred: str = "cue-always"):
    """The preferred shipped agent, or the oracle if no trained agent is present."""
    names = available()
    for name in (preferred, *SHIPPED):
        if name in names:
            return load_agent(name)
    return load_agent("oracle")


def median_seconds(fn: Callable[[], object], repeats: int, warmup: int = 1) -> tuple[float, list[float]]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times
