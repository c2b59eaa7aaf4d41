"""The compiled per-run kernels (engine.run_kernel) give the same bits as the model's
NumPy formulas they replaced, over many runs and with every lever pushed past its
range, so every clip and both sides of every branch are exercised."""

from __future__ import annotations

import numpy as np
import pytest

from engine.arrays import clip
from engine.flows import QualityFlows
from engine.levers import LEVER_INDEX, LEVERS, Levers
from engine.market import customer_terms
from engine.people import drift_organisation, segment_experience, workforce_terms
from engine.scenario.loader import load_scenario
from engine.setup import initial_state
from engine.state import FLOAT, State
from engine.world import World

RUNS = 70  # more than one block of runs


@pytest.fixture(scope="module")
def world() -> World:
    return World.from_scenario(load_scenario("capstone"))


def random_levers(rng: np.random.Generator) -> Levers:
    """Lever levels from well below to well above each lever's range."""
    high = np.array([lever.high for lever in LEVERS], dtype=FLOAT)
    values = rng.uniform(-0.5, 1.5, (RUNS, len(LEVERS))).astype(FLOAT) * high
    return Levers(values)


def random_state(world: World, rng: np.random.Generator) -> State:
    state = initial_state(world, seed=5, runs=RUNS, horizon=4)
    org = state.organisation
    for stock in (
        org.quality_norm,
        org.team_toxicity,
        org.change_load,
        org.leadership_commitment,
        org.learning_culture,
        org.data_credibility,
        org.digital_maturity,
    ):
        stock[:] = rng.uniform(0, 1, RUNS).astype(FLOAT)
    return state


def numpy_workforce_terms(world: World, state: State, levers: Levers) -> list[np.ndarray]:
    """Toxicity spread (in place) and the workforce terms as whole-array NumPy."""
    dyn = world.dynamics
    org = state.organisation
    handled = clip(levers.performance_management, 0, 1)
    toxicity = org.team_toxicity
    toxicity += (
        dyn.toxicity_growth * (1 - toxicity) * (1 - handled) - dyn.toxicity_fix * handled * toxicity
    )
    clip(toxicity, 0, 1, out=toxicity)
    growth = clip(levers.growth, 0, 1)
    quota = np.maximum(levers.quota_pressure, 0)
    onboarded = clip(levers.onboarding, 0, 1) * dyn.onboarding_gain
    return [
        dyn.recognition_weight * levers.recognition,
        dyn.growth_weight * growth,
        growth,
        -(dyn.toxicity_weight * org.team_toxicity),
        -(dyn.change_weight * org.change_load),
        np.maximum(levers.workload_pressure, 0),
        quota,
        dyn.learning_rate + dyn.training_rate * clip(levers.training, 0, 1),
        dyn.clarity_rate * clip(levers.role_clarity, 0, 1),
        dyn.clarity_erosion * org.change_load,
        dyn.kpi_weight * levers.kpi_self_focus,
        dyn.quota_self_focus_weight * quota,
        dyn.customer_goals_weight * levers.customer_centric_goals,
        np.minimum(dyn.hire_skill + onboarded, 1),
        np.minimum(dyn.hire_clarity + onboarded, 1),
    ]


def test_workforce_terms_and_toxicity_match_the_numpy_formulas(world):
    rng = np.random.default_rng(1)
    levers = random_levers(rng)
    compiled_state = random_state(world, rng)
    numpy_state = compiled_state.copy()
    terms = workforce_terms(world, compiled_state, levers)
    expected = numpy_workforce_terms(world, numpy_state, levers)
    for name, got, want in zip(terms._fields, terms, expected, strict=True):
        assert got.dtype == FLOAT and np.array_equal(got, want), name
    assert np.array_equal(
        compiled_state.organisation.team_toxicity, numpy_state.organisation.team_toxicity
    )


def numpy_drift(world: World, state: State, levers: Levers, quality: np.ndarray) -> None:
    dyn = world.dynamics
    org = state.organisation
    for stock, lever in (
        (org.leadership_commitment, levers.leadership_attention),
        (org.learning_culture, levers.learning_culture),
        (org.data_credibility, levers.data_investment),
        (org.digital_maturity, levers.digital),
    ):
        stock += dyn.org_adjust * clip(lever, 0, 1) * (1 - stock) - dyn.org_decay * stock
        clip(stock, 0, 1, out=stock)
    gap = quality - org.quality_norm
    support = (org.leadership_commitment + org.learning_culture + org.data_credibility) / 3
    rise = dyn.norm_rise + dyn.norm_rise_support * support
    org.quality_norm += np.where(gap < 0, dyn.norm_erosion * gap, rise * gap)
    org.quality_norm += (
        dyn.norm_lift
        * clip(levers.leadership_attention, 0, 1)
        * np.maximum(dyn.norm_aspiration - org.quality_norm, 0)
    )
    clip(org.quality_norm, 0, 1, out=org.quality_norm)


def test_the_organisations_drift_matches_the_numpy_formulas(world):
    rng = np.random.default_rng(2)
    levers = random_levers(rng)
    compiled_state = random_state(world, rng)
    numpy_state = compiled_state.copy()
    quality = rng.uniform(0, 1, RUNS).astype(FLOAT)  # norms both above and below it
    drift_organisation(world, compiled_state, levers, quality)
    numpy_drift(world, numpy_state, levers, quality)
    for name in (
        "leadership_commitment",
        "learning_culture",
        "data_credibility",
        "digital_maturity",
        "quality_norm",
    ):
        got = getattr(compiled_state.organisation, name)
        assert np.array_equal(got, getattr(numpy_state.organisation, name)), name


def test_segment_experience_matches_the_numpy_formula(world):
    rng = np.random.default_rng(3)
    levers = random_levers(rng)
    state = random_state(world, rng)
    departments = len(world.department_ids)
    quality = QualityFlows(
        rng.uniform(0, 1, RUNS).astype(FLOAT),
        rng.uniform(0, 1, (RUNS, departments)).astype(FLOAT),
        rng.uniform(0, 1, (RUNS, departments)).astype(FLOAT),
    )
    dyn = world.dynamics
    serves = world.serves
    serving = serves.sum(axis=1)
    seg_quality = quality.department_quality @ serves.T / serving
    seg_clarity = quality.department_clarity @ serves.T / serving
    penalty = clip(dyn.coordination_penalty * (1 - seg_clarity) * (serving - 1), 0, 1)
    expectation = np.array([s.digital_expectation for s in world.scenario.segments], FLOAT)
    digital = dyn.digital_weight * (state.organisation.digital_maturity[:, None] - expectation)
    contact = dyn.contact_experience_weight * (clip(levers.customer_contact, 0, 1) - 0.5)
    expected = clip(seg_quality * (1 - penalty) + (digital + contact[:, None]), 0, 1)
    got = segment_experience(world, state, quality, levers)
    assert got.dtype == FLOAT and np.array_equal(got, expected.astype(FLOAT))


def test_customer_terms_match_the_numpy_formulas(world):
    rng = np.random.default_rng(4)
    levers = random_levers(rng)
    experience = rng.uniform(0, 1, (RUNS, len(world.segment_ids))).astype(FLOAT)
    dyn = world.dynamics
    overpromise = np.maximum(levers.overpromising, 0)
    contact = clip(levers.customer_contact, 0, 1)
    quota = np.maximum(levers.quota_pressure, 0)
    surprise = np.maximum(experience - dyn.thrill_threshold, 0)
    renewal = (
        dyn.innovation_gain * clip(levers.value_innovation, 0, 1)
        + dyn.contact_thrill_gain * contact
    )
    gain = clip(renewal[:, None] + dyn.quality_thrill_gain * surprise, 0, 1)
    wake = np.array([s.wake_up for s in world.scenario.segments], dtype=np.float64)
    market = 1 + dyn.awaken_market_weight * np.maximum(levers.market_pressure, 0)
    recovery = dyn.gap_recovery * clip(levers.service_recovery, 0, 1)
    expected = {
        "experience": experience,
        "gap_keep": clip(1 - dyn.gap_decay - recovery, 0, 1),
        "gap_new": dyn.promise_gap * overpromise,
        "satisfaction_boost": dyn.promise_boost * overpromise,
        "thrill_gain": gain,
        "thrill_keep": clip(1 - dyn.thrill_decay - gain, 0, 1),
        "trust_target": dyn.trust_base
        + dyn.trust_contact_weight * contact
        - dyn.trust_pressure_weight * quota,
        "dark_chance": dyn.dark_base
        + dyn.dark_pressure_weight * quota
        + dyn.dark_neglect_weight * (1 - contact),
        "recover_chance": clip(
            dyn.dark_recovery
            + dyn.dark_recovery_contact * contact
            + dyn.dark_recovery_win_back * clip(levers.win_back, 0, 1),
            0,
            1,
        ),
        "wake_chance": clip(market[:, None] * wake[None, :], 0, 1).astype(FLOAT),
    }
    terms = customer_terms(world, levers, experience)
    for name, want in expected.items():
        got = getattr(terms, name)
        assert got.dtype == FLOAT and got.flags.c_contiguous, name
        assert np.array_equal(got, want), name


def test_levers_out_of_range_are_what_the_kernels_clip():
    # The random levers above reach past both ends of every lever's range.
    values = random_levers(np.random.default_rng(1)).values
    market = values[:, LEVER_INDEX["market_pressure"]]
    assert (values < 0).any(axis=0).all() and (values > 1).any(axis=0).all()
    assert market.max() > 1
