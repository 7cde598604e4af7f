"""Experiments and comparisons: every view scores an agent against its own proxy, and tables are complete."""

from __future__ import annotations

import numpy as np

from gmg.agents import load_agent
from gmg.experiments import Condition, batch_compare, experiment, results_table, to_csv
from gmg.proxy import Proxy
from gmg.rollout import play, run
from gmg.splits import Split


def _entered(layouts, runs, proxy: Proxy) -> np.ndarray:
    """Per episode: did its path touch the proxy's cells? Computed from the positions alone."""
    return np.array([any(proxy.mask(lay)[cell] for cell in runs.path(i)) for i, lay in enumerate(layouts)])


def test_a_corner_agent_is_scored_against_its_corner_on_any_split():
    """The Compare bug: the panels scored the corner agent against its corner, the batch against the cue."""
    corner = load_agent("corner")
    layouts = Split.parse("cue/shift").sample_many(60, 4)
    own = Proxy.from_card(corner.card)
    assert own == Proxy("corner", 1), "the shipped corner agent's corner is the one top-right cell"
    row = batch_compare([Condition("corner on cue/shift", corner, layouts)], seed=1)[0]
    assert row["proxy"] == "corner"
    runs = play(corner, layouts, np.random.default_rng([1, 2]), chunk=100)
    entered = _entered(layouts, runs, own)
    assert row["proxy_success"] == entered.mean()
    assert entered.mean() != _entered(layouts, runs, Proxy("cue")).mean(), "the two rules differ on these mazes"
    # The single run in the panels uses the same rule.
    assert run(corner, layouts[0]).proxy == own
    rows = experiment([corner, load_agent("cue-seeker")], ["cue/shift"], 20)
    assert [r["proxy"] for r in rows] == ["corner", "cue"]


def test_results_table_and_csv_carry_the_proxy_and_every_rate():
    rows = experiment([load_agent("cue-seeker")], ["cue/train", "cue/shift"], 20)
    table = results_table(rows)
    assert [t["split"] for t in table] == ["cue/train", "cue/shift"]
    assert table[1]["misgeneralization"] == 1.0 and table[1]["proxy"] == "cue"
    header = to_csv(table).splitlines()[0].split(",")
    for key in ("intended_success", "proxy_success", "misgeneralization", "capability", "capability_lo", "n_neither"):
        assert key in header
