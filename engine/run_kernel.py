"""A quarter's per-run terms and the organisation's arithmetic, compiled: one call
instead of dozens.

A single game's quarter works on vectors of one run, where each NumPy call costs far
more than its arithmetic; the workforce, quality, experience and customer phases made
about two hundred such calls for the organisation's stocks, the segments' experience
and the fused kernels' per-run terms. These kernels do the same float32 operations, in
the same order, one run at a time (``fastmath`` off, every coefficient rounded to
float32 as NumPy rounds a Python float against a float32 array), so their results are
the same bits as the NumPy expressions they replaced.

They run only inside a quarter (in the game's worker, after ``engine.warmup``), never
while a game is set up: ``engine.people.delivered_quality``, which also measures the
starting state, stays NumPy for that reason.

The lever columns are read by their index in ``engine.levers.LEVERS``, fixed when a
kernel is compiled.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.jit import float32_constant_array, inline, kernel, per_dynamics, to_fixed_tuple
from engine.levers import LEVER_INDEX
from engine.params import Dynamics

RECOGNITION = LEVER_INDEX["recognition"]
GROWTH = LEVER_INDEX["growth"]
PERFORMANCE_MANAGEMENT = LEVER_INDEX["performance_management"]
WORKLOAD_PRESSURE = LEVER_INDEX["workload_pressure"]
TRAINING = LEVER_INDEX["training"]
ONBOARDING = LEVER_INDEX["onboarding"]
ROLE_CLARITY = LEVER_INDEX["role_clarity"]
KPI_SELF_FOCUS = LEVER_INDEX["kpi_self_focus"]
CUSTOMER_CENTRIC_GOALS = LEVER_INDEX["customer_centric_goals"]
QUOTA_PRESSURE = LEVER_INDEX["quota_pressure"]
LEADERSHIP_ATTENTION = LEVER_INDEX["leadership_attention"]
LEARNING_CULTURE = LEVER_INDEX["learning_culture"]
DATA_INVESTMENT = LEVER_INDEX["data_investment"]
DIGITAL = LEVER_INDEX["digital"]
OVERPROMISING = LEVER_INDEX["overpromising"]
CUSTOMER_CONTACT = LEVER_INDEX["customer_contact"]
SERVICE_RECOVERY = LEVER_INDEX["service_recovery"]
WIN_BACK = LEVER_INDEX["win_back"]
VALUE_INNOVATION = LEVER_INDEX["value_innovation"]
MARKET_PRESSURE = LEVER_INDEX["market_pressure"]


class OrganisationConstants(NamedTuple):
    """The coefficients of the per-run kernels as float32, as the model applies them."""

    toxicity_growth: np.float32
    toxicity_fix: np.float32
    recognition_weight: np.float32
    growth_weight: np.float32
    toxicity_weight: np.float32
    change_weight: np.float32
    onboarding_gain: np.float32
    learning_rate: np.float32
    training_rate: np.float32
    clarity_rate: np.float32
    clarity_erosion: np.float32
    kpi_weight: np.float32
    quota_self_focus_weight: np.float32
    customer_goals_weight: np.float32
    hire_skill: np.float32
    hire_clarity: np.float32
    org_adjust: np.float32
    org_decay: np.float32
    norm_rise: np.float32
    norm_rise_support: np.float32
    norm_erosion: np.float32
    norm_lift: np.float32
    norm_aspiration: np.float32


ORGANISATION_COUNT = len(OrganisationConstants._fields)


@per_dynamics
def organisation_constants(dyn: Dynamics) -> np.ndarray:
    """The per-run kernels' constants for ``dyn``."""
    return float32_constant_array(OrganisationConstants, dyn)


@inline
def unit(value):
    """``value`` clipped to 0..1 as ``engine.arrays.clip`` does: maximum, then minimum."""
    return min(max(value, np.float32(0.0)), np.float32(1.0))


@inline
def capability(level, lever, k):
    """An organisational capability after a quarter: it moves toward its lever and
    wears off without it."""
    moved = k.org_adjust * unit(lever) * (np.float32(1.0) - level) - k.org_decay * level
    return unit(level + moved)


@kernel
def workforce_run_terms(levers, toxicity, change_load, constants, terms):
    """Spread team toxicity (in place), then write the workforce kernel's per-run terms.

    ``levers`` is the quarter's (runs, levers) lever levels; ``toxicity`` and
    ``change_load`` the organisation's (runs,) stocks; ``terms`` a (15, runs) float32
    array whose rows are the fields of ``engine.people.WorkforceTerms``, in order.
    """
    k = OrganisationConstants(*to_fixed_tuple(constants, ORGANISATION_COUNT))
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for run in range(levers.shape[0]):
        lever = levers[run]
        # Slackers and toxic behaviour spread unless performance is managed.
        handled = unit(lever[PERFORMANCE_MANAGEMENT])
        team = toxicity[run]
        spread = k.toxicity_growth * (one - team) * (one - handled)
        team = unit(team + (spread - k.toxicity_fix * handled * team))
        toxicity[run] = team
        growth = unit(lever[GROWTH])
        quota = max(lever[QUOTA_PRESSURE], zero)
        onboarded = unit(lever[ONBOARDING]) * k.onboarding_gain
        load = change_load[run]
        terms[0, run] = k.recognition_weight * lever[RECOGNITION]
        terms[1, run] = k.growth_weight * growth
        terms[2, run] = growth
        terms[3, run] = -(k.toxicity_weight * team)
        terms[4, run] = -(k.change_weight * load)
        terms[5, run] = max(lever[WORKLOAD_PRESSURE], zero)
        terms[6, run] = quota
        terms[7, run] = k.learning_rate + k.training_rate * unit(lever[TRAINING])
        terms[8, run] = k.clarity_rate * unit(lever[ROLE_CLARITY])
        terms[9, run] = k.clarity_erosion * load
        terms[10, run] = k.kpi_weight * lever[KPI_SELF_FOCUS]
        terms[11, run] = k.quota_self_focus_weight * quota
        terms[12, run] = k.customer_goals_weight * lever[CUSTOMER_CENTRIC_GOALS]
        terms[13, run] = min(k.hire_skill + onboarded, one)
        terms[14, run] = min(k.hire_clarity + onboarded, one)


@kernel
def organisation_drift(levers, quality, stocks, norm, constants):
    """Move the organisation's capabilities toward their levers and let the quality
    norm drift after this quarter's delivered ``quality``, in place.

    ``stocks`` is (leadership commitment, learning culture, data credibility, digital
    maturity), each (runs,); ``norm`` the (runs,) quality norm.
    """
    k = OrganisationConstants(*to_fixed_tuple(constants, ORGANISATION_COUNT))
    leadership, learning, data, digital = stocks
    zero = np.float32(0.0)
    for run in range(levers.shape[0]):
        lever = levers[run]
        leadership[run] = capability(leadership[run], lever[LEADERSHIP_ATTENTION], k)
        learning[run] = capability(learning[run], lever[LEARNING_CULTURE], k)
        data[run] = capability(data[run], lever[DATA_INVESTMENT], k)
        digital[run] = capability(digital[run], lever[DIGITAL], k)
        # Eroding goals: the norm follows a shortfall quickly, a surplus only slowly
        # unless leadership, learning and credible data support raising it.
        current = norm[run]
        gap = quality[run] - current
        support = (leadership[run] + learning[run] + data[run]) / np.float32(3.0)
        rise = k.norm_rise + k.norm_rise_support * support
        current = current + (k.norm_erosion * gap if gap < zero else rise * gap)
        headroom = max(k.norm_aspiration - current, zero)
        current = current + k.norm_lift * unit(lever[LEADERSHIP_ATTENTION]) * headroom
        norm[run] = unit(current)


class CustomerTermConstants(NamedTuple):
    """The coefficients of the customer phase's per-run terms as float32; ``gap_kept``
    and ``thrill_kept`` are ``1 - gap_decay`` and ``1 - thrill_decay``, worked out in
    double precision first, as the model always has."""

    thrill_threshold: np.float32
    innovation_gain: np.float32
    contact_thrill_gain: np.float32
    quality_thrill_gain: np.float32
    awaken_market_weight: np.float32
    gap_kept: np.float32
    gap_recovery: np.float32
    promise_gap: np.float32
    promise_boost: np.float32
    thrill_kept: np.float32
    trust_base: np.float32
    trust_contact_weight: np.float32
    trust_pressure_weight: np.float32
    dark_base: np.float32
    dark_pressure_weight: np.float32
    dark_neglect_weight: np.float32
    dark_recovery: np.float32
    dark_recovery_contact: np.float32
    dark_recovery_win_back: np.float32


CUSTOMER_TERM_COUNT = len(CustomerTermConstants._fields)


@per_dynamics
def customer_term_constants(dyn: Dynamics) -> np.ndarray:
    """The customer terms kernel's constants for ``dyn``."""
    return float32_constant_array(
        CustomerTermConstants,
        dyn,
        gap_kept=1 - dyn.gap_decay,
        thrill_kept=1 - dyn.thrill_decay,
    )


@kernel
def customer_run_terms(levers, experience, wake_up, constants, run_terms, segment_terms):
    """Write the customer kernel's per-run terms.

    ``levers`` is the quarter's (runs, levers) lever levels, ``experience`` the (runs,
    segments) float32 experience and ``wake_up`` each segment's float64 wake-up chance.
    ``run_terms`` is (6, runs): gap kept, gap new, satisfaction boost, trust target,
    dark chance, recover chance; ``segment_terms`` (3, runs, segments): thrill gain,
    thrill kept, wake-up chance (worked out in double precision, then rounded).
    """
    k = CustomerTermConstants(*to_fixed_tuple(constants, CUSTOMER_TERM_COUNT))
    zero = np.float32(0.0)
    one = np.float32(1.0)
    for run in range(levers.shape[0]):
        lever = levers[run]
        overpromise = max(lever[OVERPROMISING], zero)
        contact = unit(lever[CUSTOMER_CONTACT])
        quota = max(lever[QUOTA_PRESSURE], zero)
        recovery = k.gap_recovery * unit(lever[SERVICE_RECOVERY])
        run_terms[0, run] = unit(k.gap_kept - recovery)
        run_terms[1, run] = k.promise_gap * overpromise
        run_terms[2, run] = k.promise_boost * overpromise
        run_terms[3, run] = (
            k.trust_base + k.trust_contact_weight * contact - k.trust_pressure_weight * quota
        )
        run_terms[4, run] = (
            k.dark_base + k.dark_pressure_weight * quota + k.dark_neglect_weight * (one - contact)
        )
        recover = k.dark_recovery + k.dark_recovery_contact * contact
        run_terms[5, run] = unit(recover + k.dark_recovery_win_back * unit(lever[WIN_BACK]))
        # Thrill is renewed by new value, closeness and experience above the threshold.
        renewal = k.innovation_gain * unit(lever[VALUE_INNOVATION])
        renewal = renewal + k.contact_thrill_gain * contact
        market = np.float64(one + k.awaken_market_weight * max(lever[MARKET_PRESSURE], zero))
        for segment in range(experience.shape[1]):
            surprise = max(experience[run, segment] - k.thrill_threshold, zero)
            gain = unit(renewal + k.quality_thrill_gain * surprise)
            segment_terms[0, run, segment] = gain
            segment_terms[1, run, segment] = unit(k.thrill_kept - gain)
            wake = min(max(market * wake_up[segment], 0.0), 1.0)
            segment_terms[2, run, segment] = np.float32(wake)


class ExperienceConstants(NamedTuple):
    """The coefficients of the segments' experience as float32."""

    coordination_penalty: np.float32
    digital_weight: np.float32
    contact_experience_weight: np.float32


EXPERIENCE_COUNT = len(ExperienceConstants._fields)


@per_dynamics
def experience_constants(dyn: Dynamics) -> np.ndarray:
    """The experience kernel's constants for ``dyn``."""
    return float32_constant_array(ExperienceConstants, dyn)


@kernel
def experience_of_segments(levers, served, serving, expectation, digital, constants, experience):
    """Write each segment's (runs, segments) ``experience`` before customer fit.

    ``served`` is (quality, clarity), each (runs, segments): the mean of the serving
    departments'; ``serving`` how many departments serve each segment (float32),
    ``expectation`` each segment's digital expectation and ``digital`` the (runs,)
    digital maturity.
    """
    k = ExperienceConstants(*to_fixed_tuple(constants, EXPERIENCE_COUNT))
    quality, clarity = served
    one = np.float32(1.0)
    for run in range(levers.shape[0]):
        # How closely we stay in touch is part of what customers experience.
        contact = unit(levers[run, CUSTOMER_CONTACT]) - np.float32(0.5)
        contact = k.contact_experience_weight * contact
        for segment in range(experience.shape[1]):
            # Unclear roles cost more the more departments must work together.
            unclear = k.coordination_penalty * (one - clarity[run, segment])
            penalty = unit(unclear * (serving[segment] - one))
            convenience = k.digital_weight * (digital[run] - expectation[segment]) + contact
            experience[run, segment] = unit(quality[run, segment] * (one - penalty) + convenience)
