"""A random search for the best and worst plans the budget allows.

Each candidate is built quarter by quarter: the interventions in a random order, each
kept with probability :data:`KEEP_CHANCE` if it fits the budget estimate
(:class:`~engine.balance.plans.BudgetPlanner`) and its prerequisites were bought
before. Every candidate is screened on a few runs with the report's seed (common
random numbers); the best and the worst are then played on all the report's runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.balance.plans import BudgetPlanner, Plan
from engine.scenario.schema import Scenario

KEEP_CHANCE = 0.5
# A fixed word mixed into the seed, so the search's draws are its own stream and
# never coincide with a game's.
_SEARCH_STREAM = 0x5EA2C4


@dataclass(frozen=True)
class SearchSpace:
    """How the search went: how many plans it tried and on how many runs each."""

    candidates: int
    screening_runs: int

    def words(self) -> str:
        """The search in one sentence, for the report."""
        return (
            f"random search: {self.candidates} budget-feasible plans (each quarter, the"
            f" interventions in random order, each kept with probability {KEEP_CHANCE:g}"
            f" if the budget estimate allows it), each screened on {self.screening_runs}"
            " runs; the best and worst played again on all runs"
        )


def random_plans(scenario: Scenario, seed: int, count: int) -> list[Plan]:
    """``count`` random budget-feasible plans, the same for the same seed."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, _SEARCH_STREAM]))
    ids = [card.id for card in scenario.interventions]
    plans = []
    for number in range(1, count + 1):
        planner = BudgetPlanner(scenario)
        for quarter in range(1, planner.quarters + 1):
            for position in rng.permutation(len(ids)):
                keep = rng.random() < KEEP_CHANCE
                if keep and planner.can_add(ids[position], quarter):
                    planner.purchases.setdefault(quarter, []).append(ids[position])
        plans.append(Plan("search", f"Searched plan {number}", planner.policy(scenario.meta.id)))
    return plans


def plan_text(scenario: Scenario, plan: Plan) -> str:
    """A plan's purchases in a line: 'Q1 A, B; Q3 C' (or 'nothing')."""
    parts = [
        f"Q{quarter} " + ", ".join(scenario.intervention(name).name for name in d.interventions)
        for quarter, d in sorted(plan.policy.by_quarter.items())
        if d.interventions
    ]
    return "; ".join(parts) or "nothing"
