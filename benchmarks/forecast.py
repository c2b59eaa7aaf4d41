"""Forecast benchmark: the picker's forecast for every built-in scenario, from its first
quarter (the most quarters left: the slowest case), against a reference measured in the
same run.

"first" is the picker's first forecast of a quarter (both futures, the plan and doing
nothing, on two threads); "change" is each later one (doing nothing is remembered, only
the plan's future is played). The reference is the least a first forecast must do: play
both futures for the same runs and quarters with ``simulate``. The ratio to it is the
forecast's own overhead (scoring each quarter, percentiles); the seconds are what the
player waits, with a target of one second on a two-core machine (other work on the
machine slows every figure alike: read the ratios).

    python benchmarks/forecast.py            # all figures
    python benchmarks/forecast.py --quick    # fewer repeats
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.catalog import load_catalog  # noqa: E402
from engine.decision_log import Policy  # noqa: E402
from engine.decisions import Decisions  # noqa: E402
from engine.forecast import BASELINES, default_runs, forecast  # noqa: E402
from engine.session import GameSession  # noqa: E402
from engine.simulate import simulate  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_RATIO = 1.5


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeats`` timings of ``work`` (the least disturbed by others)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def measure(session: GameSession, repeats: int) -> tuple[int, float, float, float]:
    """(runs, first and changed forecast seconds, reference seconds) for the scenario's
    first card."""
    plan = [session.scenario.interventions[0].id]
    runs = default_runs(session)
    plan_policy = Policy({1: Decisions(tuple(plan))})

    def reference() -> None:
        for policy in (plan_policy, Policy()):
            simulate(session.world, session.seed, runs, policy=policy, start=session.state)

    def first() -> None:
        BASELINES.clear()
        forecast(session, plan, {})

    seconds = best_of(repeats, first)
    change = best_of(repeats, lambda: forecast(session, plan, {}))
    return runs, seconds, change, best_of(repeats, reference)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    failures = []
    print("scenario          runs  quarters      first     change  reference  ratio")
    for entry in load_catalog([]):
        if not entry.ok or entry.scenario is None:
            continue
        session = GameSession(entry.scenario)
        runs, seconds, change, floor = measure(session, repeats)
        ratio = seconds / floor
        ok = max(seconds, change) <= TARGET_SECONDS and ratio <= TARGET_RATIO
        failures.extend([] if ok else [entry.id])
        print(
            f"{entry.id:<16} {runs:>5} {session.quarters:>9} {seconds:>9.3f}s {change:>9.3f}s "
            f"{floor:>9.3f}s {ratio:>6.2f} {'ok' if ok else 'MISSED'}"
        )
    print(f"\ntargets: forecast <= {TARGET_SECONDS:g} s and <= {TARGET_RATIO:g} x the reference")
    print("all targets met" if not failures else f"missed: {', '.join(failures)}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
