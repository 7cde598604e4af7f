"""Figure dicts are valid plotly (the app skips plotly's validation for speed), and animations are complete."""

from __future__ import annotations

import itertools
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from gmg import maps
from gmg.agents import load_agent
from gmg.experiments import Condition, batch_compare, cue_pairs
from gmg.figures import (
    Panel,
    distance_figure,
    dose_response_figure,
    goal_rate_colors,
    maze_figure,
    outcome_class_bars,
    outcome_colors,
    plan_colors,
    rate_interval_bars,
)
from gmg.inside import plan_maps
from gmg.layout import Layout
from gmg.presets import load_preset
from gmg.rollout import run


def validate(fig: dict) -> None:
    go.Figure(fig)  # raises on anything plotly does not accept
    json.dumps(fig)


def test_animated_figure_has_a_frame_per_step_and_walls_as_shapes():
    layout = load_preset("cue-shifted")
    traj = run(load_agent("oracle"), layout, seed=0)
    fig = maze_figure([Panel(layout, traj.path)])
    validate(fig)
    assert len(fig["frames"]) == len(traj.path)
    last = fig["frames"][-1]["data"][1]
    assert (last["y"][0], last["x"][0]) == layout.goal, "the agent ends on the goal"
    walls = [s for s in fig["layout"]["shapes"] if s["layer"] == "above"]
    assert sum(int(s["x1"] - s["x0"]) for s in walls) == layout.walls.sum(), "every wall cell is covered once"
    assert not any(t["type"] == "heatmap" for t in fig["data"])


def test_two_panels_share_one_set_of_frames():
    a, b = load_preset("cue-training"), load_preset("cue-shifted")
    agent = load_agent("cue-seeker")
    ta, tb = run(agent, a), run(agent, b)
    fig = maze_figure([Panel(a, ta.path, "A"), Panel(b, tb.path, "B")])
    validate(fig)
    assert len(fig["frames"]) == max(len(ta.path), len(tb.path))
    assert len(fig["frames"][0]["traces"]) == 4, "each frame moves both agents and both trails"
    assert len(fig["layout"]["updatemenus"]) == 1 and len(fig["layout"]["sliders"]) == 1


@pytest.mark.parametrize("overlay", ["arrows", "outcome", "cue"])
def test_overlays_are_valid(overlay):
    layout = load_preset("cue-shifted")
    agent = load_agent("cue-always")
    panel = Panel(layout)
    if overlay == "arrows":
        panel.arrows = maps.policy_field(agent, layout)
        assert len(panel.arrows) == (~layout.walls).sum() - 1
    elif overlay == "outcome":
        counts = maps.outcome_map(agent, layout)
        panel.cell_colors, panel.cell_hover = outcome_colors(counts)
        # From most start cells the cue-always agent reaches the cue and never the goal.
        assert np.mean([c[1] > c[0] + c[2] for c in counts.values()]) > 0.5
    else:
        panel.cell_colors, panel.cell_hover = goal_rate_colors(maps.cue_map(agent, layout))
    validate(maze_figure([panel]))


def test_chart_figures_are_valid():
    agent = load_agent("cue-seeker")
    train, shifted = cue_pairs(20, seed=0)
    rows = batch_compare([Condition("by goal", agent, train), Condition("moved", agent, shifted)])
    validate(rate_interval_bars(rows, ("intended_success", "misgeneralization")))
    for r, split in zip(rows, ("cue/train", "cue/shift"), strict=True):
        r.update(agent="cue-seeker", split=split, shift_fraction=0.1 if split == "cue/train" else 0.0)
    validate(outcome_class_bars(rows))
    validate(dose_response_figure(rows))
    validate(
        distance_figure(
            [{"agent": "a", "split": "s", "distance": "4-5", "mid": 4.5, "n": 20, "rate": 0.5, "lo": 0.3, "hi": 0.7}]
        )
    )


def test_the_reached_target_is_drawn_above_the_agent():
    """Issue 11, defect 1: on the last frame the agent stands on what it reached, and that must stay visible."""
    layout = load_preset("cue-training")
    traj = run(load_agent("oracle"), layout, seed=0)
    fig = maze_figure([Panel(layout, traj.path)])
    names = [t.get("name") for t in fig["data"] if not t.get("showlegend")]
    assert names.index("goal") > names.index("agent") and names.index("cue") > names.index("agent")
    # The figure opens on the last step: a redraw (an overlay chosen) shows how the run ended, not step 0.
    agent = next(t for t in fig["data"] if t.get("name") == "agent" and not t.get("showlegend"))
    assert (agent["y"][0], agent["x"][0]) == traj.path[-1] == layout.goal
    assert fig["layout"]["sliders"][0]["active"] == len(traj.path) - 1


def test_every_maze_figure_has_a_legend_for_what_it_draws():
    """Issue 11, defect 10: the agent, its path, the start ring, the goal, the cue, the corner and overlays."""
    from gmg.proxy import Proxy

    fig = maze_figure([Panel(load_preset("corner-shifted"), proxy=Proxy("corner", 3))], legend=[("neither", "#999")])
    shown = [t["name"] for t in fig["data"] if t.get("showlegend")]
    assert shown == ["agent", "path", "start", "goal", "corner (proxy)", "neither"]
    validate(fig)
    fig = maze_figure([Panel(load_preset("cue-shifted"))])
    assert "cue" in [t["name"] for t in fig["data"] if t.get("showlegend")]


def test_stacked_panels_fit_a_phone():
    """Issue 11, defect 3: on a phone the panels stack and the markers are sized from the width, not the height."""
    a, b = load_preset("cue-training"), load_preset("cue-shifted")
    fig = maze_figure([Panel(a, title="A"), Panel(b, title="B")], height=440, width=358, stacked=True)
    validate(fig)
    (top, _), (bottom, _) = (fig["layout"]["yaxis"]["domain"], 0), (fig["layout"]["yaxis2"]["domain"], 0)
    assert bottom[1] < top[0], "the second maze is below the first"
    assert fig["layout"]["xaxis2"]["domain"] == [0.0, 1.0]
    goal = next(t for t in fig["data"] if t.get("name") == "goal" and not t.get("showlegend"))
    assert goal["marker"]["size"] <= 0.85 * 358 / a.width, "a marker is no bigger than its cell"


def test_gif_is_sharp_titled_and_shows_the_reached_target():
    """Issue 11, defects 1 and 10: at least 480 px, a title line and a legend, the goal visible on the last frame."""
    import imageio.v3 as iio

    from gmg.gif import MIN_WIDTH, trajectory_gif
    from gmg.render import COLORS

    layout = load_preset("cue-training")
    traj = run(load_agent("oracle"), layout, seed=0)
    gif = trajectory_gif(layout, traj.path, proxy=traj.proxy, agent="oracle", maze="cue-training")
    frames = iio.imread(gif)
    assert frames.shape[2] >= MIN_WIDTH
    cell = frames.shape[2] // layout.width
    maze_h = layout.height * cell
    assert frames.shape[1] > maze_h + 40, "a title line and a legend around the maze"
    title = frames[-1][:34]
    assert (title.sum(axis=2) < 300).any(), "the title line has dark text"
    top = next(y for y in range(frames.shape[1]) if (frames[-1][y] == COLORS["wall"]).all(axis=1).mean() > 0.5)
    r, c = layout.goal
    centre = frames[-1][top + r * cell + cell // 2, c * cell + cell // 2]
    assert np.abs(centre.astype(int) - COLORS["goal"]).max() < 40, "the goal is drawn over the agent standing on it"


def test_one_colour_per_quantity_and_labels_past_the_intervals():
    """Issue 11, defect 9: every chart colours a rate by gmg.outcomes, and no value label sits on an error bar."""
    from gmg.outcomes import OUTCOME_TABLE, QUANTITIES

    rows = [
        {
            "agent": a,
            "split": "cue/shift",
            "episodes": 100,
            "outcomes": {"intended": 20, "proxy": 70, "proxy-then-goal": 5, "neither": 5},
            **{k: 0.5 for k in QUANTITIES},
            **{k + "_ci": (0.3, 0.8) for k in QUANTITIES},
        }
        for a in ("a", "b")
    ]
    fig = rate_interval_bars(rows, ("intended_success", "misgeneralization"))
    validate(fig)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["marker"]["color"] for t in bars] == [
        QUANTITIES[k].color for k in ("intended_success", "misgeneralization")
    ]
    assert all(t["orientation"] == "h" for t in bars), "horizontal: the group names are never rotated"
    labels = next(t for t in fig["data"] if t.get("mode") == "text")
    assert min(labels["x"]) > 0.8, "each label starts past its interval's end"
    classes = outcome_class_bars(rows)
    assert [t["marker"]["color"] for t in classes["data"]] == [o.color for o in OUTCOME_TABLE]
    points = [
        {"agent": a, "split": s, "distance": "4-5", "mid": 4.5, "n": 20, "rate": 0.5, "lo": 0.3, "hi": 0.7}
        for a in ("a", "b", "c")
        for s in ("cue/train", "cue/shift")
    ]
    dist = distance_figure(points, ["cue/shift"])
    validate(dist)
    assert {t["name"] for t in dist["data"]} == {"cue/shift"}, "only the shifted split by default"
    assert {t["line"]["color"] for t in dist["data"]} == {QUANTITIES["misgeneralization"].color}
    assert len({t["yaxis"] for t in dist["data"]}) == 3, "one small chart per agent"


def test_a_planners_maps_shade_from_its_lowest_cell_to_its_highest():
    layout = load_preset("cue-shifted")
    maps_ = plan_maps(load_agent("cue-always"), layout)
    for values, log in ((maps_.reward, False), (maps_.value, True)):
        colors, hover = plan_colors(values, "value", "#54278f", log=log)
        assert colors[min(values, key=values.get)] == "#ffffff" and colors[max(values, key=values.get)] == "#54278f"
        darkness = {c: sum(int(colors[c][i : i + 2], 16) for i in (1, 3, 5)) for c in values}
        ranked = sorted(values, key=values.get)
        assert all(darkness[a] >= darkness[b] for a, b in itertools.pairwise(ranked)), "darker means higher"
        assert hover[ranked[-1]].endswith(f"value {values[ranked[-1]]:.3f}")
    validate(maze_figure([Panel(layout, cell_colors=colors, cell_hover=hover)]))


def test_a_fading_cue_is_drawn_hollow_from_the_step_the_agent_stood_on_it():
    """What the agent saw: a cue that went out of its view once passed is hollow from then on, in the app's figure
    and in the GIF; a cue that does not fade stays solid."""
    import imageio.v3 as iio

    from gmg.gif import trajectory_gif
    from gmg.render import COLORS

    layout = Layout.from_text("#######\n#.....#\n#SC..G#\n#.....#\n#######\n")
    path = [(2, 1), (2, 2), (2, 3), (2, 4), (2, 5)]
    for fades in (False, True):
        fig = maze_figure([Panel(layout, path, cue_fades=fades)])
        go.Figure(fig)  # valid plotly
        (cue,) = [i for i, t in enumerate(fig["data"]) if t.get("name") == "cue" and t.get("x") != [None]]
        assert fig["data"][cue]["marker"]["symbol"] == ("triangle-up-open" if fades else "triangle-up")
        looks = [
            next((d["marker"]["symbol"] for d, i in zip(f["data"], f["traces"], strict=True) if i == cue), None)
            for f in fig["frames"]
        ]
        assert looks == (["triangle-up"] + ["triangle-up-open"] * 4 if fades else [None] * 5)
        frames = iio.imread(trajectory_gif(layout, path, cell=24, cue_fades=fades))
        top = next(y for y in range(frames.shape[1]) if (frames[0][y] == COLORS["wall"]).all(axis=1).mean() > 0.5)
        r, c = layout.cue
        centre = (top + r * 24 + 14, c * 24 + 12)  # inside the triangle

        def near(pixel: np.ndarray, rgb: tuple[int, int, int]) -> bool:  # the GIF palette may shift a colour a little
            return bool(np.abs(pixel.astype(int) - rgb).max() <= 6)

        assert near(frames[0][centre], COLORS["cue"])
        assert near(frames[-1][centre], (255, 255, 255) if fades else COLORS["cue"])
