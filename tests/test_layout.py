"""Layouts: codec round trips, and a clear LayoutError for every class of bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import arbitrary_layouts, split_layouts

from gmg.layout import Layout, LayoutError, bfs_distances, bfs_distances_batch
from gmg.splits import Split

SMALL = """
#######
#S....#
#.###.#
#...#C#
###.#G#
#######
"""


def test_text_parses_objects_and_walls():
    layout = Layout.from_text(SMALL)
    assert layout.shape == (6, 7)
    assert layout.start == (1, 1)
    assert layout.goal == (4, 5)
    assert layout.cue == (3, 5)
    assert layout.walls[2, 2] and not layout.walls[1, 2]
    assert layout.to_text().strip() == SMALL.strip()


@settings(max_examples=150, deadline=None)
@given(st.one_of(split_layouts(), arbitrary_layouts()))
def test_round_trips(layout: Layout):
    assert Layout.from_text(layout.to_text()) == layout
    assert Layout.from_json(layout.to_json()) == layout
    assert Layout.from_code(layout.to_code()) == layout


@settings(max_examples=100, deadline=None)
@given(split_layouts())
def test_code_is_url_safe_and_short(layout: Layout):
    code = layout.to_code()
    assert set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(code) <= 100


def test_fifteen_by_fifteen_code_fits_in_100_chars():
    walls = np.ones((15, 15), dtype=bool)
    layout = Layout(walls & False, (0, 0), (14, 14), (7, 7))
    assert len(layout.to_code()) <= 100
    assert len(Layout(np.ones((25, 25), bool) & False, (0, 0), (1, 1)).to_code()) <= 200


def test_layout_is_immutable():
    layout = Layout.from_text(SMALL)
    with pytest.raises(ValueError):
        layout.walls[0, 0] = False
    with pytest.raises(AttributeError):
        layout.start = (1, 2)  # type: ignore[misc]


def test_unreachable_goal_is_allowed_and_flagged():
    layout = Layout.from_text("#####\n#S#G#\n#.#.#\n#.#.#\n#####")
    assert not layout.goal_reachable
    assert Layout.from_text(SMALL).goal_reachable


def test_bfs_distances_match_batch_bfs():
    layout = Layout.from_text(SMALL)
    d = bfs_distances(layout.walls, layout.start)
    assert d[layout.goal] == 7  # right 4, down 3
    assert d[0, 0] == -1
    batch = bfs_distances_batch(layout.walls[None], np.array([layout.start]))
    np.testing.assert_array_equal(batch[0], d)
    multi = bfs_distances(layout.walls, [layout.start, layout.goal])
    assert multi[layout.goal] == 0 and multi[layout.start] == 0


# -- bad input: each class gets a LayoutError whose message says what and where --

BAD_TEXT = {
    "empty": ("", "empty"),
    "blank": ("\n  \n", "empty"),
    "ragged": ("#####\n#S.G#\n#..#\n#...#\n#####", "row 2"),
    "unknown char": ("#####\n#S.G#\n#.x.#\n#...#\n#####", "'x' at row 2, column 2"),
    "no start": ("#####\n#..G#\n#...#\n#...#\n#####", "no start"),
    "two starts": ("#####\n#S.G#\n#.S.#\n#...#\n#####", "row 1, column 1; row 2, column 2"),
    "no goal": ("#####\n#S..#\n#...#\n#...#\n#####", "no goal"),
    "two goals": ("#####\n#S.G#\n#.G.#\n#...#\n#####", "2 goals"),
    "two cues": ("#####\n#SCG#\n#.C.#\n#...#\n#####", "2 cues"),
    "too small": ("####\n#SG#\n#..#\n####", "height 4 is out of range"),
    "too wide": ("#" * 26 + "\n" + "#SG" + "." * 23 + "\n" + ("." * 26 + "\n") * 3, "width 26"),
    "too tall": ("#SG..\n" + ".....\n" * 25, "height 26"),
}


@pytest.mark.parametrize("case", BAD_TEXT)
def test_bad_text_is_rejected_with_where(case):
    text, fragment = BAD_TEXT[case]
    with pytest.raises(LayoutError) as err:
        Layout.from_text(text)
    assert fragment in str(err.value)


def _json(**changes):
    data = json.loads(Layout.from_text(SMALL).to_json())
    data.update(changes)
    return json.dumps(data)


BAD_JSON = {
    "not json": ("{walls: [", "not valid JSON"),
    "not an object": ("[1, 2]", "must be an object"),
    "wrong version": (_json(version=99), "'version' is 99"),
    "missing walls": (json.dumps({"version": 1, "start": [1, 1], "goal": [2, 2]}), "missing the field 'walls'"),
    "missing goal": (json.dumps({"version": 1, "walls": ["....."] * 5, "start": [1, 1]}), "'goal'"),
    "mistyped start": (_json(start="1,1"), "start must be a [row, column] pair"),
    "float cell": (_json(goal=[1.5, 2]), "goal must be"),
    "bool cell": (_json(goal=[True, 2]), "goal must be"),
    "mistyped walls": (_json(walls=[1, 2, 3]), "'walls' must be a list of strings"),
    "start on wall": (_json(start=[0, 0]), "start at row 0, column 0 is on a wall"),
    "goal outside": (_json(goal=[40, 2]), "goal at row 40, column 2 is outside"),
    "overlap": (_json(cue=[4, 5]), "overlap at row 4, column 5"),
    "ragged walls": (_json(walls=["#######", "#....#"] + ["#.....#"] * 4), "row 1 has 6 cells"),
    "size mismatch": (_json(height=9), "'height' is 9"),
    "oversize": (_json(walls=["." * 30] * 6), "width 30 is out of range"),
}


@pytest.mark.parametrize("case", BAD_JSON)
def test_bad_json_is_rejected_with_where(case):
    text, fragment = BAD_JSON[case]
    with pytest.raises(LayoutError) as err:
        Layout.from_json(text)
    assert fragment in str(err.value)


def test_bad_codes_are_rejected():
    good = Layout.from_text(SMALL).to_code()
    cases = {
        "": "empty",
        "!!!!": "not URL-safe base64",
        "QUJD": "too short",
        good[:-3] + ("A" if good[-3] != "A" else "B") + good[-2:]: "damaged",
        "A" * 500: "at most 200",
    }
    for code, fragment in cases.items():
        with pytest.raises(LayoutError) as err:
            Layout.from_code(code)
        assert fragment in str(err.value), code


def test_wrong_version_code_is_rejected():
    import base64
    import zlib

    raw = base64.urlsafe_b64decode(Layout.from_text(SMALL).to_code() + "==")
    body = bytes([7]) + raw[1:-2]
    forged = base64.urlsafe_b64encode(body + (zlib.crc32(body) & 0xFFFF).to_bytes(2, "big")).decode().rstrip("=")
    with pytest.raises(LayoutError, match="version 7"):
        Layout.from_code(forged)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))))
def test_garbage_only_ever_raises_layout_error(garbage: str):
    for parse in (Layout.from_text, Layout.from_json, Layout.from_code):
        try:
            parse(garbage)
        except LayoutError:
            pass


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda kids: (
            st.lists(kids, max_size=4)
            | st.dictionaries(
                st.sampled_from(["version", "walls", "start", "goal", "cue", "height", "width", "format"]),
                kids,
                max_size=8,
            )
        ),
    )
)
def test_arbitrary_json_values_only_raise_layout_error(value):
    try:
        Layout.from_json(json.dumps(value))
    except LayoutError:
        pass


def test_replace_validates():
    layout = Layout.from_text(SMALL)
    assert layout.replace(cue=None).cue is None
    with pytest.raises(LayoutError, match="on a wall"):
        layout.replace(goal=(0, 0))


def test_sample_is_a_layout():
    assert isinstance(Split.parse("cue/train").sample(0), Layout)
