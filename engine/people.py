"""Quarter phases for the workforce, delivered quality and the drifting quality norm."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.levers import LEVER_INDEX
from engine.randomness import Concern, per_run_draws
from engine.state import FLOAT, State
from engine.world import World


class Levers:
    """This quarter's lever levels, (runs, levers), read by name: ``levers.growth``."""

    __slots__ = ("values",)

    def __init__(self, values: np.ndarray):
        self.values = values

    def __getattr__(self, name: str) -> np.ndarray:
        return self.values[:, LEVER_INDEX[name]]


@dataclass(slots=True)
class WorkforceFlows:
    leavers: np.ndarray  # (runs,) employees who left (and were replaced)
    leavers_by_department: np.ndarray  # (runs, departments)


def workforce_phase(world: World, state: State, levers: Levers, quarter: int) -> WorkforceFlows:
    """Engagement, attrition with replacement hiring, learning, clarity and self-focus."""
    dyn = world.dynamics
    staff = state.workforce
    org = state.organisation
    runs, employees = staff.engagement.shape
    exposure = world.quota_exposure[world.employee_department][None, :]
    quota = np.maximum(levers.quota_pressure, 0)[:, None]
    pressure = employee_pressure(world, levers)

    # Slackers and toxic behaviour spread unless addressed.
    handled = np.clip(levers.performance_management, 0, 1)
    tox = org.team_toxicity
    tox += dyn.toxicity_growth * (1 - tox) * (1 - handled) - dyn.toxicity_fix * handled * tox
    np.clip(tox, 0, 1, out=tox)

    growth = np.clip(levers.growth, 0, 1)[:, None]
    stalled = np.minimum(staff.tenure / np.float32(dyn.stall_tenure), 1) * (1 - growth)
    target = (
        dyn.engagement_base
        + dyn.recognition_weight * levers.recognition[:, None]
        + dyn.growth_weight * growth
        - dyn.stall_weight * stalled
        - dyn.toxicity_weight * tox[:, None]
        - dyn.pressure_weight * pressure
        - dyn.change_weight * org.change_load[:, None]
    )

    noise = np.empty((runs, employees), dtype=FLOAT)
    leave_draw = np.empty((runs, employees), dtype=FLOAT)
    for local, (normal, uniform) in per_run_draws(
        state.seed,
        Concern.WORKFORCE,
        quarter,
        state.run_offset,
        runs,
        lambda parts, rows: (
            parts.next().standard_normal((rows, employees), dtype=FLOAT),
            parts.next().random((rows, employees), dtype=FLOAT),
        ),
    ):
        noise[local] = normal
        leave_draw[local] = uniform

    engagement = staff.engagement
    engagement += dyn.engagement_adjust * (target - engagement) + dyn.engagement_noise * noise
    np.clip(engagement, 0, 1, out=engagement)

    # Disengaged people leave; the slot is refilled by a replacement hire at once.
    leave = leave_draw < dyn.attrition_base + dyn.attrition_disengaged * (1 - engagement) ** 2

    skill = staff.skill
    skill += (dyn.learning_rate + dyn.training_rate * np.clip(levers.training, 0, 1))[:, None] * (
        1 - skill
    )
    clarity = staff.clarity
    clarity += (
        dyn.clarity_rate * np.clip(levers.role_clarity, 0, 1)[:, None] * (1 - clarity)
        - dyn.clarity_erosion * org.change_load[:, None] * clarity
    )
    self_focus = staff.self_focus
    focus_target = np.clip(
        dyn.self_focus_base
        + dyn.kpi_weight * levers.kpi_self_focus[:, None]
        + dyn.quota_self_focus_weight * quota * exposure
        - dyn.customer_goals_weight * levers.customer_centric_goals[:, None],
        0,
        1,
    )
    self_focus += dyn.self_focus_adjust * (focus_target - self_focus)

    onboarded = np.clip(levers.onboarding, 0, 1)[:, None] * dyn.onboarding_gain
    np.copyto(skill, np.minimum(dyn.hire_skill + onboarded, 1), where=leave, casting="unsafe")
    np.copyto(clarity, np.minimum(dyn.hire_clarity + onboarded, 1), where=leave, casting="unsafe")
    engagement[leave] = dyn.hire_engagement
    self_focus[leave] = dyn.self_focus_base
    for values in (skill, clarity, self_focus):
        np.clip(values, 0, 1, out=values)
    staff.tenure += 1
    staff.tenure[leave] = 0

    # Resistance fades once it has weighed on this quarter's engagement.
    org.change_load *= np.float32(1 - dyn.change_decay)
    return WorkforceFlows(
        leavers=leave.sum(axis=1),
        leavers_by_department=np.add.reduceat(leave, world.department_starts, axis=1),
    )


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
    np.clip(capability, 0, 1, out=capability)
    # Disengaged people deliver just the norm; engagement decides how much of their
    # capability above the norm they put in, and cost containment removes that margin.
    effort = (
        staff.engagement
        * (1 - dyn.cost_containment_effort * np.clip(levers.cost_containment, 0, 1))[:, None]
    )
    norm = state.organisation.quality_norm[:, None]
    delivered = np.minimum(capability, norm) + effort * np.maximum(capability - norm, 0)
    delivered *= (1 - dyn.overload_penalty * np.clip(levers.workload_pressure, 0, 1))[:, None]
    return delivered


@dataclass(slots=True)
class QualityFlows:
    delivered: np.ndarray  # (runs,) quality delivered, averaged over employees
    department_quality: np.ndarray  # (runs, departments)
    department_clarity: np.ndarray  # (runs, departments)


def quality_phase(world: World, state: State, levers: Levers) -> QualityFlows:
    """Delivered quality per department, organisational capabilities and norm drift."""
    dyn = world.dynamics
    staff = state.workforce
    org = state.organisation
    delivered = delivered_quality(world, state, levers)

    starts = world.department_starts
    heads = world.headcounts.astype(FLOAT)
    department_quality = np.add.reduceat(delivered, starts, axis=1) / heads
    department_clarity = np.add.reduceat(staff.clarity, starts, axis=1) / heads
    quality = delivered.mean(axis=1)

    # Organisational capabilities move toward their lever and wear off without it.
    for stock, lever in (
        (org.leadership_commitment, levers.leadership_attention),
        (org.learning_culture, levers.learning_culture),
        (org.data_credibility, levers.data_investment),
        (org.digital_maturity, levers.digital),
    ):
        stock += dyn.org_adjust * np.clip(lever, 0, 1) * (1 - stock) - dyn.org_decay * stock
        np.clip(stock, 0, 1, out=stock)

    # Eroding goals: the norm follows a shortfall quickly, a surplus only slowly unless
    # leadership, learning and credible data support raising it.
    gap = quality - org.quality_norm
    support = (org.leadership_commitment + org.learning_culture + org.data_credibility) / 3
    rise = dyn.norm_rise + dyn.norm_rise_support * support
    org.quality_norm += np.where(gap < 0, dyn.norm_erosion * gap, rise * gap)
    org.quality_norm += (
        dyn.norm_lift
        * np.clip(levers.leadership_attention, 0, 1)
        * np.maximum(dyn.norm_aspiration - org.quality_norm, 0)
    )
    np.clip(org.quality_norm, 0, 1, out=org.quality_norm)
    return QualityFlows(
        quality.astype(FLOAT), department_quality.astype(FLOAT), department_clarity.astype(FLOAT)
    )


def segment_experience(
    world: World, state: State, quality: QualityFlows, levers: Levers
) -> np.ndarray:
    """(runs, segments) experience before customer fit: the quality of the serving
    departments, less a coordination penalty when unclear roles meet across several
    departments, plus digital convenience against the segment's expectation."""
    dyn = world.dynamics
    serves = world.serves
    serving = serves.sum(axis=1)
    seg_quality = quality.department_quality @ serves.T / serving
    seg_clarity = quality.department_clarity @ serves.T / serving
    penalty = np.clip(dyn.coordination_penalty * (1 - seg_clarity) * (serving - 1), 0, 1)
    expectation = np.array([s.digital_expectation for s in world.scenario.segments], FLOAT)
    digital = dyn.digital_weight * (state.organisation.digital_maturity[:, None] - expectation)
    # How closely we stay in touch is part of what customers experience.
    contact = dyn.contact_experience_weight * (np.clip(levers.customer_contact, 0, 1) - 0.5)
    digital = digital + contact[:, None]
    return np.clip(seg_quality * (1 - penalty) + digital, 0, 1).astype(FLOAT)
