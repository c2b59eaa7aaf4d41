"""Quarter phases for the workforce, delivered quality and the drifting quality norm."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.arrays import clip, row_means
from engine.flows import QualityFlows, WorkforceFlows
from engine.levers import Levers
from engine.randomness import BlockStreams, Concern, StreamLayout, draws_for_runs
from engine.replay_draws import ReplayDraws
from engine.state import FLOAT, State
from engine.world import World

# The workforce's draws each quarter (parts kept from when draws were numbered).
WORKFORCE_STREAMS = StreamLayout({"engagement_shock": 0, "leaving": 1}, width=2)


class WorkforceShocks(NamedTuple):
    """This quarter's random draws for every employee, (runs, employees) float32."""

    engagement_shock: np.ndarray  # standard normal: engagement's quarter-to-quarter noise
    leaving: np.ndarray  # uniform: the employee leaves when it falls below their chance


def workforce_phase(
    world: World,
    state: State,
    levers: Levers,
    quarter: int,
    draws: ReplayDraws | None = None,
) -> WorkforceFlows:
    """Engagement, attrition with replacement hiring, learning, clarity and self-focus.

    With ``draws``, the employees' draws are kept for replays of the same runs."""
    from engine.workforce_kernel import play_workforce, workforce_constants  # see market.py

    dyn = world.dynamics
    staff = state.workforce
    terms = workforce_terms(world, state, levers)
    runs, employees = staff.engagement.shape
    leavers = np.empty(runs, dtype=np.int64)
    by_department = np.empty((runs, len(world.department_starts)), dtype=np.int64)
    stalled = np.empty((runs, employees), dtype=FLOAT)
    pressure = np.empty((runs, employees), dtype=FLOAT)
    shocks = (
        _workforce_shocks(state, quarter)
        if draws is None
        else draws.kept(("workforce", quarter), lambda: _workforce_shocks(state, quarter))
    )
    play_workforce(
        (staff.engagement, staff.skill, staff.clarity, staff.self_focus, staff.tenure),
        world.employee_department,
        world.quota_exposure,
        shocks,
        terms,
        workforce_constants(dyn),
        (leavers, by_department, stalled, pressure),
    )
    # Resistance fades once it has weighed on this quarter's engagement.
    state.organisation.change_load *= np.float32(1 - dyn.change_decay)
    # Each cause's mean pull over the employees, per run (a per-run pull is its own mean).
    return WorkforceFlows(
        leavers=leavers,
        leavers_by_department=by_department,
        engagement_causes={
            "recognition": terms.recognition.astype(np.float64),
            "growth": terms.growth_pull.astype(np.float64),
            "stalled_careers": row_means(stalled.astype(np.float64)),
            "toxicity": terms.toxicity.astype(np.float64),
            "pressure": row_means(pressure.astype(np.float64)),
            "resistance": terms.resistance.astype(np.float64),
        },
    )


# The causes of the engagement target, in the order the model sums them after its base.
ENGAGEMENT_CAUSES: tuple[str, ...] = (
    "recognition",
    "growth",
    "stalled_careers",
    "toxicity",
    "pressure",
    "resistance",
)


class WorkforceTerms(NamedTuple):
    """The per-run terms of the workforce phase, (runs,) float32, in the order the kernel
    (``engine.workforce_kernel``) takes them; pulls are signed as they act."""

    recognition: np.ndarray  # pull of recognition on the engagement target
    growth_pull: np.ndarray  # pull of room to grow
    growth: np.ndarray  # room to grow, 0..1: careers stall with tenure without it
    toxicity: np.ndarray  # pull of team toxicity
    resistance: np.ndarray  # pull of change resistance
    workload: np.ndarray  # workload pressure on everyone
    quota: np.ndarray  # quota pressure on departments exposed to it
    learning: np.ndarray  # share of the skill gap closed this quarter
    clarity_gain: np.ndarray  # share of the clarity gap closed this quarter
    erosion: np.ndarray  # share of clarity lost to change this quarter
    kpi_pull: np.ndarray  # self-focus from individual KPIs
    quota_focus: np.ndarray  # self-focus from quota pressure, per unit of exposure
    goals_pull: np.ndarray  # self-focus removed by customer-centric goals
    hire_skill: np.ndarray  # a replacement hire's skill, lifted by onboarding
    hire_clarity: np.ndarray  # a replacement hire's role clarity


def workforce_terms(world: World, state: State, levers: Levers) -> WorkforceTerms:
    """Spread team toxicity (slackers and toxic behaviour spread unless performance is
    managed), then this quarter's :class:`WorkforceTerms`, by one compiled pass over
    the runs (``engine.run_kernel``)."""
    from engine.run_kernel import organisation_constants, workforce_run_terms

    organisation = state.organisation
    terms = np.empty((len(WorkforceTerms._fields), state.runs), dtype=FLOAT)
    workforce_run_terms(
        levers.values,
        organisation.team_toxicity,
        organisation.change_load,
        organisation_constants(world.dynamics),
        terms,
    )
    return WorkforceTerms(*terms)


def _workforce_shocks(state: State, quarter: int) -> WorkforceShocks:
    """Every employee's draws for ``quarter``, from the workforce streams (they depend
    on the seed, the runs and the quarter only: a workforce never changes size)."""
    employees = state.workforce.engagement.shape[1]

    def draw(streams: BlockStreams, rows: int) -> tuple[np.ndarray, np.ndarray]:
        shape = (rows, employees)
        return (
            streams.named("engagement_shock", WORKFORCE_STREAMS).standard_normal(shape, FLOAT),
            streams.named("leaving", WORKFORCE_STREAMS).random(shape, FLOAT),
        )

    normal, uniform = draws_for_runs(state, Concern.WORKFORCE, quarter, draw)
    # The kernel reads whole rows: a state starting inside a block gets a view of them.
    return WorkforceShocks(np.ascontiguousarray(normal), np.ascontiguousarray(uniform))


def employee_pressure(world: World, levers: Levers) -> np.ndarray:
    """(runs, employees) pressure: workload for all, quota for exposed departments."""
    exposure = world.quota_exposure[world.employee_department][None, :]
    return (
        np.maximum(levers.workload_pressure, 0)[:, None]
        + np.maximum(levers.quota_pressure, 0)[:, None] * exposure
    ).astype(FLOAT)


def delivered_quality(world: World, state: State, levers: Levers) -> np.ndarray:
    """(runs, employees) quality each employee delivers this quarter."""
    dyn = world.dynamics
    staff = state.workforce
    pressure = employee_pressure(world, levers)
    capability = (
        staff.skill
        * (dyn.clarity_floor + (1 - dyn.clarity_floor) * staff.clarity)
        * (1 - dyn.self_focus_penalty * staff.self_focus * (0.5 + pressure))
    )
    clip(capability, 0, 1, out=capability)
    # Disengaged people deliver just the norm; engagement decides how much of their
    # capability above the norm they put in, and cost containment removes that margin.
    effort = (
        staff.engagement
        * (1 - dyn.cost_containment_effort * clip(levers.cost_containment, 0, 1))[:, None]
    )
    norm = state.organisation.quality_norm[:, None]
    delivered = np.minimum(capability, norm) + effort * np.maximum(capability - norm, 0)
    delivered *= (1 - dyn.overload_penalty * clip(levers.workload_pressure, 0, 1))[:, None]
    return delivered


def quality_phase(world: World, state: State, levers: Levers) -> QualityFlows:
    """Delivered quality per department, organisational capabilities and norm drift."""
    staff = state.workforce
    delivered = delivered_quality(world, state, levers)

    starts = world.department_starts
    heads = world.headcounts.astype(FLOAT)
    department_quality = np.add.reduceat(delivered, starts, axis=1) / heads
    department_clarity = np.add.reduceat(staff.clarity, starts, axis=1) / heads
    # delivered.mean(axis=1) as NumPy computes it (a float32 sum, then the division).
    quality = np.add.reduce(delivered, axis=1) / delivered.shape[1]

    # Organisational capabilities follow their levers, and the quality norm drifts.
    drift_organisation(world, state, levers, quality)
    return QualityFlows(
        quality.astype(FLOAT), department_quality.astype(FLOAT), department_clarity.astype(FLOAT)
    )


def drift_organisation(world: World, state: State, levers: Levers, quality: np.ndarray) -> None:
    """Move the organisation's capabilities toward their levers (they wear off without
    them), then let the quality norm drift after delivered ``quality`` (eroding goals:
    it follows a shortfall quickly, a surplus only slowly unless leadership, learning
    and credible data support raising it, and leadership attention lifts it toward the
    aspiration). One compiled pass over the runs (``engine.run_kernel``)."""
    from engine.run_kernel import organisation_constants, organisation_drift

    org = state.organisation
    organisation_drift(
        levers.values,
        np.ascontiguousarray(quality, dtype=FLOAT),
        (
            org.leadership_commitment,
            org.learning_culture,
            org.data_credibility,
            org.digital_maturity,
        ),
        org.quality_norm,
        organisation_constants(world.dynamics),
    )


def segment_experience(
    world: World, state: State, quality: QualityFlows, levers: Levers
) -> np.ndarray:
    """(runs, segments) experience before customer fit: the quality of the serving
    departments, less a coordination penalty when unclear roles meet across several
    departments, plus digital convenience against the segment's expectation."""
    from engine.run_kernel import experience_constants, experience_of_segments

    serves = world.serves.T
    serving = world.serving_departments
    served = (
        quality.department_quality @ serves / serving,
        quality.department_clarity @ serves / serving,
    )
    experience = np.empty(served[0].shape, dtype=FLOAT)
    experience_of_segments(
        levers.values,
        tuple(np.ascontiguousarray(values, dtype=FLOAT) for values in served),
        serving,
        world.digital_expectations,
        state.organisation.digital_maturity,
        experience_constants(world.dynamics),
        experience,
    )
    return experience
