"""Calibrating a segment inside its scenario (drivers included), yearly counts, and
segments with tenure: the round trip reproduces the cohort within 3 standard errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from engine.calibrate_scenario import (
    EDGE_NOTE,
    baseline_survival,
    fit_cohort,
    render_cohort_report,
    simulate_cohort,
    with_churn,
)
from engine.scenario.loader import load_scenario
from engine.setup import initial_state
from engine.world import World
from game.cli import main
from tests.test_calibrate import HIGH_END, REGULAR

COHORT = "tests/data/calibration-cohort.toml"
YEARS = 7


def _with_tenure(tenure: int, count: int | None = None):
    scenario = load_scenario(COHORT)
    update = {"tenure": tenure} | ({"count": count} if count else {})
    segments = [scenario.segments[0].model_copy(update=update)]
    return scenario.model_copy(update={"segments": segments})


def _reproduces(fit, scenario, seed: int) -> None:
    """The calibrated scenario, played with another seed, follows the cohort within 3
    standard errors of each observed share at every compared period."""
    step = 4 if fit.period == "year" else 1
    calibrated = with_churn(scenario, fit.segment, fit.a, fit.b)
    cohort = simulate_cohort(calibrated, fit.segment, seed, 40, step * (len(fit.counts) - 1))
    simulated = cohort.survival[::step]
    for period, (observed, error) in enumerate(
        zip(fit.observed, fit.standard_errors(), strict=True)
    ):
        assert abs(simulated[period] - observed) <= 3 * error, period


def test_tenured_customers_draw_from_the_survivors_distribution():
    tenure, count = 8, 20_000
    scenario = _with_tenure(tenure, count)
    churn = scenario.segments[0].churn
    state = initial_state(World.from_scenario(scenario), seed=4, runs=1)
    drawn = state.customers.propensity[0, :count].astype(np.float64)
    test = stats.kstest(drawn, stats.beta(churn.a, churn.b + tenure).cdf)
    assert test.pvalue > 1e-3
    # ... and not from the brand-new cohort's.
    assert stats.kstest(drawn, stats.beta(churn.a, churn.b).cdf).pvalue < 1e-6


def test_no_tenure_draws_exactly_as_before():
    plain = load_scenario(COHORT)
    assert plain.segments[0].tenure == 0
    one = initial_state(World.from_scenario(plain), seed=4, runs=2)
    two = initial_state(World.from_scenario(_with_tenure(0)), seed=4, runs=2)
    assert np.array_equal(one.customers.propensity, two.customers.propensity)


def test_yearly_counts_of_the_regular_cohort_round_trip():
    scenario = load_scenario(COHORT)
    fit = fit_cohort(REGULAR[: YEARS + 1], "year", scenario)
    assert fit.segment == "regular" and not fit.at_search_edge
    # The drivers take their share: the baseline alone keeps more than the model does.
    assert fit.baseline[-1] > fit.simulated[-1]
    _reproduces(fit, scenario, seed=101)


def test_quarterly_counts_with_tenure_round_trip():
    scenario = _with_tenure(4)
    fit = fit_cohort(HIGH_END[: YEARS + 1], "quarter", scenario)
    assert fit.tenure == 4
    assert "tenure = 4" in fit.toml_snippet()
    _reproduces(fit, scenario, seed=202)


def test_yearly_fit_without_a_scenario_recovers_the_quarterly_shapes():
    a, b = 0.8, 6.0
    shares = baseline_survival(a, b, 4 * YEARS)[::4]
    fit = fit_cohort([1e6 * share for share in shares], "year")
    assert fit.a == pytest.approx(a, rel=0.01)
    assert fit.b == pytest.approx(b, rel=0.01)
    assert fit.segment is None and fit.rounds == 1


def test_report_says_what_the_drivers_add():
    scenario = load_scenario(COHORT)
    fit = fit_cohort(HIGH_END[:5], "quarter", scenario, runs=8)
    text = render_cohort_report(fit)
    lost, alone = 1 - fit.simulated[-1], 1 - fit.baseline[-1]
    sentence = " ".join(text.split("By quarter 4 ")[1].split("\n\n")[0].split())
    # The points added are the difference of the two shares as printed.
    added = round(100 * lost, 1) - round(100 * alone, 1)
    assert abs(added - 100 * (lost - alone)) <= 0.1
    assert sentence == (
        f"the segment loses {100 * lost:.1f}% of its starting customers; the baseline alone"
        f" would lose {100 * alone:.1f}%, so the drivers add {added:.1f} points."
    )
    assert max(len(line) for line in text.splitlines()) <= 80
    assert math.isclose(fit.observed[0], 1.0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--segment", "smb"],
            "goingdark calibrate: --segment needs --scenario\n",
        ),
        (
            ["--scenario", "tests/data/minimal.toml"],
            "goingdark calibrate: scenario 'minimal' has 2 segments (smb, enterprise):"
            " name one with --segment\n",
        ),
        (
            ["--scenario", "tests/data/minimal.toml", "--segment", "big"],
            "goingdark calibrate: scenario 'minimal' has no segment 'big'; its segments:"
            " smb, enterprise\n",
        ),
    ],
)
def test_bad_calibration_arguments(arguments, message, capsys):
    assert main(["calibrate", "1000", "631", "468", *arguments]) == 1
    assert capsys.readouterr().err == message


def test_cli_yearly_json(capsys):
    assert main(["calibrate", "1000", "631", "468", "382", "--period", "year", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"period": "year"' in out and '"segment": null' in out


def test_counts_milder_than_the_drivers_stop_at_the_edge_and_say_so(capsys, tmp_path):
    # The scenario's drivers alone lose more than 3% in four quarters: no baseline
    # reproduces a cohort that lost 3%. The shapes stay within the search's limits
    # exactly, so that the scenario accepts them (b once came out as 10000.00000000001).
    assert main(["calibrate", "1000", "990", "980", "975", "970", "--scenario", COHORT]) == 0
    out = capsys.readouterr().out
    assert " ".join(EDGE_NOTE.split()) in " ".join(out.split())
    assert out.endswith(
        "The edge of the search, should you paste it anyway (it does not fit):\n\n"
        "# fitted with goingdark calibrate (drivers included, 4 quarterly periods)\n"
        "churn = { a = 0.0001, b = 10000.0 }\n\n"
    )
    fit = fit_cohort([1000, 990, 980, 975, 970], "quarter", load_scenario(COHORT))
    assert fit.at_search_edge and fit.b == 1e4 and fit.a == pytest.approx(1e-4)
    with_churn(load_scenario(COHORT), "regular", fit.a, fit.b)  # no validation error
