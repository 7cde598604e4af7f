"""``python -m gmg``: layouts, training and evaluation from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gmg.agents import AGENTS_DIR, load_agent
from gmg.evaluate import evaluate, format_table
from gmg.layout import Layout, LayoutError
from gmg.splits import Split

WRITERS = {"text": Layout.to_text, "json": lambda lay: lay.to_json() + "\n", "code": lambda lay: lay.to_code() + "\n"}
FORMATS = tuple(WRITERS)


def _read_layout(path: str) -> Layout:
    """Read a layout file in any format (see :meth:`Layout.parse`)."""
    try:
        return Layout.parse(sys.stdin.read() if path == "-" else Path(path).read_text())
    except (OSError, UnicodeDecodeError) as err:
        raise LayoutError(f"cannot read {path}: {err}") from None


def _cmd_layout(args: argparse.Namespace) -> int:
    if args.action == "sample":
        layout = Split.parse(args.split).sample(args.seed)
    else:
        layout = _read_layout(args.file)
    if args.action == "validate":
        h, w = layout.shape
        reach = "reachable" if layout.goal_reachable else "NOT reachable from the start"
        print(f"ok: {h}x{w} layout, goal {reach}, {'a cue' if layout.cue else 'no cue'}")
        return 0
    sys.stdout.write(WRITERS[args.to](layout))
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from gmg.train import command_line, config_for, parse_overrides, train  # torch: only when training

    overrides = parse_overrides(args.set or [])
    cfg = config_for(args.preset, seed=args.seed, steps=args.steps, threads=args.threads, **overrides)
    card = train(cfg, out_dir=Path(args.out) if args.out else AGENTS_DIR, command=command_line(sys.argv[1:]))
    print(format_table(card["evaluation"]))
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    result = evaluate(load_agent(args.agent), args.split, args.episodes, args.seed, greedy=args.greedy)
    print(json.dumps(result, indent=1) if args.json else format_table([result]))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gmg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    lay = sub.add_parser("layout", help="sample, validate or convert layouts")
    lsub = lay.add_subparsers(dest="action", required=True)
    sample = lsub.add_parser("sample", help="print a layout from a split and seed")
    sample.add_argument("--split", default="cue/train", help="e.g. cue/train, cue/shift:maze, corner/shift")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--to", choices=FORMATS, default="text")
    validate = lsub.add_parser("validate", help="check a layout file (text, JSON or code; - for stdin)")
    validate.add_argument("file")
    convert = lsub.add_parser("convert", help="convert a layout file to another format")
    convert.add_argument("file")
    convert.add_argument("--to", choices=FORMATS, required=True)
    lay.set_defaults(func=_cmd_layout)

    tr = sub.add_parser("train", help="train a preset agent with PPO into assets/agents/")
    tr.add_argument("--preset", required=True)
    tr.add_argument("--seed", type=int)
    tr.add_argument("--steps", type=int)
    tr.add_argument("--threads", type=int)
    tr.add_argument("--out", help="directory for the weights and card (default assets/agents)")
    tr.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="override a TrainConfig field for an experiment, e.g. --set pool_size=200000 --set hidden=[512,256]",
    )
    tr.set_defaults(func=_cmd_train)

    ev = sub.add_parser("evaluate", help="evaluate an agent on a split")
    ev.add_argument("--agent", required=True)
    ev.add_argument("--split", required=True)
    ev.add_argument("--episodes", type=int, default=1000)
    ev.add_argument("--seed", type=int, default=0)
    ev.add_argument("--greedy", action="store_true", help="argmax actions instead of sampling")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=_cmd_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (LayoutError, ValueError, LookupError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
