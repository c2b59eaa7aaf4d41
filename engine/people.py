"""Quarter phases for the workforce, delivered quality and the drifting quality norm."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.flows import QualityFlows, WorkforceFlows
from engine.levers import Levers
from engine.randomness import BlockStreams, Concern, StreamLayout, per_run_draws
from engine.state import FLOAT, State
from engine.world import World

# The workforce's draws each quarter (parts kept from when draws were numbered).
WORKFORCE_STREAMS = StreamLayout({"engagement_shock": 0, "leaving": 1}, width=2)


class WorkforceShocks(NamedTuple):
    """This quarter's random draws for every employee, (runs, employees) float32."""

    engagement_shock: np.ndarray  # standard normal: engagement's quarter-to-quarter noise
    leaving: np.ndarray  # uniform: the employee leaves when it falls below their chance


def workforce_phase(world: World, state: State, levers: Levers, quarter: int) -> WorkforceFlows:
    """Engagement, attrition with replacement hiring, learning, clarity and self-focus."""
    dyn = world.dynamics
    staff = state.workforce
    organisation = state.organisation
    _spread_toxicity(world, state, levers)
    pulls = engagement_pulls(world, state, levers)
    target = pulls.target()
    shocks = _workforce_shocks(state, quarter)

    engagement = staff.engagement
    engagement += (
        dyn.engagement_adjust * (target - engagement)
        + dyn.engagement_noise * shocks.engagement_shock
    )
    np.clip(engagement, 0, 1, out=engagement)

    # Disengaged people leave; the slot is refilled by a replacement hire at once.
    leave = shocks.leaving < dyn.attrition_base + dyn.attrition_disengaged * (1 - engagement) ** 2
    _learn(world, state, levers)
    _hire_replacements(world, state, levers, leave)

    # Resistance fades once it has weighed on this quarter's engagement.
    organisation.change_load *= np.float32(1 - dyn.change_decay)
    return WorkforceFlows(
        leavers=leave.sum(axis=1),
        leavers_by_department=np.add.reduceat(leave, world.department_starts, axis=1),
        engagement_causes=pulls.means(),
    )


def _spread_toxicity(world: World, state: State, levers: Levers) -> None:
    """Slackers and toxic behaviour spread unless performance is managed."""
    dyn = world.dynamics
    handled = np.clip(levers.performance_management, 0, 1)
    toxicity = state.organisation.team_toxicity
    toxicity += (
        dyn.toxicity_growth * (1 - toxicity) * (1 - handled) - dyn.toxicity_fix * handled * toxicity
    )
    np.clip(toxicity, 0, 1, out=toxicity)


class EngagementPulls(NamedTuple):
    """The parts of the engagement target, each (runs, 1) or (runs, employees), signed
    as they act: the target is their sum, in this order."""

    base: float
    recognition: np.ndarray
    growth: np.ndarray
    stalled_careers: np.ndarray
    toxicity: np.ndarray
    pressure: np.ndarray
    resistance: np.ndarray

    def target(self) -> np.ndarray:
        """(runs, employees) the engagement each employee drifts toward this quarter."""
        # Summed left to right, as the model always has: the same floats, bit for bit.
        return (
            self.base
            + self.recognition
            + self.growth
            + self.stalled_careers
            + self.toxicity
            + self.pressure
            + self.resistance
        )

    def means(self) -> dict[str, np.ndarray]:
        """Cause -> (runs,) its pull on the mean employee's target (base left out)."""
        return {
            cause: np.asarray(getattr(self, cause), dtype=np.float64).mean(axis=1)
            for cause in ENGAGEMENT_CAUSES
        }


# The causes of the engagement target, in the order the model sums them.
ENGAGEMENT_CAUSES: tuple[str, ...] = EngagementPulls._fields[1:]


def engagement_pulls(world: World, state: State, levers: Levers) -> EngagementPulls:
    """This quarter's pulls on every employee's engagement target."""
    dyn = world.dynamics
    organisation = state.organisation
    growth = np.clip(levers.growth, 0, 1)[:, None]
    # Careers stall with tenure unless there is somewhere to grow.
    stalled = np.minimum(state.workforce.tenure / np.float32(dyn.stall_tenure), 1) * (1 - growth)
    return EngagementPulls(
        base=dyn.engagement_base,
        recognition=dyn.recognition_weight * levers.recognition[:, None],
        growth=dyn.growth_weight * growth,
        stalled_careers=-(dyn.stall_weight * stalled),
        toxicity=-(dyn.toxicity_weight * organisation.team_toxicity[:, None]),
        pressure=-(dyn.pressure_weight * employee_pressure(world, levers)),
        resistance=-(dyn.change_weight * organisation.change_load[:, None]),
    )


def _workforce_shocks(state: State, quarter: int) -> WorkforceShocks:
    """Every employee's draws for ``quarter``, from the workforce streams."""
    runs, employees = state.workforce.engagement.shape
    shocks = WorkforceShocks(
        np.empty((runs, employees), dtype=FLOAT), np.empty((runs, employees), dtype=FLOAT)
    )

    def draw(streams: BlockStreams, rows: int) -> tuple[np.ndarray, np.ndarray]:
        shape = (rows, employees)
        return (
            streams.named("engagement_shock", WORKFORCE_STREAMS).standard_normal(shape, FLOAT),
            streams.named("leaving", WORKFORCE_STREAMS).random(shape, FLOAT),
        )

    for local, (normal, uniform) in per_run_draws(
        state.seed, Concern.WORKFORCE, quarter, state.run_offset, runs, draw
    ):
        shocks.engagement_shock[local] = normal
        shocks.leaving[local] = uniform
    return shocks


def _learn(world: World, state: State, levers: Levers) -> None:
    """Skill grows, role clarity grows or erodes under change, self-focus drifts."""
    dyn = world.dynamics
    staff = state.workforce
    change_load = state.organisation.change_load[:, None]
    skill = staff.skill
    skill += (dyn.learning_rate + dyn.training_rate * np.clip(levers.training, 0, 1))[:, None] * (
        1 - skill
    )
    clarity = staff.clarity
    clarity += (
        dyn.clarity_rate * np.clip(levers.role_clarity, 0, 1)[:, None] * (1 - clarity)
        - dyn.clarity_erosion * change_load * clarity
    )
    # Quota pressure turns people inward in the departments it weighs on.
    exposure = world.quota_exposure[world.employee_department][None, :]
    quota = np.maximum(levers.quota_pressure, 0)[:, None]
    focus_target = np.clip(
        dyn.self_focus_base
        + dyn.kpi_weight * levers.kpi_self_focus[:, None]
        + dyn.quota_self_focus_weight * quota * exposure
        - dyn.customer_goals_weight * levers.customer_centric_goals[:, None],
        0,
        1,
    )
    staff.self_focus += dyn.self_focus_adjust * (focus_target - staff.self_focus)


def _hire_replacements(world: World, state: State, levers: Levers, leave: np.ndarray) -> None:
    """Refill every leaver's slot (``leave``, runs x employees) with a new hire, whose
    skill and clarity onboarding lifts; then every employee's tenure moves on."""
    dyn = world.dynamics
    staff = state.workforce
    onboarded = np.clip(levers.onboarding, 0, 1)[:, None] * dyn.onboarding_gain
    np.copyto(staff.skill, np.minimum(dyn.hire_skill + onboarded, 1), where=leave, casting="unsafe")
    np.copyto(
        staff.clarity, np.minimum(dyn.hire_clarity + onboarded, 1), where=leave, casting="unsafe"
    )
    staff.engagement[leave] = dyn.hire_engagement
    staff.self_focus[leave] = dyn.self_focus_base
    for values in (staff.skill, staff.clarity, staff.self_focus):
        np.clip(values, 0, 1, out=values)
    staff.tenure += 1
    staff.tenure[leave] = 0


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
