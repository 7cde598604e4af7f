"""What the maze lab computes: single runs, whole-maze maps, edits and presets.

No Streamlit here; the pages call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gmg.layout import Cell, Layout, LayoutError
from gmg.rollout import OUTCOMES, Agent, classify, rollout
from gmg.world import Levels

PRESETS_DIR = Path(__file__).resolve().parent.parent / "assets" / "presets"
TOOLS = ("wall", "floor", "start", "goal", "cue")
# Samples per cell in the whole-maze maps: the policy is stochastic.
MAP_SAMPLES = 4


@dataclass(frozen=True)
class Trajectory:
    """One episode of one agent on one layout.

    path : the cells visited, start first. goal_step / proxy_step: first step
    on the goal / proxy (-1 never). shortest: BFS start-to-goal (-1 unreachable).
    """

    layout: Layout
    agent: str
    seed: int
    greedy: bool
    path: list[Cell]
    goal_step: int
    proxy_step: int
    shortest: int
    corner_size: int | None = None

    @property
    def steps(self) -> int:
        return len(self.path) - 1

    @property
    def outcome(self) -> str:
        return OUTCOMES[int(classify(np.array([self.goal_step]), np.array([self.proxy_step]))[0])]

    @property
    def reached_goal(self) -> bool:
        return self.goal_step >= 0

    @property
    def reached_proxy(self) -> bool:
        return self.proxy_step >= 0

    @property
    def efficiency(self) -> float | None:
        return self.shortest / self.goal_step if self.goal_step > 0 and self.shortest > 0 else None


def proxy_corner(agent: Agent, layout: Layout) -> int | None:
    """The corner size to score against: a corner agent's proxy, for layouts without a cue."""
    card = agent.card
    if card.get("proxy") == "corner" or (layout.cue is None and card.get("corner_size")):
        return int(card.get("corner_size") or 3)
    return None


def run(agent: Agent, layout: Layout, seed: int = 0, greedy: bool = False) -> Trajectory:
    """One live episode. Raises LayoutError if the agent cannot run this layout."""
    corner = proxy_corner(agent, layout)
    runs = rollout(agent, [layout], seed=seed, greedy=greedy, corner_size=corner)
    return Trajectory(
        layout,
        agent.card["name"],
        seed,
        greedy,
        runs.path(0),
        int(runs.goal_step[0]),
        int(runs.proxy_step[0]),
        int(runs.shortest[0]),
        corner,
    )


def _free_cells(layout: Layout, exclude: tuple[Cell | None, ...]) -> list[Cell]:
    skip = {c for c in exclude if c is not None}
    return [(int(r), int(c)) for r, c in np.argwhere(~layout.walls) if (r, c) not in skip]


def outcome_map(agent: Agent, layout: Layout, seed: int = 0, samples: int = MAP_SAMPLES) -> dict[Cell, np.ndarray]:
    """For every free start cell: outcome counts int64[4] (intended, proxy, proxy-then-goal, neither)."""
    cells = _free_cells(layout, (layout.goal, layout.cue))
    layouts = [layout.replace(start=c) for c in cells for _ in range(samples)]
    return _counts(agent, layout, cells, layouts, seed, samples)


def cue_map(agent: Agent, layout: Layout, seed: int = 0, samples: int = MAP_SAMPLES) -> dict[Cell, np.ndarray]:
    """For every cell the cue could occupy: outcome counts int64[4] with the cue there."""
    cells = _free_cells(layout, (layout.goal, layout.start))
    layouts = [layout.replace(cue=c) for c in cells for _ in range(samples)]
    return _counts(agent, layout, cells, layouts, seed, samples)


def _counts(
    agent: Agent, layout: Layout, cells: list[Cell], layouts: list[Layout], seed: int, samples: int
) -> dict[Cell, np.ndarray]:
    if not cells:
        return {}
    if hasattr(agent, "check_layout"):
        agent.check_layout(layout)
    levels = Levels.from_layouts(layouts, agent.view_size, corner_size=proxy_corner(agent, layout))
    outcomes = rollout(agent, levels, seed=seed).outcomes.reshape(len(cells), samples)
    return {cell: np.bincount(row, minlength=len(OUTCOMES)) for cell, row in zip(cells, outcomes, strict=True)}


def policy_field(agent: Agent, layout: Layout) -> dict[Cell, np.ndarray]:
    """Action probabilities float[4] (up, right, down, left) with the agent at each free cell.

    As on an episode's first step: an agent with one step of memory sees no previous cell.
    """
    cells = _free_cells(layout, (layout.goal,))
    if not cells:
        return {}
    levels = Levels.from_layouts([layout], agent.view_size)
    obs = levels.observe(np.zeros(len(cells), dtype=np.int64), np.array(cells, dtype=np.int64))
    probs = agent.action_probs(obs)
    return {cell: p for cell, p in zip(cells, probs, strict=True)}


# -- editing ------------------------------------------------------------------


def paint(layout: Layout, tool: str, cells: list[Cell]) -> Layout:
    """Apply one paint stroke. Start, goal and cue move to the last cell; walls and floor fill.

    Raises LayoutError (and the caller keeps the old layout) when a stroke would
    bury the start or goal under a wall or put two objects on one cell.
    """
    if tool not in TOOLS:
        raise LayoutError(f"unknown tool {tool!r}: use one of {', '.join(TOOLS)}")
    h, w = layout.shape
    cells = [(int(r), int(c)) for r, c in cells if 0 <= int(r) < h and 0 <= int(c) < w]
    if not cells:
        return layout
    if tool in ("start", "goal", "cue"):
        target = cells[-1]
        if tool == "cue" and layout.cue == target:
            return layout.replace(cue=None)  # clicking the cue again removes it
        walls = layout.walls.copy()
        walls[target] = False
        return layout.replace(walls=walls, **{tool: target})
    walls = layout.walls.copy()
    for cell in cells:
        if tool == "wall":
            for name in ("start", "goal", "cue"):
                if getattr(layout, name) == cell:
                    raise LayoutError(
                        f"row {cell[0]}, column {cell[1]} holds the {name}: move it before walling the cell"
                    )
        walls[cell] = tool == "wall"
    return layout.replace(walls=walls)


def resize(layout: Layout, height: int, width: int) -> Layout:
    """Crop or extend (with floor inside a wall border) keeping objects that still fit."""
    from gmg.layout import MAX_SIDE, MIN_SIDE

    for name, side in (("height", height), ("width", width)):
        if not MIN_SIDE <= side <= MAX_SIDE:
            raise LayoutError(f"{name} {side} is out of range: layouts are {MIN_SIDE} to {MAX_SIDE} cells per side")
    walls = np.zeros((height, width), dtype=bool)
    walls[0, :] = walls[-1, :] = walls[:, 0] = walls[:, -1] = True
    h, w = min(height, layout.height) - 1, min(width, layout.width) - 1
    walls[1:h, 1:w] = layout.walls[1:h, 1:w]

    def fit(cell: Cell | None, fallback: Cell) -> Cell:
        if cell is not None and 0 < cell[0] < height - 1 and 0 < cell[1] < width - 1:
            return cell
        return fallback

    start = fit(layout.start, (height - 2, 1))
    goal = fit(layout.goal, (1, width - 2))
    cue = layout.cue if layout.cue is not None and fit(layout.cue, (-1, -1)) != (-1, -1) else None
    for cell in (start, goal, cue):
        if cell is not None:
            walls[cell] = False
    if goal == start:
        goal = (1, 1) if start != (1, 1) else (1, 2)
        walls[goal] = False
    if cue in (start, goal):
        cue = None
    return Layout(walls, start, goal, cue)


# -- presets ------------------------------------------------------------------


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.txt"))


def load_preset(name: str) -> Layout:
    path = PRESETS_DIR / f"{name}.txt"
    if not path.exists():
        raise LayoutError(f"no preset named {name!r}: available are {', '.join(preset_names())}")
    return Layout.from_text(path.read_text())


def preset_description(name: str) -> str:
    path = PRESETS_DIR / f"{name}.md"
    return path.read_text().strip() if path.exists() else ""


EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "assets" / "examples"


def load_examples() -> dict[str, dict]:
    """The recorded example runs by preset name (see scripts/make_examples.py)."""
    import json

    path = EXAMPLES_DIR / "examples.json"
    if not path.exists():
        return {}
    return {ex["preset"]: ex for ex in json.loads(path.read_text())}


def example_gif(preset: str) -> bytes | None:
    path = EXAMPLES_DIR / f"{preset}.gif"
    return path.read_bytes() if path.exists() else None
