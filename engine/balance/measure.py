"""Playing one plan over many runs and keeping what a balance report needs.

Every plan is played from the same seed, so run r of one plan and run r of another
share every random draw the plans do not change (common random numbers): a difference
between two plans' runs is the plans', not luck. Runs are played in blocks of
:data:`~engine.randomness.RUN_BLOCK`, which changes no run's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.decision_log import Policy
from engine.outcomes import Outcome, achievement_earned, evaluate
from engine.params import DEFECTION_DRIVERS
from engine.randomness import RUN_BLOCK
from engine.setup import check_size, initial_state
from engine.state import State
from engine.step import advance
from engine.world import World

# The quarter by whose end an achievement counts as earned before the player could act:
# decisions of quarter 1 take effect after their lag, at the earliest during quarter 1.
EARLIEST_QUARTER = 1


@dataclass(frozen=True)
class PlanRuns:
    """What many runs of one plan came to, run by run (arrays over runs)."""

    outcome: Outcome
    carried_out: np.ndarray  # (runs,) every purchase of the plan was made as planned
    early_achievements: dict[str, np.ndarray]  # id -> (runs,) earned by quarter 1
    segment_retention: np.ndarray  # (runs, segments) starting customers still there
    drivers: np.ndarray  # (drivers,) defections over the game, pooled over runs
    segment_drivers: np.ndarray  # (segments, drivers) the same, segment by segment
    bands: dict[str, np.ndarray]  # scoring metric -> (quarters + 1, 3): p5, p50, p95

    @property
    def runs(self) -> int:
        """How many runs were played."""
        return int(self.outcome.score.shape[0])

    def driver_shares(self) -> dict[str, float]:
        """Each driver's share of all defections of all runs; zero when nobody left."""
        return _shares(self.drivers)

    def segment_driver_shares(self, segment: int) -> dict[str, float]:
        """Each driver's share of one segment's defections over the game, pooled over
        runs (the segment's index in the scenario); zero when nobody in it left."""
        return _shares(self.segment_drivers[segment])


def _shares(counts: np.ndarray) -> dict[str, float]:
    """Defections per driver as shares of their total; all zero when nobody left."""
    total = counts.sum()
    shares = counts / total if total > 0 else np.zeros_like(counts)
    return {name: float(v) for name, v in zip(DEFECTION_DRIVERS, shares, strict=True)}


@dataclass
class _Block:
    history: dict[str, list[np.ndarray]]
    ever_adopted: np.ndarray
    answers: dict[str, np.ndarray]
    carried_out: np.ndarray
    segment_retention: np.ndarray
    segment_drivers: np.ndarray  # (segments, drivers) defections summed over the block


def _starting_retention(world: World, state: State) -> np.ndarray:
    """(runs, segments): the share of each segment's starting customers still there."""
    customers = state.customers
    bounds = state.segment_bounds
    shares = np.zeros((state.runs, len(world.scenario.segments)))
    for index, segment in enumerate(world.scenario.segments):
        if segment.count == 0:
            continue
        columns = slice(bounds[index], bounds[index + 1])
        staying = customers.active[:, columns] & (customers.joined[:, columns] == 0)
        shares[:, index] = staying.sum(axis=1) / segment.count
    return shares


def _play_block(world: World, seed: int, runs: int, offset: int, policy: Policy) -> _Block:
    scenario = world.scenario
    quarters = scenario.meta.quarters
    state = initial_state(world, seed, runs, quarters, run_offset=offset)
    carried = np.ones(runs, dtype=bool)
    answers: dict[str, np.ndarray] = {}
    segment_drivers = np.zeros((len(scenario.segments), len(DEFECTION_DRIVERS)))
    for quarter in range(1, quarters + 1):
        decisions = policy.for_quarter(quarter)
        flows = advance(world, state, decisions)
        segment_drivers += flows.customers.segment_drivers.sum(axis=0)
        for name in decisions.interventions:
            carried &= flows.adopted[:, world.intervention_index[name]]
        for index, event in enumerate(scenario.events):
            taken = int(flows.choices[index])
            if event.choices and taken >= 0:
                key = f"{event.id}.{event.choices[taken].id}"
                answers[key] = answers.get(key, np.zeros(runs, dtype=bool)) | flows.fired[:, index]
    return _Block(
        state.history,
        state.organisation.adopted_quarter >= 0,
        answers,
        carried,
        _starting_retention(world, state),
        segment_drivers,
    )


def play_plan(world: World, seed: int, runs: int, policy: Policy) -> PlanRuns:
    """Play ``policy`` ``runs`` times from the scenario's start with ``seed``."""
    scenario = world.scenario
    quarters = scenario.meta.quarters
    check_size(world, min(runs, RUN_BLOCK), quarters)
    policy.validate(world)
    blocks = [
        _play_block(world, seed, min(RUN_BLOCK, runs - offset), offset, policy)
        for offset in range(0, runs, RUN_BLOCK)
    ]
    history = {
        name: [np.concatenate([b.history[name][q] for b in blocks]) for q in range(quarters + 1)]
        for name in blocks[0].history
    }
    ever_adopted = np.concatenate([b.ever_adopted for b in blocks])
    keys = sorted({key for b in blocks for key in b.answers})
    answers = {
        key: np.concatenate(
            [b.answers.get(key, np.zeros(b.carried_out.shape, bool)) for b in blocks]
        )
        for key in keys
    }
    index = world.intervention_index
    early = {
        item.id: achievement_earned(item, history, ever_adopted, index, upto=EARLIEST_QUARTER)
        for item in scenario.achievements
    }
    drivers = np.array(
        [sum(float(v.sum()) for v in history[f"drivers.{name}"][1:]) for name in DEFECTION_DRIVERS]
    )
    metrics = dict.fromkeys(term.metric for term in scenario.scoring.terms)
    bands = {
        metric: np.percentile(np.stack(history[metric]), (5, 50, 95), axis=1).T
        for metric in metrics
    }
    return PlanRuns(
        outcome=evaluate(scenario, history, ever_adopted, answers),
        carried_out=np.concatenate([b.carried_out for b in blocks]),
        early_achievements=early,
        segment_retention=np.concatenate([b.segment_retention for b in blocks]),
        drivers=drivers,
        segment_drivers=np.sum([b.segment_drivers for b in blocks], axis=0),
        bands=bands,
    )
