"""Imports run one way: layout -> world -> env / vector / rollout -> agents / evaluate -> figures and page logic ->
gmg.ui -> pages. A module may import only modules of a lower layer (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each gmg module's layer: it may import modules of lower layers only.
LAYERS = {
    # the vocabulary: mazes and outcome names
    "layout": 0,
    "outcomes": 0,
    # what a maze holds and how it is drawn or made
    "proxy": 1,
    "generators": 1,
    "render": 1,
    "presets": 1,
    "edits": 1,
    # the named splits and the one step
    "splits": 2,
    "world": 2,
    # what steps: the envs, the rollout and the serving network
    "env": 3,
    "vector": 3,
    "rollout": 3,
    "network": 3,
    # what acts, and what scores it
    "agents": 4,
    "policy": 4,
    "evaluate": 4,
    "maps": 4,
    # figures and page logic, training
    "figures": 5,
    "gif": 5,
    "inside": 5,
    "experiments": 5,
    "train": 5,
    # the command line
    "cli": 6,
    "__main__": 7,
    "__init__": 7,
}
UI, PAGES = 8, 9


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, as dotted names (``from gmg import x`` counts as ``gmg.x``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _layer(module: str) -> int | None:
    """The layer of a gmg module, the ui or the pages; None for anything else."""
    parts = module.split(".")
    if parts[0] == "pages" or module == "app":
        return PAGES
    if parts[0] != "gmg" or len(parts) < 2:
        return None
    if parts[1] == "ui":
        return UI
    return LAYERS.get(parts[1])


def _sources() -> list[tuple[str, Path]]:
    files = [(f"gmg.{p.stem}", p) for p in (ROOT / "gmg").glob("*.py")]
    files += [(f"gmg.ui.{p.stem}", p) for p in (ROOT / "gmg" / "ui").glob("*.py")]
    files += [(f"pages.{p.stem}", p) for p in (ROOT / "pages").glob("*.py")] + [("app", ROOT / "app.py")]
    return files


def test_every_library_module_has_a_layer():
    missing = {p.stem for p in (ROOT / "gmg").glob("*.py")} - set(LAYERS)
    assert not missing, f"add these modules to LAYERS: {sorted(missing)}"


def test_imports_run_one_way():
    wrong = []
    for name, path in _sources():
        mine = _layer(name)
        for imported in _imports(path):
            theirs = _layer(imported)
            if theirs is None or imported == name:
                continue
            # A module imports strictly lower layers; the ui's modules may import each other, as may the pages.
            if theirs > mine or (theirs == mine and mine not in (UI, PAGES)):
                wrong.append(f"{name} (layer {mine}) imports {imported} (layer {theirs})")
    assert not wrong, "\n".join(wrong)


def test_the_library_below_the_ui_never_imports_streamlit():
    for name, path in _sources():
        if _layer(name) is not None and _layer(name) < UI:
            assert not any(m.split(".")[0] == "streamlit" for m in _imports(path)), name


def test_the_layer_check_catches_an_upward_import(tmp_path):
    """The check above can fail: a world module that imported the agents would be caught."""
    bad = tmp_path / "world.py"
    bad.write_text("from gmg.agents import load_agent\n")
    imported = _imports(bad)
    assert "gmg.agents" in imported and _layer("gmg.agents") > _layer("gmg.world")
