"""Playing whole games headless: one run, or thousands for forecasts and balance checks.

Runs are simulated in tiles (whole blocks of runs) so memory stays bounded however
many runs are asked for, and tiles run on two threads (NumPy releases the GIL in
its loops). A run's numbers depend only on the seed, its global index and the
decisions, never on the tiling.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from engine.decision_log import Policy
from engine.errors import ParameterError
from engine.flows import QuarterFlows
from engine.memory import MEMORY_BUDGET, estimate_state_bytes
from engine.outcomes import Outcome, evaluate
from engine.params import DEFECTION_DRIVERS
from engine.randomness import RUN_BLOCK
from engine.scenario.schema import Scenario
from engine.segment_metrics import SEGMENT_DRIVER_KEYS, SEGMENT_METRICS, measure_segments
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
    # (quarters played, runs, interventions / events): adopted, and events that happened,
    # in each quarter played (the first played is ``first_quarter``).
    adopted_in: np.ndarray | None = None
    fired_in: np.ndarray | None = None
    # (quarters played, events): the choice taken in each dilemma that came up, else -1
    # (the same in every run, as every run plays the same decisions).
    choices_in: np.ndarray | None = None
    first_quarter: int = 1
    # Per-segment figures when asked for: name -> (quarters + 1, runs, segments).
    segments: dict[str, np.ndarray] | None = None

    @property
    def runs(self) -> int:
        return next(iter(self.history.values())).shape[1]

    @property
    def quarters(self) -> int:
        return next(iter(self.history.values())).shape[0] - 1

    def outcome(self, scenario: Scenario) -> Outcome:
        """Score, stars, goals, achievements and lessons of every run (lessons that
        depend on dilemma answers judged by the answers each run gave)."""
        return evaluate(scenario, self.history, self.ever_adopted, self.answers(scenario))

    def answers(self, scenario: Scenario) -> dict[str, np.ndarray] | None:
        """'EVENT.CHOICE' -> (runs,) whether that answer was given in the quarters played
        here; None when these results did not record the choices."""
        if self.fired_in is None or self.choices_in is None:
            return None
        given = {}
        for index, event in enumerate(scenario.events):
            for number, choice in enumerate(event.choices):
                taken = self.choices_in[:, index] == number  # (quarters,)
                given[f"{event.id}.{choice.id}"] = (
                    self.fired_in[:, :, index] & taken[:, None]
                ).any(axis=0)
        return given

    def driver_shares(self, quarter: int) -> dict[str, float]:
        """Share of the quarter's defections (pooled over runs) due to each driver; all
        zero when nobody defected."""
        counts = np.array(
            [self.history[f"drivers.{name}"][quarter].sum() for name in DEFECTION_DRIVERS]
        )
        total = counts.sum()
        shares = counts / total if total > 0 else np.zeros_like(counts)
        return {name: float(share) for name, share in zip(DEFECTION_DRIVERS, shares, strict=True)}

    def segment_driver_shares(self, quarter: int, segment: int) -> dict[str, float]:
        """Share of one segment's defections in a quarter (pooled over runs) due to each
        driver; all zero when nobody in it defected. Needs per-segment figures."""
        if self.segments is None:
            raise ValueError("these results were simulated without per-segment figures")
        counts = np.array(
            [self.segments[key][quarter, :, segment].sum() for key in SEGMENT_DRIVER_KEYS]
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
                entry[name] = spread(self.history[name][quarter])
            entry["defection_drivers"] = self.driver_shares(quarter)
            quarters.append(entry)
        summary = {
            "scenario": self.scenario_id,
            "seed": self.seed,
            "runs": self.runs,
            "quarters": quarters,
        }
        if self.segments is not None and self.scenario is not None:
            summary["segments"] = self.segment_summary(self.scenario)
        if self.scenario is not None:
            summary["outcome"] = self.outcome_summary(self.scenario)
        return summary

    def segment_summary(self, scenario: Scenario) -> dict:
        """Per segment id: its name and, quarter by quarter, every per-segment metric's
        spread over the runs and the share of its defections due to each driver."""
        assert self.segments is not None
        result = {}
        for index, segment in enumerate(scenario.segments):
            quarters = []
            for quarter in range(self.quarters + 1):
                entry: dict = {"quarter": quarter}
                for name in SEGMENT_METRICS:
                    entry[name] = spread(self.segments[name][quarter, :, index])
                entry["defection_drivers"] = self.segment_driver_shares(quarter, index)
                quarters.append(entry)
            result[segment.id] = {"name": segment.name, "quarters": quarters}
        return result

    def outcome_summary(self, scenario: Scenario) -> dict:
        """Score percentiles, the share of runs at each star count, and the share of
        runs meeting each goal and earning each achievement."""
        outcome = self.outcome(scenario)
        return {
            "score": spread(outcome.score),
            "stars": {str(n): float((outcome.stars == n).mean()) for n in range(4)},
            "goals": {k: float(v.mean()) for k, v in outcome.goals.items()},
            "achievements": {k: float(v.mean()) for k, v in outcome.achievements.items()},
            "lessons": {k: float(v.mean()) for k, v in outcome.lessons.items()},
        }


def spread(values: np.ndarray) -> dict[str, float]:
    """Mean and the 5th, 50th and 95th percentiles of values over runs, for JSON."""
    p05, p50, p95 = np.percentile(values, PERCENTILES)
    return {"mean": float(values.mean()), "p05": float(p05), "p50": float(p50), "p95": float(p95)}


def memory_needed(world: World, runs: int, horizon: int, segments: bool = False) -> int:
    """Bytes a simulation of ``runs`` runs of ``horizon`` quarters needs: the tiles in
    flight plus the recorded history (and per-segment figures when asked for)."""
    tile = _tile_runs(world, runs, horizon)
    in_flight = min(2, -(-runs // tile)) * estimate_state_bytes(world, tile, horizon)
    recorded = (len(METRIC_NAMES) + len(DEFECTION_DRIVERS)) * (horizon + 1) * runs * 8
    if segments:
        per_segment = len(SEGMENT_METRICS) + len(SEGMENT_DRIVER_KEYS)
        recorded += per_segment * len(world.segment_ids) * (horizon + 1) * runs * 8
    return in_flight + recorded


def _check_memory(world: World, runs: int, horizon: int, segments: bool = False) -> None:
    """Refuse a simulation whose tiles in flight plus recorded history would exceed the
    memory budget, naming the estimate."""
    if runs < 1:
        raise ParameterError(f"runs must be at least 1, got {runs}")
    if horizon < 1:
        raise ParameterError(f"quarters must be at least 1, got {horizon}")
    estimate = memory_needed(world, runs, horizon, segments)
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


def play(
    world: World,
    state: State,
    policy: Policy,
    quarters: int,
    on_quarter: Callable[[QuarterFlows], None] | None = None,
) -> None:
    """Advance ``state`` in place through ``quarters`` more quarters of ``policy``,
    handing each quarter's flows to ``on_quarter`` if given."""
    for _ in range(quarters):
        flows = advance(world, state, policy.for_quarter(state.quarter + 1))
        if on_quarter is not None:
            on_quarter(flows)


def simulate(
    world: World,
    seed: int,
    runs: int = 1,
    quarters: int | None = None,
    policy: Policy | None = None,
    *,
    start: State | None = None,
    workers: int | None = None,
    segments: bool = False,
) -> Results:
    """Play ``runs`` games of ``quarters`` quarters under ``policy``.

    From the scenario's start by default; from a single-run ``start`` state (a game in
    progress) to forecast or branch it, in which case the history so far is kept. With
    ``segments``, also measure every per-segment figure (from the start of the game only).
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
    if segments and start is not None:
        raise ParameterError("per-segment figures are measured from the start of the game only")
    _check_memory(world, runs, horizon, segments)
    tile = _tile_runs(world, runs, horizon)
    offsets = list(range(0, runs, tile))

    def run_tile(offset: int) -> dict[str, np.ndarray]:
        size = min(tile, runs - offset)
        if start is None:
            state = initial_state(world, seed, size, horizon, run_offset=offset)
        else:
            state = start.repeat_runs(size, run_offset=offset)
        adopted_in, fired_in, choices_in = [], [], []
        by_segment = [measure_segments(world, state, None, None)] if segments else []

        def keep(flows: QuarterFlows) -> None:
            adopted_in.append(flows.adopted)
            fired_in.append(flows.fired)
            choices_in.append(flows.choices[None])
            if segments:
                first_revenue = by_segment[0]["revenue"]
                by_segment.append(measure_segments(world, state, flows, first_revenue))

        play(world, state, policy, quarters, keep)
        recorded = {name: np.stack(values) for name, values in state.history.items()}
        recorded["_adopted"] = (state.organisation.adopted_quarter >= 0)[None]
        recorded["_adopted_in"] = _stack_quarters(adopted_in, size, len(world.intervention_ids))
        recorded["_fired_in"] = _stack_quarters(fired_in, size, len(world.event_ids))
        # One row of choices per quarter, the same in every run: kept for this tile's
        # first run only, so that joining the tiles does not repeat it.
        recorded["_choices_in"] = _stack_quarters(choices_in, 1, len(world.event_ids))
        for name in by_segment[0] if segments else ():
            recorded[f"_segment.{name}"] = np.stack([figures[name] for figures in by_segment])
        return recorded

    workers = workers or min(2, os.cpu_count() or 1)
    if len(offsets) > 1 and workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run_tile, offsets))
    else:
        parts = [run_tile(offset) for offset in offsets]
    history = {name: np.concatenate([part[name] for part in parts], axis=1) for name in parts[0]}
    adopted = history.pop("_adopted")[0]
    adopted_in = history.pop("_adopted_in")
    fired_in = history.pop("_fired_in")
    choices_in = history.pop("_choices_in")[:, 0]
    by_segment = {
        name.removeprefix("_segment."): history.pop(name)
        for name in list(history)
        if name.startswith("_segment.")
    }
    used_seed = seed if start is None else start.seed
    return Results(
        world.scenario.meta.id,
        used_seed,
        history,
        adopted,
        world.scenario,
        adopted_in=adopted_in,
        fired_in=fired_in,
        choices_in=choices_in,
        first_quarter=first + 1,
        segments=by_segment or None,
    )


def _stack_quarters(per_quarter: list[np.ndarray], runs: int, columns: int) -> np.ndarray:
    """(quarters, runs, columns) from one (runs, columns) array per quarter played."""
    if not per_quarter:
        return np.zeros((0, runs, columns), dtype=bool)
    return np.stack(per_quarter)
