"""Evaluate a trained agent's checkpoints on its train and shift splits: when did it learn the goal, and the proxy?

    python -m scripts.timeline --agent cue-always [--dir assets/agents] [--episodes 1000] [--split SPLIT ...]

Training (``python -m gmg train``) saves evenly spaced checkpoints in
``OUT/checkpoints/NAME/``. This script plays each one on the card's evaluation
splits (seed 0, sampled actions, as in the card) and writes
``DIR/NAME.timeline.json``, which the Method page plots beside the training
curves of ``NAME.metrics.csv``. ``--dir`` reads a run trained with ``--out DIR``;
``--split`` plays further splits too (printed, not plotted).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gmg.agents import AGENTS_DIR, load_agent, read_card
from gmg.evaluate import evaluate

KEEP = ("intended_success", "proxy_success", "misgeneralization", "capability")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agent", required=True)
    parser.add_argument("--dir", type=Path, default=AGENTS_DIR, help="the card, and checkpoints/NAME/, of a run")
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--split", action="append", default=[], help="a further split to play, e.g. cue/train:maze")
    args = parser.parse_args()
    card = read_card(args.agent, args.dir)
    files = sorted((args.dir / "checkpoints" / args.agent).glob("step*.safetensors"))
    if not files:
        raise SystemExit(
            f"no checkpoints in {args.dir / 'checkpoints' / args.agent}: train with python -m gmg train first"
        )
    splits = [row["split"] for row in card["evaluation"][:2]] + args.split  # the training split, its shift, more
    points = []
    for path in files:
        agent = load_agent(args.agent, args.dir, weights=path)
        step = int(path.stem.removeprefix("step"))
        rows = {s: evaluate(agent, s, args.episodes, seed=0) for s in splits}
        points.append({"step": step, **{s: {k: r[k] for k in KEEP} for s, r in rows.items()}})
        print(
            f"{args.agent} step {step:>9,}: "
            + "; ".join(
                f"{s} intended {r['intended_success']:.2f} misgeneralization {r['misgeneralization']:.2f}"
                for s, r in rows.items()
            )
        )
    out = args.dir / f"{args.agent}.timeline.json"
    command = f"python -m scripts.timeline --agent {args.agent} --episodes {args.episodes}" + "".join(
        f" --split {s}" for s in args.split
    )
    if args.dir != AGENTS_DIR:
        command += f" --dir {args.dir}"
    out.write_text(
        json.dumps(
            {"agent": args.agent, "episodes": args.episodes, "seed": 0, "command": command, "checkpoints": points},
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
