"""The Experiments page's default result, computed ahead from the shipped agents so the page opens with it.

``python -m scripts.default_experiment`` plays the default settings and writes :data:`PATH`, with a fingerprint
(SHA-256 of each agent's weights and card). The page shows it only while every fingerprint matches the agents
on disk, so a retrained agent never shows an old result: the page then asks for a Run, and
tests/app/test_experiments_default.py fails until the file is written again. No streamlit import here.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from gmg.agents import AGENTS_DIR, REFERENCE_AGENTS, available, read_card

PATH = AGENTS_DIR.parent / "default-experiment.json"
SPLITS = ("cue/train:mix", "cue/shift:mix")  # the world the agents trained in
EPISODES = 300
SEED = 0
COMMAND = "python -m scripts.default_experiment"


def default_agents() -> list[str]:
    """The agents the page starts with: every cue agent (the dose-response curve needs them all)."""
    names = available()
    cue = [n for n in names if n not in REFERENCE_AGENTS and read_card(n).get("scenario") == "cue"]
    return cue or names[:2]


def settings() -> tuple[tuple[str, ...], tuple[str, ...], int, int]:
    """(agents, splits, mazes per split, seed): what the page's controls start at, and what the file holds."""
    return tuple(default_agents()), SPLITS, EPISODES, SEED


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else "missing"


@lru_cache(maxsize=8)
def _fingerprint_cached(name: str, stamp: tuple) -> str:
    return _digest(AGENTS_DIR / f"{name}.safetensors") + "-" + _digest(AGENTS_DIR / f"{name}.json")


def fingerprint(name: str) -> str:
    """The agent's weights and card, hashed (recomputed only when a file's size or time changes)."""
    files = [AGENTS_DIR / f"{name}.safetensors", AGENTS_DIR / f"{name}.json"]
    stamp = tuple((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else None for f in files)
    return _fingerprint_cached(name, stamp)


def compute(progress: Any = None) -> dict[str, Any]:
    """Play the default settings now; the dict that :data:`PATH` holds."""
    from gmg import experiments
    from gmg.agents import load_agent

    agents, splits, episodes, seed = settings()
    rows = experiments.experiment([load_agent(a) for a in agents], list(splits), episodes, seed, progress=progress)
    return {
        "command": COMMAND,
        "settings": {"agents": list(agents), "splits": list(splits), "episodes": episodes, "seed": seed},
        "fingerprints": {a: fingerprint(a) for a in agents},
        "rows": rows,
    }


def stale_reason(saved: dict[str, Any] | None) -> str | None:
    """Why ``saved`` does not describe the current agents and settings, or None if it does."""
    if saved is None:
        return f"{PATH.name} is missing"
    agents, splits, episodes, seed = settings()
    want = {"agents": list(agents), "splits": list(splits), "episodes": episodes, "seed": seed}
    if saved.get("settings") != want:
        return "the default settings changed"
    changed = [a for a in agents if saved.get("fingerprints", {}).get(a) != fingerprint(a)]
    if changed:
        return f"these agents changed since it was computed: {', '.join(changed)}"
    return None


def load() -> list[dict[str, Any]] | None:
    """The default result's rows, or None if the file is missing or stale."""
    try:
        saved = json.loads(PATH.read_text())
    except (OSError, ValueError):
        return None
    return saved["rows"] if stale_reason(saved) is None else None
