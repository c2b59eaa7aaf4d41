"""One quarter: a pure function of (world, state, decisions), randomness from the seed.

A quarter runs the phases of :data:`PHASES`, in order. Each phase reads what the
earlier phases of the same quarter produced, kept on a :class:`QuarterInPlay`, and
adds its own result there; the last one assembles the quarter's
:class:`~engine.flows.QuarterFlows`. docs/model.md describes every phase, and a test
keeps its table of phases in the order of ``PHASES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from engine.acquisition import acquisition_phase
from engine.arrays import clip
from engine.decisions import Adoption, Decisions, adopt_interventions
from engine.errors import ParameterError
from engine.events import EventOutcome, apply_events
from engine.flows import (
    AcquisitionFlows,
    CustomerFlows,
    QualityFlows,
    QuarterFlows,
    WorkforceFlows,
)
from engine.levers import Levers
from engine.market import customer_phase
from engine.metrics import customer_revenue, customer_totals, record
from engine.people import quality_phase, segment_experience, workforce_phase
from engine.replay_draws import ReplayDraws
from engine.state import State
from engine.world import World


class Money(NamedTuple):
    """The money phase's result, per run."""

    spend: np.ndarray  # on interventions, dilemma choices and upkeep
    revenue: np.ndarray
    costs: np.ndarray
    profit: np.ndarray


@dataclass(slots=True)
class QuarterInPlay:
    """One quarter being played: its inputs, then each phase's result as it runs.

    A result is set by its phase; reading it before that phase has run raises
    AttributeError, so a phase moved ahead of what it reads fails at once.
    """

    world: World
    state: State
    decisions: Decisions
    number: int  # the quarter being played, 1 for the first
    draws: ReplayDraws | None = None  # kept draws of these runs, when replaying them
    adoption: Adoption = field(init=False)
    events: EventOutcome = field(init=False)
    levers: Levers = field(init=False)
    workforce: WorkforceFlows = field(init=False)
    quality: QualityFlows = field(init=False)
    experience: np.ndarray = field(init=False)  # (runs, segments)
    customers: CustomerFlows = field(init=False)
    acquisition: AcquisitionFlows = field(init=False)
    money: Money = field(init=False)
    customer_totals: np.ndarray = field(init=False)  # (runs, totals), after acquisition
    flows: QuarterFlows = field(init=False)


def current_levers(world: World, state: State, quarter: int) -> Levers:
    """Lever levels in force in ``quarter``: standing practices plus scheduled effects."""
    values = world.practices[None, :] + state.organisation.lever_schedule[:, quarter, :]
    return Levers(clip(values, world.lever_low, world.lever_high))


def _decisions(quarter: QuarterInPlay) -> None:
    quarter.adoption = adopt_interventions(
        quarter.world, quarter.state, quarter.decisions, quarter.number
    )


def _events(quarter: QuarterInPlay) -> None:
    quarter.events = apply_events(quarter.world, quarter.state, quarter.decisions, quarter.number)


def _levers(quarter: QuarterInPlay) -> None:
    quarter.levers = current_levers(quarter.world, quarter.state, quarter.number)


def _workforce(quarter: QuarterInPlay) -> None:
    quarter.workforce = workforce_phase(
        quarter.world, quarter.state, quarter.levers, quarter.number, quarter.draws
    )


def _quality(quarter: QuarterInPlay) -> None:
    quarter.quality = quality_phase(quarter.world, quarter.state, quarter.levers)


def _experience(quarter: QuarterInPlay) -> None:
    quarter.experience = segment_experience(
        quarter.world, quarter.state, quarter.quality, quarter.levers
    )


def _customers(quarter: QuarterInPlay) -> None:
    quarter.customers = customer_phase(
        quarter.world,
        quarter.state,
        quarter.levers,
        quarter.experience,
        quarter.number,
        draws=quarter.draws,
    )


def _acquisition(quarter: QuarterInPlay) -> None:
    # Referrals follow the thrill measured at the end of the previous quarter.
    quarter.acquisition = acquisition_phase(
        quarter.world,
        quarter.state,
        quarter.levers,
        quarter.number,
        mean_thrill=quarter.state.history["thrill"][-1],
        draws=quarter.draws,
    )


def _money(quarter: QuarterInPlay) -> None:
    """Revenue, costs, profit, cumulative profit and next quarter's budget."""
    budget = quarter.world.scenario.company.budget
    dyn = quarter.world.dynamics
    organisation = quarter.state.organisation
    # The customers are final for the quarter: add them up once, for revenue here and
    # for the metrics after.
    quarter.customer_totals = customer_totals(quarter.state)
    revenue = customer_revenue(quarter.customer_totals)
    cost_containment = clip(quarter.levers.cost_containment, 0, 1)
    salaries = (
        budget.salary
        * quarter.world.employees
        * (1 - dyn.cost_containment_saving * cost_containment)
    )
    upkeep = organisation.upkeep_schedule[:, quarter.number]
    spend = quarter.adoption.spend + quarter.events.cost + upkeep
    costs = salaries + budget.hiring_cost * quarter.workforce.leavers + spend
    profit = revenue - costs
    organisation.cumulative_profit += profit
    # Unspent budget carries over if the scenario says so; overspending (upkeep and
    # dilemma costs beyond what was left) always comes out of next quarter's budget.
    left = organisation.budget - spend
    left = left if budget.carry_over else np.minimum(left, 0.0)
    organisation.budget = np.maximum(left + budget.per_quarter + budget.profit_share * profit, 0.0)
    quarter.money = Money(spend, revenue, costs, profit)


def _metrics(quarter: QuarterInPlay) -> None:
    """The quarter is played: assemble its flows, then measure and record the state."""
    quarter.state.quarter = quarter.number  # the survey is taken in this quarter
    quarter.flows = QuarterFlows(
        quarter=quarter.number,
        levers=quarter.levers.values,
        adopted=quarter.adoption.adopted,
        fired=quarter.events.fired,
        choices=quarter.events.choices,
        workforce=quarter.workforce,
        quality=quarter.quality,
        experience=quarter.experience,
        customers=quarter.customers,
        acquisition=quarter.acquisition,
        spend=quarter.money.spend,
        revenue=quarter.money.revenue,
        costs=quarter.money.costs,
        profit=quarter.money.profit,
        metrics={},
    )
    quarter.flows.metrics = record(
        quarter.world, quarter.state, quarter.flows, quarter.customer_totals
    )


class Phase(NamedTuple):
    """One phase of a quarter: its name (as in docs/model.md) and what it does."""

    name: str
    run: Callable[[QuarterInPlay], None]


# The phases of a quarter, in the order they run.
PHASES: tuple[Phase, ...] = (
    Phase("decisions", _decisions),
    Phase("events", _events),
    Phase("levers", _levers),
    Phase("workforce", _workforce),
    Phase("quality", _quality),
    Phase("experience", _experience),
    Phase("customers", _customers),
    Phase("acquisition", _acquisition),
    Phase("money", _money),
    Phase("metrics", _metrics),
)


def advance(
    world: World, state: State, decisions: Decisions, draws: ReplayDraws | None = None
) -> QuarterFlows:
    """Play one quarter, updating ``state`` in place (use :func:`step` to keep it).

    ``draws`` keeps the quarter's big draws for replays of the same runs under other
    decisions (see :mod:`engine.replay_draws`); the results are the same either way."""
    number = state.quarter + 1
    if number > state.horizon:
        raise ParameterError(
            f"the state was prepared for {state.horizon} quarters; cannot play quarter {number}"
        )
    decisions.validate(world)
    if draws is not None:
        draws.check(world, state)
    quarter = QuarterInPlay(world, state, decisions, number, draws)
    for phase in PHASES:
        phase.run(quarter)
    return quarter.flows


def step(world: World, state: State, decisions: Decisions) -> tuple[State, QuarterFlows]:
    """Play one quarter from ``state`` (left untouched) and return the new state."""
    new_state = state.copy()
    flows = advance(world, new_state, decisions)
    return new_state, flows
