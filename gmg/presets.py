"""Preset mazes and the recorded example runs that the landing page replays (see scripts/make_examples.py)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from gmg.layout import Layout, LayoutError

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PRESETS_DIR = ASSETS / "presets"
EXAMPLES_DIR = ASSETS / "examples"

# Everything here is read from assets alone, so one copy per server process serves every visitor.


@lru_cache(maxsize=64)
def preset_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in PRESETS_DIR.glob("*.txt")))


@lru_cache(maxsize=64)
def load_preset(name: str) -> Layout:
    path = PRESETS_DIR / f"{name}.txt"
    if not path.exists():
        raise LayoutError(f"no preset named {name!r}: available are {', '.join(preset_names())}")
    return Layout.from_text(path.read_text())


@lru_cache(maxsize=64)
def preset_description(name: str) -> str:
    path = PRESETS_DIR / f"{name}.md"
    return path.read_text().strip() if path.exists() else ""


@lru_cache(maxsize=64)
def load_examples() -> dict[str, dict]:
    """The recorded example runs by preset name (see scripts/make_examples.py)."""
    path = EXAMPLES_DIR / "examples.json"
    if not path.exists():
        return {}
    return {ex["preset"]: ex for ex in json.loads(path.read_text())}


@lru_cache(maxsize=64)
def example_gif(preset: str) -> bytes | None:
    path = EXAMPLES_DIR / f"{preset}.gif"
    return path.read_bytes() if path.exists() else None
