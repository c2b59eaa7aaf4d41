"""Engine benchmark: time per customer-quarter against a floor measured in the same run.

The floor is the least any quarter step must do: read and write every customer state
array once and draw one uniform random number per customer. Ratios to it, not raw
seconds, are what we track: they survive a change of machine.

    python benchmarks/engine.py            # all figures
    python benchmarks/engine.py --quick    # smaller repeat counts
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tomllib
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stolen_time import StolenTime  # noqa: E402  (beside this script)

from engine.decisions import Decisions  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.scenario.schema import Scenario  # noqa: E402
from engine.setup import initial_state  # noqa: E402
from engine.simulate import simulate  # noqa: E402
from engine.state import State  # noqa: E402
from engine.step import advance  # noqa: E402
from engine.warmup import warm_up  # noqa: E402
from engine.world import World  # noqa: E402

# Targets of issue 13 (the fused kernels).
TARGET_BATCHED_RATIO = 4.0  # 1000 runs x 10k customers, one quarter
TARGET_LARGE_RATIO = 6.0  # 1 run x 100k customers
TARGET_QUARTER_MS = 5.0  # 1 run x 100k customers, one quarter
TARGET_CAPSTONE_MS = 1.0  # one quarter of the capstone scenario, 1 run
TARGET_SMALL_NS = 25.0  # 1 run x 10k customers, per customer-quarter
TARGET_FORECAST_SECONDS = 1.0
TARGET_PEAK_MIB = 300.0


def world_with(customers: int) -> World:
    """The minimal test scenario scaled to ``customers`` (two segments, 88% / 12%)."""
    table = tomllib.loads((ROOT / "tests" / "data" / "minimal.toml").read_text())
    small = customers * 12 // 100
    table["segments"][0]["count"] = customers - small
    table["segments"][1]["count"] = small
    table["meta"]["quarters"] = 40
    return World.from_scenario(Scenario.model_validate(table))


def floor_seconds(state: State, repeats: int) -> float:
    """One read and one write of every customer array plus one uniform per customer."""
    c = state.customers
    arrays = [getattr(c, name) for name in c.__slots__]
    copies = [np.empty_like(a) for a in arrays]
    draws = np.empty(c.active.shape, dtype=np.float32)
    rng = np.random.default_rng(0)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for source, target in zip(arrays, copies, strict=True):
            np.copyto(target, source)
        rng.random(out=draws, dtype=np.float32)
        best = min(best, time.perf_counter() - start)
    return best


def quarter_seconds(world: World, runs: int, repeats: int) -> tuple[float, State]:
    """Best time of one quarter step on a fresh state of ``runs`` runs."""
    best = float("inf")
    for repeat in range(repeats):
        state = initial_state(world, seed=repeat, runs=runs, horizon=2)
        gc.collect()
        start = time.perf_counter()
        advance(world, state, Decisions())
        best = min(best, time.perf_counter() - start)
    return best, state


def game_quarter_seconds(world: World, repeats: int) -> float:
    """Best mean time of a quarter over whole single-run games (a game as played)."""
    quarters = world.scenario.meta.quarters
    best = float("inf")
    for repeat in range(repeats):
        state = initial_state(world, seed=repeat, runs=1, horizon=quarters)
        gc.collect()
        start = time.perf_counter()
        for _ in range(quarters):
            advance(world, state, Decisions())
        best = min(best, (time.perf_counter() - start) / quarters)
    return best


def forecast_seconds(
    world: World, runs: int, quarters: int, repeats: int, *, from_game: bool
) -> float:
    """Best time of a forecast: from a game in progress (a single-run state fanned out
    to ``runs`` runs: what the game's forecasts do), or from scratch (which also draws
    every run's customers)."""
    best = float("inf")
    for repeat in range(repeats):
        game = initial_state(world, seed=repeat, horizon=quarters) if from_game else None
        gc.collect()
        start = time.perf_counter()
        simulate(world, seed=repeat, runs=runs, quarters=quarters, start=game)
        best = min(best, time.perf_counter() - start)
    return best


def peak_mib(world: World, runs: int, quarters: int) -> float:
    gc.collect()
    tracemalloc.start()
    simulate(world, seed=0, runs=runs, quarters=quarters)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    with StolenTime() as stolen:
        failures = measure_all(repeats)
    print(stolen.report())
    print("\nall targets met" if not failures else f"\nmissed: {', '.join(failures)}")
    return 0 if not failures else 1


def measure_all(repeats: int) -> list[str]:
    """Run every measurement, print it, and return the labels of the targets missed."""
    failures = []

    def report(label: str, value: float, target: float, unit: str) -> None:
        ok = value <= target
        failures.extend([] if ok else [label])
        print(
            f"  {label:<44} {value:>9.2f} {unit:<5} target <= {target:g} {'ok' if ok else 'MISSED'}"
        )

    print(f"NumPy {np.__version__}, Python {sys.version.split()[0]}")
    warm_up()  # compile (or load) the kernels before anything is timed
    for runs, customers in ((1, 100_000), (1000, 10_000)):
        world = world_with(customers)
        seconds, state = quarter_seconds(world, runs, repeats)
        slots = state.customers.active.size
        floor = floor_seconds(state, repeats * 3)
        per = seconds / slots * 1e9
        print(f"\nruns={runs}, customers={customers:,} ({slots:,} customer-run slots)")
        print(f"  one quarter {seconds * 1e3:9.2f} ms   {per:7.1f} ns per customer-quarter")
        print(
            f"  floor       {floor * 1e3:9.2f} ms   {floor / slots * 1e9:7.1f} ns per "
            "customer-quarter"
        )
        if runs == 1:
            report("ratio to floor", seconds / floor, TARGET_LARGE_RATIO, "x")
            report("one quarter, 100k customers", seconds * 1e3, TARGET_QUARTER_MS, "ms")
        else:
            report("ratio to floor", seconds / floor, TARGET_BATCHED_RATIO, "x")
    print("\none game")
    capstone = World.from_scenario(load_scenario("capstone"))
    report(
        "a quarter of the capstone, 1 run",
        game_quarter_seconds(capstone, repeats) * 1e3,
        TARGET_CAPSTONE_MS,
        "ms",
    )
    small = world_with(10_000)
    seconds = game_quarter_seconds(small, max(2, repeats // 2))
    slots = initial_state(small, seed=0, runs=1, horizon=1).customers.active.size
    report(
        "1 run x 10k customers, per customer-quarter", seconds / slots * 1e9, TARGET_SMALL_NS, "ns"
    )
    world = world_with(10_000)
    print("\nforecast: 1000 runs x 10,000 customers x 4 quarters")
    forecast = forecast_seconds(world, 1000, 4, max(2, repeats // 2), from_game=True)
    report("from a game in progress", forecast, TARGET_FORECAST_SECONDS, "s")
    scratch = forecast_seconds(world, 1000, 4, max(2, repeats // 2), from_game=False)
    print(f"  from scratch (also drawing 10M customers)   {scratch:>9.2f} s")
    peak = peak_mib(world, 1000, 4)
    per_customer_run = peak * 2**20 / (1000 * world.initial_customers)
    print(f"  peak memory {peak:.1f} MiB = {per_customer_run:.1f} bytes per customer-run")
    report("peak memory", peak, TARGET_PEAK_MIB, "MiB")
    return failures


if __name__ == "__main__":
    sys.exit(main())
