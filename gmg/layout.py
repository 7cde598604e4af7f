"""The maze layout: an immutable grid with a start, a goal and an optional cue.

A ``Layout`` is static level data (like jaxgmg's ``Level``); episode state lives
in the environments. Codecs turn layouts into text, JSON and a compact URL-safe
code, and every codec raises :class:`LayoutError` (and nothing else) on bad input.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections import deque
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from typing import Any

import numpy as np

MIN_SIDE = 5
MAX_SIDE = 25
JSON_FORMAT = "gmg-layout"
JSON_VERSION = 1
CODE_VERSION = 1
# A 25x25 code is 124 characters; anything much longer is not a layout code.
MAX_CODE_CHARS = 200

_CODE_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

WALL, FLOOR, START, GOAL, CUE = "#", ".", "S", "G", "C"
TEXT_CHARS = {WALL, FLOOR, START, GOAL, CUE}

Cell = tuple[int, int]


class LayoutError(ValueError):
    """Bad layout input. The message says what is wrong and where (row/column)."""


def check_side(name: str, value: int) -> None:
    if not MIN_SIDE <= value <= MAX_SIDE:
        raise LayoutError(f"{name} {value} is out of range: layouts are {MIN_SIDE} to {MAX_SIDE} cells per side")


@dataclass(frozen=True, eq=False)
class Layout:
    """A maze.

    walls : bool[h, w], True where there is a wall (read-only copy).
    start, goal : (row, col) of the agent's start and the intended goal.
    cue : (row, col) of the visual cue, or None.

    Cells outside the grid count as walls. An unreachable goal is allowed
    (a what-if may want one) and reported by :attr:`goal_reachable`.
    """

    walls: np.ndarray
    start: Cell
    goal: Cell
    cue: Cell | None = None
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        walls = np.array(self.walls, dtype=bool, copy=True)
        if walls.ndim != 2:
            raise LayoutError(f"walls must be a 2-D grid, got {walls.ndim} dimensions")
        h, w = walls.shape
        check_side("height", h)
        check_side("width", w)
        walls.flags.writeable = False
        object.__setattr__(self, "walls", walls)
        cells = {"start": self.start, "goal": self.goal}
        if self.cue is not None:
            cells["cue"] = self.cue
        seen: dict[Cell, str] = {}
        for name, cell in cells.items():
            cell = _as_cell(name, cell)
            object.__setattr__(self, name, cell)
            r, c = cell
            if not (0 <= r < h and 0 <= c < w):
                raise LayoutError(f"{name} at row {r}, column {c} is outside the {h}x{w} grid")
            if walls[r, c]:
                raise LayoutError(f"{name} at row {r}, column {c} is on a wall")
            if cell in seen:
                raise LayoutError(f"{name} and {seen[cell]} overlap at row {r}, column {c}")
            seen[cell] = name
        key = (walls.tobytes(), walls.shape, self.start, self.goal, self.cue)
        object.__setattr__(self, "_hash", hash(key))

    # -- basic properties -------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        return self.walls.shape  # type: ignore[return-value]

    @property
    def height(self) -> int:
        return int(self.walls.shape[0])

    @property
    def width(self) -> int:
        return int(self.walls.shape[1])

    @property
    def goal_reachable(self) -> bool:
        """Whether the goal can be reached from the start."""
        return bool(self.distances_from(self.start)[self.goal] >= 0)

    def distances_from(self, cell: Cell) -> np.ndarray:
        """BFS step counts from ``cell``: int32[h, w], -1 where unreachable or wall."""
        return bfs_distances(self.walls, cell)

    def replace(self, **changes: Any) -> Layout:
        """A copy with some fields changed (validated like any layout)."""
        return _replace(self, **changes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Layout):
            return NotImplemented
        same_cells = (self.start, self.goal, self.cue) == (other.start, other.goal, other.cue)
        return same_cells and np.array_equal(self.walls, other.walls)

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def parse(cls, text: str) -> Layout:
        """Any of the three formats, told apart by their look: a JSON object, a one-line code, or text rows."""
        if not isinstance(text, str):
            return cls.from_text(text)  # raises the type error
        stripped = text.strip()
        if stripped.startswith("{"):
            return cls.from_json(stripped)
        if stripped and "\n" not in stripped and not set(stripped) <= TEXT_CHARS:
            return cls.from_code(stripped)
        return cls.from_text(text)

    # -- text ---------------------------------------------------------------
    @classmethod
    def from_text(cls, text: str) -> Layout:
        """Parse rows of ``# . S G C`` (docs/design.md, "Layout text format"). Blank lines around it are ignored."""
        if not isinstance(text, str):
            raise LayoutError(f"layout text must be a string, got {type(text).__name__}")
        if not text.strip():
            raise LayoutError("the layout is empty: write one row per line using # . S G C")
        lines = [line.strip() for line in text.strip().split("\n")]
        walls = _wall_rows(lines, "#.SGC")
        found: dict[str, list[Cell]] = {START: [], GOAL: [], CUE: []}
        for r, line in enumerate(lines):
            for c, ch in enumerate(line):
                if ch in found:
                    found[ch].append((r, c))
        for ch, name in ((START, "start"), (GOAL, "goal"), (CUE, "cue")):
            if not found[ch] and ch != CUE:
                raise LayoutError(f"there is no {name} ({ch}): the layout needs exactly one")
            if len(found[ch]) > 1:
                where = "; ".join(f"row {r}, column {c}" for r, c in found[ch])
                allowed = "at most one" if ch == CUE else "exactly one"
                raise LayoutError(f"there are {len(found[ch])} {name}s ({ch}) at {where}: {allowed} is allowed")
        cue = found[CUE][0] if found[CUE] else None
        return cls(walls, found[START][0], found[GOAL][0], cue)

    def to_text(self) -> str:
        """Rows of ``# . S G C``, one per line, ending in a newline."""
        grid = np.where(self.walls, WALL, FLOOR).astype("<U1")
        grid[self.start] = START
        grid[self.goal] = GOAL
        if self.cue is not None:
            grid[self.cue] = CUE
        return "\n".join("".join(row) for row in grid) + "\n"

    # -- JSON ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "height": self.height,
            "width": self.width,
            "walls": ["".join("#" if x else "." for x in row) for row in self.walls],
            "start": list(self.start),
            "goal": list(self.goal),
            "cue": list(self.cue) if self.cue is not None else None,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)

    @classmethod
    def from_dict(cls, data: Any) -> Layout:
        if not isinstance(data, dict):
            raise LayoutError(f"layout JSON must be an object, got {type(data).__name__}")
        if data.get("format", JSON_FORMAT) != JSON_FORMAT:
            raise LayoutError(f"'format' is {data.get('format')!r}, expected {JSON_FORMAT!r}")
        version = data.get("version")
        if version != JSON_VERSION:
            raise LayoutError(f"'version' is {version!r}: this gmg reads layout version {JSON_VERSION}")
        for key in ("walls", "start", "goal"):
            if key not in data:
                raise LayoutError(f"layout JSON is missing the field {key!r}")
        rows = data["walls"]
        if not isinstance(rows, list) or not all(isinstance(r, str) for r in rows):
            raise LayoutError("'walls' must be a list of strings of # and .")
        if not rows:
            raise LayoutError("'walls' is empty")
        walls = _wall_rows(rows, "#.", "'walls': ")
        for key, value in zip(("height", "width"), walls.shape, strict=True):
            if key in data and data[key] != value:
                raise LayoutError(f"'{key}' is {data[key]!r} but 'walls' has {value}")
        cue = data.get("cue")
        return cls(
            walls,
            _as_cell("start", data["start"]),
            _as_cell("goal", data["goal"]),
            None if cue is None else _as_cell("cue", cue),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Layout:
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError, TypeError) as err:
            raise LayoutError(f"not valid JSON: {err}") from None
        return cls.from_dict(data)

    # -- URL code -----------------------------------------------------------
    def to_code(self) -> str:
        """A compact URL-safe code: version, size, cells and a wall bitmap, base64url.

        A 15x15 layout takes 55 characters.
        """
        h, w = self.shape
        cue = self.cue[0] * w + self.cue[1] if self.cue is not None else 0xFFFF
        head = bytes([CODE_VERSION, h, w]) + b"".join(
            int(i).to_bytes(2, "big") for i in (self.start[0] * w + self.start[1], self.goal[0] * w + self.goal[1], cue)
        )
        body = head + np.packbits(self.walls.ravel()).tobytes()
        crc = (zlib.crc32(body) & 0xFFFF).to_bytes(2, "big")
        return base64.urlsafe_b64encode(body + crc).decode().rstrip("=")

    @classmethod
    def from_code(cls, code: str) -> Layout:
        if not isinstance(code, str):
            raise LayoutError(f"a layout code must be text, got {type(code).__name__}")
        code = code.strip()
        if not code:
            raise LayoutError("the layout code is empty")
        if len(code) > MAX_CODE_CHARS:
            raise LayoutError(f"the layout code is {len(code)} characters long; codes are at most {MAX_CODE_CHARS}")
        bad = sorted(set(code) - _CODE_ALPHABET)
        if bad:
            raise LayoutError(f"the layout code has characters that are not URL-safe base64: {''.join(bad)!r}")
        try:
            raw = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
        except (binascii.Error, ValueError):
            raise LayoutError("the layout code is not valid URL-safe base64 (wrong length?)") from None
        if len(raw) < 11:
            raise LayoutError("the layout code is too short to be a layout")
        body, crc = raw[:-2], raw[-2:]
        if (zlib.crc32(body) & 0xFFFF).to_bytes(2, "big") != crc:
            raise LayoutError("the layout code is damaged (checksum mismatch): was it copied whole?")
        version, h, w = body[0], body[1], body[2]
        if version != CODE_VERSION:
            raise LayoutError(f"the layout code has version {version}; this gmg reads version {CODE_VERSION}")
        check_side("height", h)
        check_side("width", w)
        start, goal, cue = (int.from_bytes(body[3 + 2 * i : 5 + 2 * i], "big") for i in range(3))
        bits = np.frombuffer(body[9:], dtype=np.uint8)
        if len(bits) != (h * w + 7) // 8:
            raise LayoutError(f"the layout code's wall map has the wrong length for {h}x{w}")
        walls = np.unpackbits(bits)[: h * w].reshape(h, w).astype(bool)
        for name, idx in (("start", start), ("goal", goal)) + ((("cue", cue),) if cue != 0xFFFF else ()):
            if idx >= h * w:
                raise LayoutError(f"the layout code puts the {name} outside the {h}x{w} grid")
        return cls(
            walls,
            divmod(start, w),
            divmod(goal, w),
            None if cue == 0xFFFF else divmod(cue, w),
        )


def _wall_rows(rows: list[str], allowed: str, where: str = "") -> np.ndarray:
    """bool[h, w] walls from rows of one width that use only ``allowed``; a LayoutError says where if not."""
    width = len(rows[0])
    for r, row in enumerate(rows):
        if len(row) != width:
            raise LayoutError(
                f"{where}row {r} has {len(row)} cells but row 0 has {width}: all rows must be the same width"
            )
        for c, ch in enumerate(row):
            if ch not in allowed:
                raise LayoutError(f"{where}unknown character {ch!r} at row {r}, column {c}: use {' '.join(allowed)}")
    check_side("height", len(rows))
    check_side("width", width)
    return np.array([[ch == WALL for ch in row] for row in rows], dtype=bool)


def _as_cell(name: str, value: Any) -> Cell:
    """Coerce a (row, col) pair of ints, or raise LayoutError naming the field."""
    if isinstance(value, (list, tuple, np.ndarray)) and len(value) == 2:
        if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in value):
            return (int(value[0]), int(value[1]))
    raise LayoutError(f"{name} must be a [row, column] pair of integers, got {value!r}")


def bfs_distances(walls: np.ndarray, source: Cell | list[Cell], around: Cell | None = None) -> np.ndarray:
    """Step counts from ``source`` over 4-connected floor: int32[h, w], -1 if unreachable.

    walls : bool[h, w]. ``source`` is one (row, col) or a list of them (distance
    to the nearest). Sources on walls are ignored. ``around``: a cell the ways
    may not pass (the goal, which ends an episode), as if it were a wall.
    """
    h, w = walls.shape
    sources = [source] if isinstance(source, tuple) else list(source)
    free = ~np.asarray(walls, dtype=bool)
    # Flat lists are ~10x faster than indexing numpy cell by cell.
    free_flat = free.ravel().tolist()
    if around is not None:
        free_flat[int(around[0]) * w + int(around[1])] = False
    d = [-1] * (h * w)
    queue: deque[int] = deque()
    for r0, c0 in sources:
        i = int(r0) * w + int(c0)
        if free_flat[i] and d[i] < 0:
            d[i] = 0
            queue.append(i)
    while queue:
        i = queue.popleft()
        r, c = divmod(i, w)
        nd = d[i] + 1
        if r > 0 and free_flat[i - w] and d[i - w] < 0:
            d[i - w] = nd
            queue.append(i - w)
        if r < h - 1 and free_flat[i + w] and d[i + w] < 0:
            d[i + w] = nd
            queue.append(i + w)
        if c > 0 and free_flat[i - 1] and d[i - 1] < 0:
            d[i - 1] = nd
            queue.append(i - 1)
        if c < w - 1 and free_flat[i + 1] and d[i + 1] < 0:
            d[i + 1] = nd
            queue.append(i + 1)
    return np.array(d, dtype=np.int32).reshape(h, w)


def bfs_distances_batch(walls: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """BFS for many grids at once by frontier dilation: int32[n, h, w], -1 if unreachable.

    walls : bool[n, h, w]; sources : int[n, 2]. Vectorised, so thousands of
    grids cost about as much as a few dozen Python BFS calls.
    """
    walls = np.asarray(walls, dtype=bool)
    n, h, w = walls.shape
    free = ~walls
    dist = np.full((n, h, w), -1, dtype=np.int32)
    frontier = np.zeros((n, h, w), dtype=bool)
    idx = np.arange(n)
    frontier[idx, sources[:, 0], sources[:, 1]] = True
    frontier &= free
    visited = frontier.copy()
    step = 0
    while frontier.any():
        dist[frontier] = step
        step += 1
        grown = np.zeros_like(frontier)
        grown[:, 1:, :] |= frontier[:, :-1, :]
        grown[:, :-1, :] |= frontier[:, 1:, :]
        grown[:, :, 1:] |= frontier[:, :, :-1]
        grown[:, :, :-1] |= frontier[:, :, 1:]
        frontier = grown & free & ~visited
        visited |= frontier
    return dist
