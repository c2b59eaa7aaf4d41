"""One quarter: a pure function of (state, decisions, world), randomness from the seed.

The phases run in this fixed order:

1. decisions      interventions adopted, their effects scheduled
2. events         scheduled and random events, dilemma choices
3. levers         this quarter's lever levels (practices + scheduled effects)
4. workforce      engagement, attrition and replacement hiring, learning
5. quality        delivered quality, organisational capabilities, norm drift
6. experience     what each segment experiences
7. customers      satisfaction and thrill, going dark, wake-up calls, defection
8. acquisition    new customers
9. money          revenue, costs, profit, next quarter's budget
10. metrics       measured from the state and recorded in its history
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.decisions import Decisions, adopt_interventions
from engine.errors import ParameterError
from engine.events import apply_events
from engine.market import (
    AcquisitionFlows,
    CustomerFlows,
    acquisition_phase,
    customer_phase,
)
from engine.metrics import customer_revenue, record
from engine.people import (
    Levers,
    QualityFlows,
    WorkforceFlows,
    quality_phase,
    segment_experience,
    workforce_phase,
)
from engine.state import State
from engine.world import World


@dataclass(slots=True)
class QuarterFlows:
    """What happened during one quarter, per run (the report's raw material)."""

    quarter: int
    levers: np.ndarray  # (runs, levers)
    adopted: np.ndarray  # (runs, interventions) adopted this quarter
    fired: np.ndarray  # (runs, events) events that happened
    choices: np.ndarray  # (events,) choice index taken, -1 where none
    workforce: WorkforceFlows
    quality: QualityFlows
    experience: np.ndarray  # (runs, segments)
    customers: CustomerFlows
    acquisition: AcquisitionFlows
    spend: np.ndarray  # interventions, choices and upkeep
    revenue: np.ndarray
    costs: np.ndarray
    profit: np.ndarray
    metrics: dict[str, np.ndarray]


def current_levers(world: World, state: State, quarter: int) -> Levers:
    """Lever levels in force in ``quarter``: standing practices plus scheduled effects."""
    values = world.practices[None, :] + state.organisation.lever_schedule[:, quarter, :]
    return Levers(np.clip(values, world.lever_low, world.lever_high))


def _money(
    world: World,
    state: State,
    quarter: int,
    levers: Levers,
    spend_chosen: np.ndarray,
    leavers: np.ndarray,
):
    budget = world.scenario.company.budget
    dyn = world.dynamics
    org = state.organisation
    revenue = customer_revenue(state)
    salaries = (
        budget.salary
        * world.employees
        * (1 - dyn.cost_containment_saving * np.clip(levers.cost_containment, 0, 1))
    )
    upkeep = org.upkeep_schedule[:, quarter]
    spend = spend_chosen + upkeep
    costs = salaries + budget.hiring_cost * leavers + spend
    profit = revenue - costs
    org.cumulative_profit += profit
    # Unspent budget carries over if the scenario says so; overspending (upkeep and
    # dilemma costs beyond what was left) always comes out of next quarter's budget.
    left = org.budget - spend
    left = left if budget.carry_over else np.minimum(left, 0.0)
    org.budget = np.maximum(left + budget.per_quarter + budget.profit_share * profit, 0.0)
    return spend, revenue, costs, profit


def advance(world: World, state: State, decisions: Decisions) -> QuarterFlows:
    """Play one quarter, updating ``state`` in place (use :func:`step` to keep it)."""
    quarter = state.quarter + 1
    if quarter > state.horizon:
        raise ParameterError(
            f"the state was prepared for {state.horizon} quarters; cannot play quarter {quarter}"
        )
    decisions.validate(world)

    spend, adopted = adopt_interventions(world, state, decisions, quarter)
    fired, choices, choice_cost = apply_events(world, state, decisions, quarter)
    levers = current_levers(world, state, quarter)
    workforce = workforce_phase(world, state, levers, quarter)
    quality = quality_phase(world, state, levers)
    experience = segment_experience(world, state, quality, levers)
    customers = customer_phase(world, state, levers, experience, quarter)
    acquisition = acquisition_phase(
        world, state, levers, quarter, mean_thrill=state.history["thrill"][-1]
    )
    spend, revenue, costs, profit = _money(
        world, state, quarter, levers, spend + choice_cost, workforce.leavers
    )
    state.quarter = quarter
    flows = QuarterFlows(
        quarter=quarter,
        levers=levers.values,
        adopted=adopted,
        fired=fired,
        choices=choices,
        workforce=workforce,
        quality=quality,
        experience=experience,
        customers=customers,
        acquisition=acquisition,
        spend=spend,
        revenue=revenue,
        costs=costs,
        profit=profit,
        metrics={},
    )
    flows.metrics = record(world, state, flows)
    return flows


def step(world: World, state: State, decisions: Decisions) -> tuple[State, QuarterFlows]:
    """Play one quarter from ``state`` (left untouched) and return the new state."""
    new_state = state.copy()
    flows = advance(world, new_state, decisions)
    return new_state, flows
