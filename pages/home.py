"""Landing page: goal misgeneralization in two minutes, with real runs of the shipped agents."""

import streamlit as st

from gmg.presets import load_examples
from gmg.ui.common import ensure_navigation
from gmg.ui.views import detour_note, population_note, scenario_section

ensure_navigation()
examples = load_examples()

st.title("Goal misgeneralization")
st.markdown("##### …seen in a maze, with agents trained right here")
st.markdown(
    "An AI system can learn **the wrong goal** even when we reward exactly the right thing. "
    "If, during training, something else always comes along with the goal, the system may learn to chase *that* instead. "
    "Nothing looks wrong until the world changes: then it stays just as capable, and pursues the wrong thing."
)

scenario_section(
    examples,
    "Watch it happen",
    "One agent, trained by reinforcement learning to reach the goal ★. In every training maze a bright cue ▲ sat next "
    "to the goal. These are recorded runs of the shipped agent `cue-always`, replayed from its network (rerun them in "
    "the lab).",
    (("cue-training", "Like training: cue beside the goal"), ("cue-shifted", "Shifted: the cue moved away")),
    population_note("cue-always", "cue/shift:mix"),
)
st.markdown(
    "The agent walks the shifted maze as smoothly as the training one, around walls and without hesitation, "
    "but it walks **to the cue**. It learned *go to the cue*, a proxy that was indistinguishable from *go to the goal* in training."
)

st.subheader("Five things to notice", anchor=False)
aspects = [
    (
        "Proxy objective",
        "The agent learned *go to the cue* (or *go to the top-right corner*). In the lab, turn on **outcome map**: from almost every start cell it heads for the cue.",
    ),
    (
        "Distribution shift",
        "Training mazes always had the cue next to the goal. Move the cue in the lab's editor and you have created a maze the agent never saw.",
    ),
    (
        "Preserved capability",
        "Under shift it still navigates as well as in training: it takes a shortest way around the walls, to the cue, and waits there. Capability is the share of runs that reach the goal or the proxy; it stays near 100%.",
    ),
    (
        "Specification mismatch",
        "The reward was correct (1 for the goal, nothing for the cue), and the goal was visible in every observation. The failure is in what was learned, not in what was asked.",
    ),
    (
        "Alignment risk",
        "A capable system pursuing the wrong goal is worse than an incompetent one: it reliably does the wrong thing. **Compare** shows how adding varied training mazes (`cue-diverse`) fixes this case.",
    ),
]
for title, text in aspects:
    st.markdown(f"**{title}.** {text}")

scenario_section(
    examples,
    "Also: the cheese in the corner",
    "",
    (("corner-training", "Like training: goal in the top-right corner"), ("corner-shifted", "Shifted: goal elsewhere")),
    population_note("corner", "corner/shift:mix"),
    proxy="corner",
)
scenario_section(
    examples,
    "Subtler: the cue on the way",
    "Agent `cue-on-path` trained on mazes where the cue lay halfway along a shortest path to the goal: a waypoint, "
    "not a marker, like a checkpoint lamp that goes out once passed (drawn hollow after that). Only the goal pays. "
    "Does it go out of its way for the cue when the cue is off the way?",
    (("path-training", "Like training: the cue on the way"), ("path-shifted", "Shifted: the cue off the way")),
    detour_note("cue-on-path", "path/shift:mix"),
)

st.subheader("Go further", anchor=False)
FURTHER = (
    (
        "pages/predict.py",
        "Predict, then reveal",
        ":material/psychology_alt:",
        "A round of mazes: guess where each agent ends up, then watch its run.",
    ),
    (
        "pages/training.py",
        "How the proxy is learned",
        ":material/timeline:",
        "Scrub through training: goal first, or the cue from the start?",
    ),
    (
        "pages/seeds.py",
        "The seed lottery",
        ":material/casino:",
        "Same recipe, several seeds: how much is data, how much is luck?",
    ),
    (
        "pages/networks.py",
        "Same mazes, different network",
        ":material/hub:",
        "Two networks, one recipe: does the proxy depend on the network?",
    ),
    ("pages/inside.py", "Inside the agent", ":material/neurology:", "What the network looks at, and where it decides."),
)
for col, (page, label, icon, teaser) in zip(st.columns(len(FURTHER)), FURTHER, strict=True):
    with col:
        st.page_link(page, label=f"**{label}**", icon=icon)
        st.caption(teaser)

st.divider()
a, b, c = st.columns(3)
a.page_link("pages/lab.py", label="Maze lab: edit a maze, run an agent", icon=":material/science:")
b.page_link("pages/compare.py", label="Compare: side by side", icon=":material/compare:")
c.page_link("pages/method.py", label="Method: how the agents were trained", icon=":material/menu_book:")
st.caption(
    "References: Langosco, Koch, Sharkey, Pfau & Krueger, *Goal Misgeneralization in Deep Reinforcement Learning*, ICML 2022 "
    "([arXiv 2105.14111](https://arxiv.org/abs/2105.14111)); Shah, Varma, Kumar, Phuong, Krakovna, Uesato & Kenton, "
    "*Goal Misgeneralization: Why Correct Specifications Aren't Enough For Correct Goals* "
    "([arXiv 2210.01790](https://arxiv.org/abs/2210.01790))."
)
