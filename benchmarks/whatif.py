"""What-if benchmark: every what-if of a 14-quarter capstone game, against a reference
measured in the same run.

The game is the capstone played with its sensible plan (tests/data/plans). Timed:
making the alternatives, the exact single-run effects, and the spreads over 200 runs.
The reference is one plain ``simulate`` of the same number of customer-quarters as the
spreads play (the alternatives' quarters after their change, plus the player's own
runs), so the ratio says what the what-if machinery costs beyond the model itself.

    python benchmarks/whatif.py            # 200 runs, as the debrief uses
    python benchmarks/whatif.py --runs 50  # quicker
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stolen_time import StolenTime  # noqa: E402  (beside this script)

from engine import processes  # noqa: E402

if TYPE_CHECKING:
    from engine.session import GameSession

TARGET_SECONDS = 3.0  # issue 9: every what-if of a capstone game

# The model is imported inside the functions, not here: each worker process imports
# this script again (multiprocessing does that with the main module), and the game's
# own main module is as light.


def played_capstone() -> GameSession:
    from engine.policy import load_policy
    from engine.scenario.loader import load_scenario
    from engine.session import GameSession

    scenario = load_scenario("capstone")
    session = GameSession(scenario)
    plan = load_policy(ROOT / "tests" / "data" / "plans" / "capstone.toml")
    for quarter in range(1, scenario.meta.quarters + 1):
        decisions = plan.for_quarter(quarter)
        session.play(decisions.interventions, decisions.choices)
    return session


def main() -> None:
    from engine.simulate import simulate
    from engine.whatif import alternatives, measured_effects
    from engine.whatif_plans import first_change

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    # As the game does: the worker processes' server starts while the game is played.
    start = time.perf_counter()
    processes.start()
    session = played_capstone()
    ready = processes.ready()
    serving = time.perf_counter() - start
    played = session.quarter

    with StolenTime() as stolen:
        start = time.perf_counter()
        found = alternatives(session)
        making = time.perf_counter() - start
        known: list[float] = []
        start = time.perf_counter()
        measured_effects(
            session, found, args.runs, exact_known=lambda _: known.append(time.perf_counter())
        )
        measuring = time.perf_counter() - start
    exact = known[0] - start
    spreads = measuring - exact

    own = session.policy()
    quarters_after = sum(played - first_change(own, alt.policy, played) + 1 for alt in found)
    # The same run-quarters as the spreads play, as one plain simulation.
    reference_runs = args.runs * (quarters_after + played) // played
    start = time.perf_counter()
    simulate(session.world, session.seed, reference_runs, policy=own)
    reference = time.perf_counter() - start

    total = making + measuring
    print(f"capstone, {played} quarters, {len(found)} alternatives, {args.runs} runs each")
    if ready:
        print(f"  worker processes ready {serving:.2f} s after start (while the game was played)")
    else:
        print(f"  no worker processes ({processes.failure() or 'turned off'}): threads")
    print(f"  alternatives made       {making:7.2f} s")
    print(f"  exact effects (run 0)   {exact:7.2f} s   known this long after the start")
    print(f"  spreads                 {spreads:7.2f} s   ({quarters_after} quarters replayed)")
    verdict = "ok" if total <= TARGET_SECONDS else "MISSED"
    print(f"  total                   {total:7.2f} s   target <= {TARGET_SECONDS:g} s {verdict}")
    print(
        f"  reference: simulate {reference_runs} runs x {played} quarters "
        f"{reference:.2f} s; spreads / reference = {spreads / reference:.2f}, "
        f"total / reference = {total / reference:.2f}"
    )
    print(f"  {stolen.report()}")


if __name__ == "__main__":
    main()
