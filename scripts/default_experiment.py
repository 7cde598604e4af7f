"""Compute the Experiments page's default result from the shipped agents: python -m scripts.default_experiment

Writes assets/default-experiment.json (see gmg/ui/experiment_cache.py). Rerun it after retraining any agent;
tests/app/test_experiments_default.py fails until you do, and the page meanwhile asks for a Run.
"""

from __future__ import annotations

import argparse
import json
import time

from gmg.ui import experiment_cache


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    t0 = time.perf_counter()
    saved = experiment_cache.compute()
    experiment_cache.PATH.write_text(json.dumps(saved, separators=(",", ":")) + "\n")
    agents, splits, episodes, _ = experiment_cache.settings()
    print(
        f"wrote {experiment_cache.PATH} ({len(agents)} agents x {len(splits)} splits x {episodes} mazes, "
        f"{time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
