"""Engine properties: determinism, common random numbers, branching, tiling, purity,
bad parameters, and the headless boundary (no Textual in the engine)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import MINIMAL, make_world

from engine import simulate as simulate_module
from engine.decisions import Decisions
from engine.errors import ParameterError, PolicyError
from engine.market import defection_probability
from engine.params import Dynamics
from engine.policy import Policy
from engine.setup import check_size, initial_state
from engine.simulate import simulate
from engine.step import advance, step

PLAN = Policy({1: Decisions(("recognition", "mandate")), 3: Decisions(("change",))})


def assert_same_history(a, b, quarters=None):
    assert a.keys() == b.keys()
    for name in a:
        left, right = np.asarray(a[name]), np.asarray(b[name])
        if quarters is not None:
            left, right = left[:quarters], right[:quarters]
        assert np.array_equal(left, right), name


def test_same_seed_and_decisions_give_bit_identical_results(minimal_world):
    first = simulate(minimal_world, seed=11, runs=3, policy=PLAN)
    second = simulate(minimal_world, seed=11, runs=3, policy=PLAN)
    assert_same_history(first.history, second.history)


def test_another_seed_gives_other_results(minimal_world):
    first = simulate(minimal_world, seed=11, runs=1)
    second = simulate(minimal_world, seed=12, runs=1)
    assert not np.array_equal(first.history["defections"], second.history["defections"])


def test_results_are_identical_across_processes():
    command = [
        sys.executable,
        "-m",
        "game",
        "run",
        str(MINIMAL),
        "--seed",
        "5",
        "--runs",
        "70",
        "--json",
    ]
    outputs = [
        subprocess.run(command, capture_output=True, text=True, check=True).stdout for _ in range(2)
    ]
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["runs"] == 70


def test_tiling_and_threads_do_not_change_any_run(minimal_world, monkeypatch):
    whole = simulate(minimal_world, seed=3, runs=150, policy=PLAN, workers=1)
    monkeypatch.setattr(simulate_module, "TILE_BYTES", 1)  # one block of runs per tile
    tiled = simulate(minimal_world, seed=3, runs=150, policy=PLAN, workers=2)
    assert_same_history(whole.history, tiled.history)


def test_a_run_does_not_depend_on_how_many_runs_are_simulated(minimal_world):
    few = simulate(minimal_world, seed=3, runs=2, policy=PLAN)
    many = simulate(minimal_world, seed=3, runs=100, policy=PLAN)
    for name in few.history:
        assert np.array_equal(few.history[name], many.history[name][:, :2]), name


def test_changing_one_decision_leaves_unrelated_randomness_alone():
    # Marketing only acts on acquisition: the workforce must not notice the change.
    world = make_world(
        interventions=[
            *make_world().scenario.model_dump()["interventions"],
            {
                "id": "ads",
                "name": "Ads",
                "description": "Ads.",
                "area": "sales",
                "cost": 1000.0,
                "effects": [{"lever": "marketing", "amount": 1.0}],
            },
        ]
    )
    plain = simulate(world, seed=9, runs=4)
    with_ads = simulate(world, seed=9, runs=4, policy=Policy({2: Decisions(("ads",))}))
    assert with_ads.history["new_customers"][3:].sum() > plain.history["new_customers"][3:].sum()
    for name in ("engagement", "skill", "role_clarity", "employee_attrition", "quality_norm"):
        assert np.array_equal(plain.history[name], with_ads.history[name]), name
    # Quarters before the decision are untouched everywhere.
    assert_same_history(plain.history, with_ads.history, quarters=2)


def test_step_is_pure_and_branches_are_independent(minimal_world):
    start = initial_state(minimal_world, seed=1)
    snapshot = start.copy()
    after, _ = step(minimal_world, start, Decisions(("recognition",)))
    assert start.quarter == 0 and after.quarter == 1
    assert np.array_equal(start.customers.satisfaction, snapshot.customers.satisfaction)
    assert np.array_equal(start.workforce.engagement, snapshot.workforce.engagement)
    # Two branches from the same state with the same decisions agree; others differ.
    again, _ = step(minimal_world, start, Decisions(("recognition",)))
    other, _ = step(minimal_world, start, Decisions(("mandate",)))
    assert np.array_equal(after.customers.active, again.customers.active)
    assert after.organisation.budget[0] != other.organisation.budget[0]


def test_forecast_from_a_game_in_progress_keeps_its_past_and_run_zero_is_its_future(minimal_world):
    game = initial_state(minimal_world, seed=4)
    for quarter in (1, 2):
        advance(minimal_world, game, PLAN.for_quarter(quarter))
    forecast = simulate(minimal_world, seed=0, runs=64, policy=PLAN, start=game)
    assert forecast.quarters == minimal_world.scenario.meta.quarters
    for name in ("active_customers", "engagement", "budget"):
        assert np.all(forecast.history[name][:3] == np.stack(game.history[name])[:, :1])
    # The game's own future under the same decisions is run 0 of the forecast.
    for quarter in range(3, minimal_world.scenario.meta.quarters + 1):
        advance(minimal_world, game, PLAN.for_quarter(quarter))
    assert np.array_equal(
        forecast.history["active_customers"][:, 0], np.stack(game.history["active_customers"])[:, 0]
    )
    assert forecast.history["active_customers"][-1].std() > 0  # the runs do differ


def test_zero_driver_weights_make_defection_exactly_the_baseline_propensity():
    rng = np.random.default_rng(0)
    size = (3, 1000)
    propensity = rng.beta(0.7, 3.0, size).astype(np.float32)
    args = [rng.random(size, dtype=np.float32) for _ in range(2)]
    flags = [rng.random(size) < 0.3 for _ in range(2)]
    probability, hazards = defection_probability(
        Dynamics().driver_weights_zero(),
        propensity,
        args[0],
        args[1],
        *flags,
        rng.random(size, dtype=np.float32),
    )
    assert hazards == {}
    assert np.array_equal(probability, propensity)
    # With drivers on, every customer is at least as likely to leave.
    driven, hazards = defection_probability(
        Dynamics(), propensity, args[0], args[1], *flags, rng.random(size, dtype=np.float32)
    )
    assert set(hazards) == {"boredom", "broken_promises", "dark", "awakened", "poor_experience"}
    assert np.all(driven >= propensity) and np.all(driven <= 1)


def test_driver_shares_sum_to_one_whenever_customers_left(minimal_world):
    results = simulate(minimal_world, seed=2, runs=32)
    for quarter in range(1, results.quarters + 1):
        shares = results.driver_shares(quarter)
        assert sum(shares.values()) == pytest.approx(1.0)
        assert all(share >= 0 for share in shares.values())
    assert sum(results.driver_shares(0).values()) == 0


def test_metrics_stay_in_range_and_finite(minimal_world):
    results = simulate(minimal_world, seed=2, runs=16, policy=PLAN)
    for name, values in results.history.items():
        assert np.all(np.isfinite(values)), name
    for name in (
        "logo_retention",
        "dark_share",
        "csat_true",
        "csat_reported",
        "thrill",
        "engagement",
        "quality",
        "quality_norm",
        "employee_attrition",
    ):
        values = results.history[name]
        assert values.min() >= 0 and values.max() <= 1, name
    active = results.history["active_customers"]
    flow = active[:-1] - results.history["defections"][1:] + results.history["new_customers"][1:]
    assert np.array_equal(flow, active[1:])  # customers are conserved


def test_budget_limits_what_is_adopted(minimal_world):
    state = initial_state(minimal_world, seed=1)
    state.organisation.budget[:] = 60_000
    flows = advance(minimal_world, state, Decisions(("recognition", "mandate")))
    adopted = dict(zip(minimal_world.intervention_ids, flows.adopted[0], strict=True))
    assert adopted == {"recognition": True, "mandate": False, "change": False}


def test_prerequisites_must_be_adopted_in_an_earlier_quarter(minimal_world):
    state = initial_state(minimal_world, seed=1)
    flows = advance(minimal_world, state, Decisions(("mandate", "change")))
    assert not flows.adopted[0, minimal_world.intervention_index["change"]]
    flows = advance(minimal_world, state, Decisions(("change",)))
    assert flows.adopted[0, minimal_world.intervention_index["change"]]


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        (Decisions(("nope",)), "unknown intervention 'nope' for scenario 'minimal'"),
        (Decisions(("mandate", "mandate")), "an intervention is listed twice in one quarter"),
        (Decisions(choices={"storm": "x"}), "'storm' is not a dilemma of scenario 'minimal'"),
    ],
)
def test_decisions_naming_unknown_things_are_refused(minimal_world, decisions, message):
    state = initial_state(minimal_world, seed=1)
    with pytest.raises(PolicyError) as caught:
        advance(minimal_world, state, decisions)
    assert str(caught.value) == message


def test_a_policy_for_another_scenario_is_refused(minimal_world):
    with pytest.raises(PolicyError, match="the policy is for scenario 'other', not 'minimal'"):
        simulate(minimal_world, seed=1, policy=Policy({}, scenario="other"))


@pytest.mark.parametrize(
    ("runs", "quarters", "message"),
    [
        (0, 4, "runs must be at least 1, got 0"),
        (1, 0, "quarters must be at least 1, got 0"),
    ],
)
def test_impossible_run_counts_are_refused(minimal_world, runs, quarters, message):
    with pytest.raises(ParameterError, match=message):
        simulate(minimal_world, seed=1, runs=runs, quarters=quarters)


def test_a_simulation_over_the_memory_budget_is_refused_with_its_estimate(minimal_world):
    with pytest.raises(ParameterError) as caught:
        simulate(minimal_world, seed=1, runs=50_000_000)
    assert "50,000,000 runs of 8 quarters with 1,700 customers need about" in str(caught.value)
    assert "over the 512 MiB budget" in str(caught.value)
    with pytest.raises(ParameterError, match=r"need about [\d,]+ MiB, over the 512 MiB"):
        check_size(minimal_world, 10_000_000, 8)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("attrition_base", 1.5, "dynamics.attrition_base must be between 0 and 1, got 1.5"),
        ("survey_bias", -0.1, "dynamics.survey_bias must be between 0 and 0.5, got -0.1"),
        ("thrill_decay", float("nan"), "dynamics.thrill_decay must be between 0 and 1, got nan"),
        ("gap_decay", "0.2", "dynamics.gap_decay must be a number, got '0.2'"),
    ],
)
def test_impossible_coefficients_raise_the_engine_error(name, value, message):
    with pytest.raises(ParameterError) as caught:
        Dynamics(**{name: value})
    assert str(caught.value) == message


def test_playing_past_the_prepared_horizon_is_refused(minimal_world):
    state = initial_state(minimal_world, seed=1, horizon=1)
    advance(minimal_world, state, Decisions())
    with pytest.raises(ParameterError, match="prepared for 1 quarters; cannot play quarter 2"):
        advance(minimal_world, state, Decisions())


def test_a_run_stays_independent_when_segment_blocks_have_to_grow():
    # Heavy acquisition and little churn outgrow the initial slots: blocks grow.
    table_changes = {
        "segments": [
            dict(segment, churn={"a": 1.0, "b": 400.0})
            for segment in make_world().scenario.model_dump()["segments"]
        ],
        "acquisition": {"rate": 0.2},
        "practices": {"marketing": 1.0},
    }
    world = make_world(**table_changes)
    one = simulate(world, seed=5, runs=1)
    many = simulate(world, seed=5, runs=64)
    assert many.history["active_customers"][-1].max() > sum(world.initial_segment_slots())
    for name in one.history:
        assert np.array_equal(one.history[name][:, 0], many.history[name][:, 0]), name


def test_a_policy_can_answer_a_dilemma_whenever_it_comes_up(tmp_path):
    from engine.policy import load_policy

    storm = {
        "id": "storm",
        "title": "Storm",
        "text": "A storm.",
        "chance": 0.5,
        "choices": [{"id": "wait", "label": "Wait"}, {"id": "act", "label": "Act", "cost": 1000.0}],
    }
    world = make_world(events=[storm])
    path = tmp_path / "plan.toml"
    path.write_text(
        'choices = { storm = "act" }\n\n[[decisions]]\nquarter = 2\nchoices = { storm = "wait" }\n',
        encoding="utf-8",
    )
    policy = load_policy(path)
    assert policy.for_quarter(1).choices == {"storm": "act"}
    assert policy.for_quarter(2).choices == {"storm": "wait"}  # the quarter's own wins
    policy.validate(world)
    assert load_policy(path).to_table()["choices"] == {"storm": "act"}
    path.write_text('choices = { storm = "run" }\n', encoding="utf-8")
    with pytest.raises(PolicyError, match="choices: dilemma 'storm' has no choice 'run'"):
        load_policy(path).validate(world)
