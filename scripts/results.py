"""Print the README's result tables from the agents' cards, so every number there has a source.

    python -m scripts.results [--seeds runs/seeds]

The shipped cards (assets/agents/*.json) hold each agent's evaluation table,
made by ``python -m gmg evaluate --agent NAME --split SPLIT --episodes 1000 --seed 0``.
``--seeds DIR`` (repeatable) adds the seed table from the cards of extra seeds trained with
``python -m gmg train --preset NAME --seed S --out DIR``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gmg.agents import read_card, trained_names
from gmg.evaluate import format_table

SHIPPED = ("cue-always", "cue-diverse", "corner")


def interval(row: dict, key: str) -> str:
    lo, hi = row[key + "_ci"]
    return f"{row[key]:.2f} [{lo:.2f}, {hi:.2f}]"


def trained_on(card: dict) -> str:
    if card["shift_split"]:
        return f"`{card['training_split']}` + {card['shift_fraction']:.0%} `{card['shift_split']}`"
    return f"`{card['training_split']}` only"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, action="append", default=[], help="a directory of extra seed cards")
    args = parser.parse_args()
    shipped = {name: read_card(name) for name in trained_names()}

    print(format_table([row for name in SHIPPED for row in shipped[name]["evaluation"]]))
    print("\n| agent | trained on | command | steps | wall time |\n|---|---|---|---|---|")
    for name in SHIPPED:
        c = shipped[name]
        print(
            f"| {name} | {trained_on(c)} | `{c['command']}` | {c['steps'] / 1e6:.1f}M | {c['train_seconds'] / 60:.1f} min |"
        )

    print("\n| agent | decorrelated training mazes | intended success | misgeneralization | capability |")
    print("|---|---|---|---|---|")
    dose = sorted((c for c in shipped.values() if c["scenario"] == "cue"), key=lambda c: c["shift_fraction"] or 0)
    for c in dose:
        name = c["name"]
        row = next(r for r in c["evaluation"] if r["split"] == "cue/shift")
        cells = " | ".join(interval(row, k) for k in ("intended_success", "misgeneralization", "capability"))
        print(f"| {name} | {c['shift_fraction']:.0%} | {cells} |")

    for d in args.seeds:
        if not d.is_dir():
            print(
                f"\n(no seed cards in {d}: train them with python -m gmg train --preset cue-always --seed 2 --out {d})"
            )
    if args.seeds:
        print(
            "\n| agent | seed | train split: intended / capability | shift split: intended / misgeneralization / capability |"
        )
        print("|---|---|---|---|")
        for name in SHIPPED:
            runs = [shipped[name]] + [read_card(name, d) for d in args.seeds if d.is_dir() and name in trained_names(d)]
            for c in sorted(runs, key=lambda c: c["seed"]):
                train, shift = c["evaluation"][0], c["evaluation"][1]
                seed = f"**{c['seed']} (shipped)**" if c["seed"] == shipped[name]["seed"] else str(c["seed"])
                print(
                    f"| {name} | {seed} | {train['intended_success']:.3f} / {train['capability']:.3f} | "
                    f"{shift['intended_success']:.3f} / {shift['misgeneralization']:.3f} / {shift['capability']:.3f} |"
                )


if __name__ == "__main__":
    main()
