"""Playing whole games headless: one run, or thousands for forecasts and balance checks.

Runs are simulated in tiles (whole blocks of runs) so memory stays bounded however
many runs are asked for, and tiles run on two threads (NumPy releases the GIL in
its loops). A run's numbers depend only on the seed, its global index and the
decisions, never on the tiling.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from engine.decision_log import Policy
from engine.errors import ParameterError
from engine.memory import MEMORY_BUDGET, estimate_state_bytes
from engine.outcomes import Outcome, evaluate
from engine.params import DEFECTION_DRIVERS
from engine.randomness import RUN_BLOCK
from engine.scenario.schema import Scenario
from engine.setup import initial_state
from engine.state import State
from engine.step import advance
from engine.vocabulary import METRIC_NAMES
from engine.world import World

# Memory for one tile's state; two tiles are in flight at once.
TILE_BYTES = 96 * 1024 * 1024
PERCENTILES = (5, 50, 95)


@dataclass(frozen=True)
class Results:
    """Recorded metrics of a simulation: name -> (quarters + 1, runs), quarter 0 first."""

    scenario_id: str
    seed: int
    history: dict[str, np.ndarray]
    ever_adopted: np.ndarray  # (runs, interventions) adopted at least once
    scenario: Scenario | None = None  # to judge the outcome by its rules

    @property
    def runs(self) -> int:
        return next(iter(self.history.values())).shape[1]

    @property
    def quarters(self) -> int:
        return next(iter(self.history.values())).shape[0] - 1

    def outcome(self, scenario: Scenario) -> Outcome:
        """Score, stars, goals, achievements and lessons of every run."""
        return evaluate(scenario, self.history, self.ever_adopted)

    def driver_shares(self, quarter: int) -> dict[str, float]:
        """Share of the quarter's defections (pooled over runs) due to each driver; all
        zero when nobody defected."""
        counts = np.array(
            [self.history[f"drivers.{name}"][quarter].sum() for name in DEFECTION_DRIVERS]
        )
        total = counts.sum()
        shares = counts / total if total > 0 else np.zeros_like(counts)
        return {name: float(share) for name, share in zip(DEFECTION_DRIVERS, shares, strict=True)}

    def summary(self) -> dict:
        """The JSON-ready summary printed by ``goingdark run --json``."""
        quarters = []
        for quarter in range(self.quarters + 1):
            entry: dict = {"quarter": quarter}
            for name in METRIC_NAMES:
                values = self.history[name][quarter]
                p05, p50, p95 = np.percentile(values, PERCENTILES)
                entry[name] = {
                    "mean": float(values.mean()),
                    "p05": float(p05),
                    "p50": float(p50),
                    "p95": float(p95),
                }
            entry["defection_drivers"] = self.driver_shares(quarter)
            quarters.append(entry)
        summary = {
            "scenario": self.scenario_id,
            "seed": self.seed,
            "runs": self.runs,
            "quarters": quarters,
        }
        if self.scenario is not None:
            summary["outcome"] = self.outcome_summary(self.scenario)
        return summary

    def outcome_summary(self, scenario: Scenario) -> dict:
        """Score percentiles, the share of runs at each star count, and the share of
        runs meeting each goal and earning each achievement."""
        outcome = self.outcome(scenario)
        p05, p50, p95 = np.percentile(outcome.score, PERCENTILES)
        return {
            "score": {
                "mean": float(outcome.score.mean()),
                "p05": float(p05),
                "p50": float(p50),
                "p95": float(p95),
            },
            "stars": {str(n): float((outcome.stars == n).mean()) for n in range(4)},
            "goals": {k: float(v.mean()) for k, v in outcome.goals.items()},
            "achievements": {k: float(v.mean()) for k, v in outcome.achievements.items()},
        }


def _check_memory(world: World, runs: int, horizon: int) -> None:
    """Refuse a simulation whose tiles in flight plus recorded history would exceed the
    memory budget, naming the estimate."""
    if runs < 1:
        raise ParameterError(f"runs must be at least 1, got {runs}")
    if horizon < 1:
        raise ParameterError(f"quarters must be at least 1, got {horizon}")
    tile = _tile_runs(world, runs, horizon)
    in_flight = min(2, -(-runs // tile)) * estimate_state_bytes(world, tile, horizon)
    recorded = (len(METRIC_NAMES) + len(DEFECTION_DRIVERS)) * (horizon + 1) * runs * 8
    estimate = in_flight + recorded
    if estimate > MEMORY_BUDGET:
        mib = 1024 * 1024
        raise ParameterError(
            f"{runs:,} runs of {horizon} quarters with {world.initial_customers:,} customers "
            f"need about {estimate / mib:,.0f} MiB, over the {MEMORY_BUDGET / mib:,.0f} MiB "
            "budget; use fewer runs or quarters"
        )


def _tile_runs(world: World, runs: int, quarters: int) -> int:
    per_run = max(estimate_state_bytes(world, 1, quarters), 1)
    blocks = max(1, TILE_BYTES // (per_run * RUN_BLOCK))
    return min(runs, blocks * RUN_BLOCK)


def play(world: World, state: State, policy: Policy, quarters: int) -> None:
    """Advance ``state`` in place through ``quarters`` more quarters of ``policy``."""
    for _ in range(quarters):
        advance(world, state, policy.for_quarter(state.quarter + 1))


def simulate(
    world: World,
    seed: int,
    runs: int = 1,
    quarters: int | None = None,
    policy: Policy | None = None,
    *,
    start: State | None = None,
    workers: int | None = None,
) -> Results:
    """Play ``runs`` games of ``quarters`` quarters under ``policy``.

    From the scenario's start by default; from a single-run ``start`` state (a game in
    progress) to forecast or branch it, in which case the history so far is kept.
    """
    policy = policy or Policy()
    policy.validate(world)
    first = 0 if start is None else start.quarter
    quarters = world.scenario.meta.quarters - first if quarters is None else quarters
    horizon = first + quarters
    if start is not None and start.horizon < horizon:
        raise ParameterError(
            f"the game in progress was prepared for {start.horizon} quarters, not {horizon}"
        )
    _check_memory(world, runs, horizon)
    tile = _tile_runs(world, runs, horizon)
    offsets = list(range(0, runs, tile))

    def run_tile(offset: int) -> dict[str, np.ndarray]:
        size = min(tile, runs - offset)
        if start is None:
            state = initial_state(world, seed, size, horizon, run_offset=offset)
        else:
            state = start.repeat_runs(size, run_offset=offset)
        play(world, state, policy, quarters)
        recorded = {name: np.stack(values) for name, values in state.history.items()}
        recorded["_adopted"] = (state.organisation.adopted_quarter >= 0)[None]
        return recorded

    workers = workers or min(2, os.cpu_count() or 1)
    if len(offsets) > 1 and workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run_tile, offsets))
    else:
        parts = [run_tile(offset) for offset in offsets]
    history = {name: np.concatenate([part[name] for part in parts], axis=1) for name in parts[0]}
    adopted = history.pop("_adopted")[0]
    used_seed = seed if start is None else start.seed
    return Results(world.scenario.meta.id, used_seed, history, adopted, world.scenario)
