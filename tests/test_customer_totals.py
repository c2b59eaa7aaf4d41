"""The customer totals the metrics are made of: one pass over the slots gives what the
masked sums give, counts exactly, and a run's totals do not depend on the other runs."""

from __future__ import annotations

import numpy as np
from conftest import make_world

from engine import metrics_kernel as column
from engine.decisions import Decisions
from engine.metrics import customer_totals, measure
from engine.setup import initial_state
from engine.step import advance


def played_state(runs: int = 5, quarters: int = 3):
    world = make_world()
    state = initial_state(world, seed=4, runs=runs, horizon=quarters)
    for _ in range(quarters):
        advance(world, state, Decisions())
    return world, state


def test_the_totals_are_the_masked_sums_of_the_active_customers():
    _, state = played_state()
    c = state.customers
    assert (~c.active).any() and c.dark.any() and (c.joined > 0).any()  # all cases met
    active = c.active
    starting = active & (c.joined == 0)
    responsive = active & ~c.dark

    def summed(values, mask):
        return np.where(mask, values.astype(np.float64), 0.0).sum(axis=1)

    totals = customer_totals(state)
    expected_counts = {
        column.ACTIVE: active,
        column.STARTING: starting,
        column.RESPONDENTS: responsive,
        column.AWAKENED: active & c.awakened,
    }
    for index, mask in expected_counts.items():
        assert np.array_equal(totals[:, index], np.count_nonzero(mask, axis=1)), column.TOTALS[
            index
        ]
    expected_sums = {
        column.SATISFACTION_RESPONSIVE: summed(c.satisfaction, responsive),
        column.SATISFACTION: summed(c.satisfaction, active),
        column.THRILL: summed(c.thrill, active),
        column.TRUST: summed(c.trust, active),
        column.GAP: summed(c.expectation_gap, active),
        column.PROPENSITY: summed(c.propensity, active),
        column.REVENUE: summed(c.value, active),
        column.COHORT_REVENUE: summed(c.value, starting),
    }
    for index, expected in expected_sums.items():
        np.testing.assert_allclose(
            totals[:, index], expected, rtol=1e-12, err_msg=column.TOTALS[index]
        )


def test_an_inactive_slot_adds_nothing_whatever_it_holds():
    _, state = played_state(runs=2)
    before = customer_totals(state)
    c = state.customers
    leaver = np.flatnonzero(~c.active[0])[0]
    for name in ("satisfaction", "thrill", "trust", "expectation_gap", "propensity", "value"):
        getattr(c, name)[0, leaver] = 0.987
    c.dark[0, leaver] = c.awakened[0, leaver] = True
    assert np.array_equal(customer_totals(state), before)


def test_a_runs_totals_are_the_same_measured_alone_or_with_others():
    _, state = played_state(runs=5)
    together = customer_totals(state)
    for run in range(state.runs):
        alone = customer_totals(state.take_runs(slice(run, run + 1)))
        assert np.array_equal(alone[0], together[run])


def test_the_metrics_read_the_totals():
    world, state = played_state(runs=3)
    metrics = measure(world, state, None)
    totals = customer_totals(state)
    active = totals[:, column.ACTIVE]
    assert np.array_equal(metrics["active_customers"], active)
    assert np.array_equal(metrics["thrill"], totals[:, column.THRILL] / active)
    assert np.array_equal(metrics["dark_share"], (active - totals[:, column.RESPONDENTS]) / active)
    assert np.array_equal(
        metrics["logo_retention"], totals[:, column.STARTING] / world.initial_customers
    )
