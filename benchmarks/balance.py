"""Balance benchmark: ``goingdark balance`` on the size the issue names (8 quarters,
2,000 customers, 10 interventions), and what dominates its time.

The scenario is ``tests/data/balance-dominant.toml`` grown to that size (its segments
scaled to 2,000 customers, its interventions copied to 10). The target is the whole
report, default runs and search, in 30 seconds on a two-core machine; other work on
the machine slows every figure alike, so the shares of the time are the figures to
read: they come from a profile of one plan's runs (the model's quarter, the starting
position, the scoring), and say where making it faster would pay.

    python benchmarks/balance.py            # the whole report, then the profile
    python benchmarks/balance.py --quick    # the profile only
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.balance.measure import play_plan  # noqa: E402
from engine.balance.plans import standard_plans  # noqa: E402
from engine.balance.report import DEFAULT_RUNS, DEFAULT_SEARCH, balance_report  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.scenario.schema import Scenario  # noqa: E402
from engine.world import World  # noqa: E402

TARGET_SECONDS = 30.0
CUSTOMERS, INTERVENTIONS = 2_000, 10
# Where a plan's time goes: the functions whose cumulative time is reported.
PARTS = {
    "the model's quarters (step.advance)": "advance",
    "the starting position (setup.initial_state)": "initial_state",
    "scores, goals, lessons (outcomes.evaluate)": "evaluate",
}


def sized_scenario() -> Scenario:
    """The test case grown to the issue's size."""
    base = load_scenario(ROOT / "tests" / "data" / "balance-dominant.toml")
    total = base.customer_count
    segments = [
        s.model_copy(update={"count": round(s.count * CUSTOMERS / total)}) for s in base.segments
    ]
    cards = list(base.interventions)
    copies = [
        card.model_copy(update={"id": f"{card.id}-{n}", "name": f"{card.name} {n}"[:40]})
        for n, card in enumerate(cards * 4, start=2)
        if not card.requires
    ]
    return base.model_copy(
        update={"segments": segments, "interventions": (cards + copies)[:INTERVENTIONS]}
    )


def profile_one_plan(scenario: Scenario) -> None:
    world = World.from_scenario(scenario)
    policy = standard_plans(scenario)[1].policy
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(play_plan, world, scenario.meta.seed, DEFAULT_RUNS, policy)
    seconds = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    cumulative = {
        func[2]: value[3] for func, value in stats.stats.items() if func[2] in PARTS.values()
    }
    whole = sum(value[2] for value in stats.stats.values())
    print(f"one plan, {DEFAULT_RUNS} runs: {seconds:.2f} s (profiled)")
    for words, name in PARTS.items():
        print(f"  {words:<46} {100 * cumulative.get(name, 0.0) / whole:5.1f}% of the time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the profile only")
    args = parser.parse_args()
    scenario = sized_scenario()
    print(
        f"{scenario.meta.quarters} quarters, {scenario.customer_count:,} customers,"
        f" {len(scenario.interventions)} interventions"
    )
    if not args.quick:
        start, cpu = time.perf_counter(), time.process_time()
        report = balance_report(scenario, scenario.meta.seed, DEFAULT_RUNS, DEFAULT_SEARCH)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        plans = len(report.all_plans()) + report.search.candidates
        print(
            f"whole report: {seconds:.1f} s for {plans} plans ({DEFAULT_RUNS} runs each,"
            f" search screened on {report.search.screening_runs}); target"
            f" {TARGET_SECONDS:.0f} s: ratio {seconds / TARGET_SECONDS:.2f}"
        )
        print(f"  processor time {cpu:.1f} s (on two threads; the rest is waiting for others)")
    profile_one_plan(scenario)


if __name__ == "__main__":
    main()
