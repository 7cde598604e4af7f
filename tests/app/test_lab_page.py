"""The maze lab in AppTest: edits, a run, every overlay, share links, bad input kept out."""

from __future__ import annotations

from app_helpers import button, open_page

from gmg.edits import paint
from gmg.layout import Layout
from gmg.presets import load_preset
from gmg.splits import Split


def maze(at) -> Layout:
    return at.session_state["lab_maze"]


def test_lab_opens_with_a_preset_and_no_errors(lab):
    assert maze(lab) == load_preset("cue-shifted")
    assert not lab.error
    assert lab.title[0].value == "Maze lab"


def test_edit_through_session_state_then_run(lab):
    edited = paint(maze(lab), "cue", [(1, 1)])
    lab.session_state["lab_maze"] = edited
    button(lab, "▶ Run").click().run()
    assert not lab.exception
    assert maze(lab).cue == (1, 1)
    text = " ".join(m.value for m in lab.markdown)
    assert "Goal reached" in text or "Goal not reached" in text
    assert "steps" in text


def test_text_edit_applies_and_bad_text_keeps_the_maze(lab):
    good = Split.parse("corner/shift").sample(5)
    lab.text_area(key="lab_text").input(good.to_text())
    button(lab, "Apply text").click().run()
    assert maze(lab) == good and not lab.error
    lab.text_area(key="lab_text").input("#####\n#S.G#\n#.x.#\n#...#\n#####")
    button(lab, "Apply text").click().run()
    assert maze(lab) == good, "the last good maze is kept"
    assert "'x' at row 2, column 2" in lab.error[0].value


def test_random_maze_from_a_split(lab):
    lab.selectbox(key="lab_split").set_value("cue/shift:maze")
    lab.number_input(key="lab_layout_seed").set_value(7)
    button(lab, "Generate").click().run()
    assert maze(lab) == Split.parse("cue/shift:maze").sample(7)


def test_oversize_maze_cannot_run_and_says_why(lab):
    lab.selectbox(key="lab_agent").set_value("cue-always").run()
    lab.number_input(key="lab_h").set_value(17)
    lab.number_input(key="lab_w").set_value(16)
    button(lab, "Resize").click().run()
    assert maze(lab).shape == (17, 16)
    assert button(lab, "▶ Run").disabled
    assert "this layout is 17x16" in lab.info[0].value
    lab.selectbox(key="lab_agent").set_value("oracle").run()
    assert not button(lab, "▶ Run").disabled, "reference agents run any size"


def test_every_overlay_renders(lab):
    button(lab, "▶ Run").click().run()
    for overlay in ("policy arrows", "outcome map", "fool the agent"):
        lab.segmented_control(key="lab_overlay").set_value(overlay).run()
        assert not lab.exception, overlay
        assert lab.get("plotly_chart"), overlay


def test_share_link_round_trip():
    layout = Split.parse("cue/shift").sample(42)
    at = open_page("lab", {"maze": layout.to_code(), "agent": "cue-seeker", "seed": "9"})
    assert maze(at) == layout
    assert at.session_state["lab_agent"] == "cue-seeker"
    assert at.session_state["lab_seed"] == 9
    assert at.query_params["maze"] == layout.to_code()
    button(at, "▶ Run").click().run()
    assert "Went to the cue" in " ".join(m.value for m in at.markdown)


def test_bad_link_shows_message_and_default_maze():
    at = open_page("lab", {"maze": "not-a-real-code!!", "seed": "-5", "agent": "nobody"})
    assert maze(at) == load_preset("cue-shifted")
    assert "could not be read" in at.error[0].value
    assert at.session_state["lab_seed"] == 0


def test_text_being_typed_survives_an_unrelated_rerun(lab):
    draft = "#####\n#S..#\n#...#\n#..G#\n#####"
    lab.text_area(key="lab_text").input(draft).run()  # the blur rerun, before Apply is clicked
    assert lab.text_area(key="lab_text").value == draft
    button(lab, "Apply text").click().run()
    assert maze(lab) == Layout.from_text(draft)
    assert lab.number_input(key="lab_h").value == 5, "size fields follow the new maze"
