"""python -m gmg layout ...: sample, validate, convert; bad files give a clear error, not a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gmg.cli import main
from gmg.layout import Layout


def test_sample_in_each_format(capsys):
    assert main(["layout", "sample", "--split", "cue/shift", "--seed", "4", "--to", "code"]) == 0
    code = capsys.readouterr().out.strip()
    layout = Layout.from_code(code)
    assert main(["layout", "sample", "--split", "cue/shift", "--seed", "4"]) == 0
    assert Layout.from_text(capsys.readouterr().out) == layout
    assert main(["layout", "sample", "--split", "cue/shift", "--seed", "4", "--to", "json"]) == 0
    assert Layout.from_json(capsys.readouterr().out) == layout


def test_validate_and_convert(tmp_path, capsys):
    path = tmp_path / "maze.txt"
    path.write_text("#####\n#S#G#\n#.#.#\n#...#\n#####\n")
    assert main(["layout", "validate", str(path)]) == 0
    assert "goal reachable" in capsys.readouterr().out
    assert main(["layout", "convert", str(path), "--to", "code"]) == 0
    code_file = tmp_path / "maze.code"
    code_file.write_text(capsys.readouterr().out)
    assert main(["layout", "convert", str(code_file), "--to", "text"]) == 0
    assert capsys.readouterr().out == path.read_text()


def test_bad_file_reports_where(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("#####\n#S?G#\n#...#\n#...#\n#####\n")
    proc = subprocess.run(
        [sys.executable, "-m", "gmg", "layout", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "row 1, column 2" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_train_overrides_parse_and_reject_clearly():
    from gmg.train import parse_overrides

    assert parse_overrides(["pool_size=200000", "hidden=[512,256]", "ent_coef=0.01", "memory=false"]) == {
        "pool_size": 200000,
        "hidden": (512, 256),
        "ent_coef": 0.01,
        "memory": False,
    }
    assert parse_overrides(["shift_split=cue/shift", "ent_coef=0"]) == {"shift_split": "cue/shift", "ent_coef": 0.0}
    for bad, words in (("pool_size", "FIELD=VALUE"), ("nope=1", "FIELD=VALUE"), ("pool_size=big", "takes a int")):
        with pytest.raises(ValueError, match=words):
            parse_overrides([bad])
    assert main(["train", "--preset", "cue-always", "--set", "gamma=high"]) == 2
