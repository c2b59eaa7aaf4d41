"""Metrics computed from the state and the quarter's flows, kept apart from the dynamics.

``measure`` returns every metric of ``engine.vocabulary`` as a (runs,) array;
``record`` appends them to the state's history, which conditions, goals and the
debrief read.
"""

from __future__ import annotations

import numpy as np

from engine.arrays import clip, row_means
from engine.flows import QuarterFlows
from engine.levers import Levers
from engine.params import DEFECTION_DRIVERS
from engine.people import delivered_quality
from engine.randomness import Concern, StreamLayout, draws_for_runs
from engine.state import State
from engine.vocabulary import METRIC_NAMES
from engine.world import World

# Spread of individual satisfaction within a survey sample, for its sampling error.
_SATISFACTION_SPREAD = 0.2
DRIVER_KEYS = tuple(f"drivers.{name}" for name in DEFECTION_DRIVERS)
# The survey's one draw a quarter: the shock to its sampling and bias error.
SURVEY_STREAMS = StreamLayout({"survey_shock": 0}, width=1)


def _survey(
    world: World, state: State, satisfaction_sum: np.ndarray, respondents: np.ndarray
) -> np.ndarray:
    """Reported satisfaction: only responsive customers answer, a share of them do, and
    the survey is biased upward and noisy unless the company invests in credible data."""
    dyn = world.dynamics
    runs = state.runs
    shock = draws_for_runs(
        state,
        Concern.SURVEY,
        state.quarter,
        lambda streams, rows: streams.named("survey_shock", SURVEY_STREAMS).standard_normal(rows),
    )
    sample = np.maximum(respondents * dyn.survey_response, 1.0)
    true_mean = np.divide(satisfaction_sum, respondents, out=np.zeros(runs), where=respondents > 0)
    doubt = 1.0 - state.organisation.data_credibility.astype(np.float64)
    noise = np.sqrt((dyn.survey_noise * doubt) ** 2 + _SATISFACTION_SPREAD**2 / sample)
    return clip(true_mean + dyn.survey_bias * doubt + noise * shock, 0.0, 1.0)


def customer_totals(state: State) -> np.ndarray:
    """(runs, len(TOTALS)) float64: the per-run customer totals the metrics are made of
    (``engine.metrics_kernel.TOTALS`` names the columns), in one pass over the slots."""
    from engine.metrics_kernel import TOTALS, add_up_customers  # Numba: see engine.market

    c = state.customers
    totals = np.empty((state.runs, len(TOTALS)))
    add_up_customers(
        (c.active, c.dark, c.awakened),
        (c.satisfaction, c.thrill, c.trust, c.expectation_gap, c.propensity),
        c.joined,
        c.value,
        totals,
    )
    return totals


def customer_revenue(totals: np.ndarray) -> np.ndarray:
    """(runs,) this quarter's revenue, the spend of every active customer, from the
    quarter's :func:`customer_totals`."""
    from engine.metrics_kernel import REVENUE

    return totals[:, REVENUE].copy()


def measure(
    world: World,
    state: State,
    flows: QuarterFlows | None,
    totals: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Every metric for every run, after the quarter whose flows are given (None at
    the start of the game). ``totals`` are the state's :func:`customer_totals` when the
    caller has them already."""
    from engine import metrics_kernel as column

    runs = state.runs
    staff = state.workforce
    org = state.organisation
    zeros = np.zeros(runs)
    totals = customer_totals(state) if totals is None else totals
    active_count = totals[:, column.ACTIVE].copy()
    respondents = totals[:, column.RESPONDENTS]
    revenue = customer_revenue(totals) if flows is None else flows.revenue
    initial_revenue = state.history["revenue"][0] if state.history else revenue

    def mean(index: int) -> np.ndarray:
        return np.divide(totals[:, index], active_count, out=np.zeros(runs), where=active_count > 0)

    def share(count: np.ndarray) -> np.ndarray:
        return np.divide(count, active_count, out=np.zeros(runs), where=active_count > 0)

    metrics = {
        "active_customers": active_count,
        "logo_retention": totals[:, column.STARTING] / max(world.initial_customers, 1),
        "revenue": revenue,
        "revenue_retention": np.divide(
            totals[:, column.COHORT_REVENUE],
            initial_revenue,
            out=np.zeros(runs),
            where=initial_revenue > 0,
        ),
        "new_customers": zeros if flows is None else flows.acquisition.new_customers * 1.0,
        "defections": zeros if flows is None else flows.customers.defections * 1.0,
        "dark_share": share(active_count - respondents),
        "awakened_share": share(totals[:, column.AWAKENED]),
        "csat_true": mean(column.SATISFACTION),
        "csat_reported": _survey(
            world, state, totals[:, column.SATISFACTION_RESPONSIVE], respondents
        ),
        "thrill": mean(column.THRILL),
        "trust": mean(column.TRUST),
        "expectation_gap": mean(column.GAP),
        "defection_risk": (
            mean(column.PROPENSITY)
            if flows is None
            else np.divide(
                flows.customers.risk,
                flows.customers.exposed,
                out=np.zeros(runs),
                where=flows.customers.exposed > 0,
            )
        ),
        "engagement": row_means(staff.engagement),
        "skill": row_means(staff.skill),
        "role_clarity": row_means(staff.clarity),
        "self_focus": row_means(staff.self_focus),
        "quality": (
            _starting_quality(world, state)
            if flows is None
            else flows.quality.delivered.astype(np.float64)
        ),
        "quality_norm": org.quality_norm.astype(np.float64),
        "employee_attrition": zeros if flows is None else flows.workforce.leavers / world.employees,
        "team_toxicity": org.team_toxicity.astype(np.float64),
        "change_load": org.change_load.astype(np.float64),
        "leadership_commitment": org.leadership_commitment.astype(np.float64),
        "learning_culture": org.learning_culture.astype(np.float64),
        "data_credibility": org.data_credibility.astype(np.float64),
        "digital_maturity": org.digital_maturity.astype(np.float64),
        "costs": zeros if flows is None else flows.costs,
        "profit": zeros if flows is None else flows.profit,
        "cumulative_profit": org.cumulative_profit.copy(),
        "budget": org.budget.copy(),
    }
    drivers = np.zeros((runs, len(DEFECTION_DRIVERS))) if flows is None else flows.customers.drivers
    for index, key in enumerate(DRIVER_KEYS):
        metrics[key] = drivers[:, index].copy()
    assert set(METRIC_NAMES) <= metrics.keys()
    return metrics


def _starting_quality(world: World, state: State) -> np.ndarray:
    levers = np.broadcast_to(world.practices, (state.runs, world.practices.size))
    return row_means(delivered_quality(world, state, Levers(levers)))


def record(
    world: World, state: State, flows: QuarterFlows | None, totals: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Measure the state (see :func:`measure`) and append the metrics to its history."""
    metrics = measure(world, state, flows, totals)
    for name, values in metrics.items():
        state.history.setdefault(name, []).append(values)
    return metrics
