"""Every command that the README or the app prints runs, from the repository root, with the README's set-up.

Long commands run at a tiny size (fewer episodes, steps or repeats); commands that
would overwrite shipped assets run with ``--help``.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY_TRAIN = (
    "--steps 2048 --set num_envs=8 --set num_steps=64 --set pool_size=32 --set eval_episodes=5 --set checkpoints=1"
)


def _python_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        line = line.split("  #")[0].strip().strip("`").strip()
        if line.startswith("python -m "):
            lines.append(line)
    return lines


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        commands += _python_lines(block)
    commands += re.findall(r"`(python -m [^`]+)`", text)
    return [" ".join(c.split()) for c in commands]  # an inline command may wrap across lines


def app_commands() -> list[str]:
    sys.path.insert(0, str(ROOT / "tests" / "app"))
    from app_helpers import open_page

    at = open_page("method")
    commands = []
    for block in at.code:
        commands += _python_lines(block.value)
    for text in [c.value for c in at.caption] + [m.value for m in at.markdown]:
        commands += re.findall(r"`(python -m [^`]+)`", text)
    return commands


def tiny(command: str, tmp: Path) -> str:
    """The same command at a size a test can afford, never writing into assets/; --help where it needs a server."""
    if " gmg train " in command:
        command = re.sub(r" --steps \d+", "", command)
        return f"{command} {TINY_TRAIN} --out {tmp}"
    if " gmg evaluate " in command:
        return re.sub(r"--episodes \d+", "--episodes 10", command)
    if any(
        name in command
        for name in (
            "scripts.timeline",
            "scripts.make_examples",
            "scripts.screenshot",
            "scripts.probe_memory",
            "bench_load",
            "bench_frames",
            "profile_page",
            "scripts.probe_horizon --train",  # it trains a whole agent
        )
    ):
        return command + " --help"
    if "scripts.probe_horizon" in command:
        return re.sub(r" --per-side[\d ]+| --episodes \d+", "", command) + " --per-side 8 --episodes 20"
    if "scripts.analysis" in command:  # six agents at 1,000 mazes take minutes, and write assets/inside
        return re.sub(r" --episodes \d+| --out \S+", "", command) + f" --episodes 20 --out {tmp}"
    if "scripts.reward_maps" in command:  # a run's folder (--dir) is not in a fresh clone: read the shipped agents
        return re.sub(r" --dir \S+| --mazes \d+", "", command) + " --mazes 5"
    if "benchmarks.bench_env" in command:
        return re.sub(r" --repeats \d+", "", command) + " --repeats 1"
    if "benchmarks.bench_eval" in command:
        return re.sub(r" --repeats \d+", "", command) + " --repeats 1 --episodes 50"
    if "benchmarks.bench_planner" in command:
        return re.sub(r" --repeats \d+", "", command) + " --repeats 1"
    if "benchmarks.bench_app" in command:
        return re.sub(r" --repeats \d+", "", command) + " --repeats 1 --no-browser"
    return command


COMMANDS = sorted(set(readme_commands()) | set(app_commands()))
# Commands that differ only in what the tiny size overrides run once.
TINY = sorted({tiny(c, Path("TMP")): c for c in COMMANDS}.values())


def test_the_docs_print_the_commands_we_expect():
    for expected in (
        "python -m gmg train --preset cue-always",
        "python -m gmg evaluate --agent cue-always --split cue/shift:mix --episodes 1000 --seed 0",
        "python -m scripts.results",
        "python -m benchmarks.bench_env",
    ):
        assert any(c.startswith(expected) for c in COMMANDS), expected
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize("command", TINY)
def test_printed_command_runs(command, tmp_path):
    argv = [sys.executable, *shlex.split(tiny(command, tmp_path))[1:]]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"{command}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr
