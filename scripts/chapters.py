"""Print every number the chapter pages (/predict, /training, /seeds) show, from the same code and the same assets.

    python -m scripts.chapters [--round 5]

- a predict round: its mazes, the live run of each (deterministic per round), where it ended, the card's rate over
  1,000 mazes of that kind, and the score of the naive predictor that always answers "the goal";
- for each agent with checkpoints, the sentence that answers "goal first, or the proxy from the start?";
- for each agent with several seeds, the seed spread and the lesson.

The rates come from the agents' cards (``python -m gmg evaluate --agent NAME --split SPLIT --episodes 1000 --seed 0``),
the checkpoints' from ``python -m scripts.timeline --agent NAME``; nothing here is typed in.
"""

from __future__ import annotations

import argparse

from gmg.agents import load_agent, read_card, read_timeline
from gmg.ui.chapters import (
    GOAL,
    card_splits,
    end_label,
    end_of,
    learning_story,
    pick_question,
    population_sentence,
    proxy_of,
    round_lesson,
    round_order,
    round_slots,
    score,
    seed_lesson,
    seeded_agents,
    timeline_agents,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", type=int, default=0, help="the round's seed, as in /predict?round=N")
    args = parser.parse_args()

    slots = round_slots()
    agents = {name: load_agent(name) for name, _ in slots}
    played = []
    print(f"## Predict, round {args.round}")
    for k, slot in enumerate(round_order(args.round, len(slots))):
        name, row_index = slots[slot]
        row = agents[name].card["evaluation"][row_index]
        q, traj = pick_question(agents[name], row, args.round, slot)
        proxy = proxy_of(agents[name].card)
        end = end_of(traj.outcome)
        played.append((q, traj))
        print(f"{k + 1}. {name} on {q.kind} ({q.split}, run seed {q.run_seed}): ended at {end_label(end, proxy)}")
        print(f"   {population_sentence(name, row, end, proxy)}")
    truths = [end_of(t.outcome) for _, t in played]
    print(f"\nNaive predictor (always the goal): {score([GOAL] * len(truths), truths)} of {len(truths)}")
    print(round_lesson([q.shifted for q, _ in played], truths, [t.proxy.name for _, t in played]))

    print("\n## How the proxy is learned")
    for name in timeline_agents():
        card = read_card(name)
        print(f"- {name}: {learning_story(read_timeline(name), card_splits(card)[1], proxy_of(card))}")

    print("\n## The seed lottery")
    names = seeded_agents()
    print(seed_lesson(names) if names else "(no agent ships more than one seed)")


if __name__ == "__main__":
    main()
