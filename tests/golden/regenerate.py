"""Regenerate the golden run: python tests/golden/regenerate.py

The golden run is the summary of a fixed scenario, seed and policy. It changes only
when the model does; regenerate it deliberately and explain the change (which
figures moved and why) in the commit message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from engine.policy import load_policy  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.simulate import simulate  # noqa: E402
from engine.world import World  # noqa: E402

GOLDEN = HERE / "minimal.json"
SCENARIO = ROOT / "tests" / "data" / "minimal.toml"
POLICY = ROOT / "tests" / "data" / "minimal-plan.toml"
SEED = 7
RUNS = 16


def golden_summary() -> dict:
    """The summary the golden file holds."""
    world = World.from_scenario(load_scenario(SCENARIO))
    return simulate(world, SEED, runs=RUNS, policy=load_policy(POLICY)).summary()


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(golden_summary(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
