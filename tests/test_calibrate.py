"""Tests for engine.calibrate: fitting the shifted-beta-geometric model to survivor counts."""

from __future__ import annotations

import json
import math
import tomllib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import betaln

from engine.calibrate import SbgFit, fit_sbg, render_report, survival
from engine.errors import CalibrationError, GoingDarkError, ParameterError

# Fader & Hardie (2007), "How to project customer retention", Journal of Interactive
# Marketing 21(1), 76-90: survivors of two cohorts of 1000 customers over 12 years. The
# paper fits the first 7 years (t = 0..7) and reports a = 0.704, b = 1.182 (regular) and
# a = 0.668, b = 3.806 (high end); years 8-12 are its holdout.
REGULAR = (1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173)
HIGH_END = (1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394)
PUBLISHED = {
    "regular": (REGULAR, 0.704, 1.182),
    "high end": (HIGH_END, 0.668, 3.806),
}
CALIBRATION_PERIODS = 7


def significant(value: float, figures: int = 3) -> str:
    return f"{value:.{figures}g}"


def simulated_cohort(a: float, b: float, size: int, periods: int, seed: int) -> list[int]:
    """Survivor counts of ``size`` customers whose churn probabilities are Beta(a, b)."""
    rng = np.random.default_rng(seed)
    churn = rng.beta(a, b, size)
    # numpy's geometric counts trials up to and including the first success (1, 2, ...),
    # which is exactly the period in which a customer with churn probability θ leaves.
    lifetimes = rng.geometric(churn)
    return [int(np.count_nonzero(lifetimes > t)) for t in range(periods + 1)]


def closed_form_log_likelihood(a: float, b: float, counts: list[float]) -> float:
    """The sBG log-likelihood written with Beta functions, as in Fader & Hardie."""
    total = 0.0
    for t in range(1, len(counts)):
        churn_probability = betaln(a + 1, b + t - 1) - betaln(a, b)
        total += (counts[t - 1] - counts[t]) * churn_probability
    return total + counts[-1] * (betaln(a, b + len(counts) - 1) - betaln(a, b))


# -- the published fits ---------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLISHED)
def test_reproduces_fader_hardie_2007(name):
    counts, published_a, published_b = PUBLISHED[name]
    fit = fit_sbg(counts[: CALIBRATION_PERIODS + 1])
    assert significant(fit.a) == significant(published_a)
    assert significant(fit.b) == significant(published_b)
    # ... and agrees with every digit the paper prints.
    assert fit.a == pytest.approx(published_a, abs=5e-4)
    assert fit.b == pytest.approx(published_b, abs=5e-4)


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_fit_projects_the_holdout_years(name):
    # The paper's point: fitted on 7 years, the model tracks years 8-12 closely.
    counts, _, _ = PUBLISHED[name]
    fit = fit_sbg(counts[: CALIBRATION_PERIODS + 1])
    projected = survival(fit.a, fit.b, np.arange(len(counts)))
    observed = np.array(counts) / counts[0]
    holdout = slice(CALIBRATION_PERIODS + 1, None)
    assert np.all(np.abs(projected[holdout] - observed[holdout]) < 0.02)


def test_percentages_give_the_same_fit_as_counts():
    in_customers = fit_sbg(REGULAR[:8])
    in_percent = fit_sbg([count / 10 for count in REGULAR[:8]])
    assert in_percent.a == pytest.approx(in_customers.a, rel=1e-6)
    assert in_percent.b == pytest.approx(in_customers.b, rel=1e-6)
    assert in_percent.log_likelihood == pytest.approx(in_customers.log_likelihood / 10)


def test_fit_is_deterministic():
    assert fit_sbg(HIGH_END[:8]) == fit_sbg(HIGH_END[:8])


def test_log_likelihood_matches_the_beta_function_form_and_is_a_maximum():
    counts = [float(count) for count in REGULAR[:8]]
    fit = fit_sbg(counts)
    assert fit.log_likelihood == pytest.approx(closed_form_log_likelihood(fit.a, fit.b, counts))
    for step_a, step_b in [(1.01, 1), (0.99, 1), (1, 1.01), (1, 0.99), (1.01, 1.01)]:
        nearby = closed_form_log_likelihood(fit.a * step_a, fit.b * step_b, counts)
        assert nearby < fit.log_likelihood


# -- simulated cohorts ------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "seed"), [(0.7, 1.2, 1), (2.0, 8.0, 2), (0.5, 3.0, 3)])
def test_recovers_known_parameters_from_a_simulated_cohort(a, b, seed):
    # With 100,000 customers over 12 periods the estimates scatter by 1-2% (checked over
    # 20 seeds), so 10% leaves a wide margin while still catching a wrong likelihood.
    fit = fit_sbg(simulated_cohort(a, b, size=100_000, periods=12, seed=seed))
    assert fit.a == pytest.approx(a, rel=0.1)
    assert fit.b == pytest.approx(b, rel=0.1)
    assert fit.mean_churn == pytest.approx(a / (a + b), abs=0.005)


# -- survival ---------------------------------------------------------------------------


@given(
    a=st.floats(min_value=0.01, max_value=1000),
    b=st.floats(min_value=0.01, max_value=1000),
    periods=st.integers(min_value=2, max_value=40),
)
def test_fitted_survival_matches_the_closed_form(a, b, periods):
    # fitted_survival uses Fader & Hardie's recursion; survival() the Beta-function
    # closed form. They are separate code paths and must agree.
    fit = SbgFit(a=a, b=b, log_likelihood=0.0, counts=(1.0,) * (periods + 1))
    closed_form = survival(a, b, np.arange(periods + 1))
    np.testing.assert_allclose(fit.fitted_survival, closed_form, rtol=1e-9, atol=1e-300)


def test_fit_reports_the_closed_form_survival_curve():
    fit = fit_sbg(HIGH_END[:8])
    np.testing.assert_allclose(fit.fitted_survival, survival(fit.a, fit.b, np.arange(8)))
    assert fit.observed_survival == tuple(count / 1000 for count in HIGH_END[:8])


def test_survival_known_values():
    # With a = b = 1 (churn uniform on [0, 1]) S(t) = 1 / (t + 1).
    np.testing.assert_allclose(survival(1.0, 1.0, np.arange(6)), 1 / (np.arange(6) + 1))
    assert survival(2.0, 3.0, 0) == 1.0
    assert survival(2.0, 3.0, 1) == pytest.approx(3 / 5)  # 1 - a / (a + b)


@pytest.mark.parametrize(("a", "b", "t"), [(0.0, 1.0, 1), (1.0, -2.0, 1), (1.0, 1.0, -1)])
def test_survival_refuses_impossible_parameters(a, b, t):
    with pytest.raises(ParameterError):
        survival(a, b, t)


# -- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (
            [1000, 631],
            "need at least 3 counts (the cohort size, then the survivors after each of at"
            " least 2 periods), got 2",
        ),
        ([1000, -5, 300], "counts must not be negative: period 1 has -5"),
        ([1000, 631, -0.5], "counts must not be negative: period 2 has -0.5"),
        (
            [0, 0, 0],
            "the first count is the cohort size at the start and must be more than 0",
        ),
        (
            [1000, 631, 468, 480],
            "counts must not increase: period 3 has 480 after 468 in period 2",
        ),
        (
            [100, 63.1, 46.8, 46.9],
            "counts must not increase: period 3 has 46.9 after 46.8 in period 2",
        ),
        ([1000, math.nan, 400], "counts must be finite numbers: period 1 has nan"),
        ([1000, 600, math.inf], "counts must be finite numbers: period 2 has inf"),
        ([1000, "many", 400], "counts must be numbers: period 1 has 'many'"),
        (
            [1000, 1000, 1000, 1000],
            "no customer left in any of the 3 periods (every count is 1000), so there is no"
            " churn to fit: use a longer history or a cohort in which some customers left",
        ),
        (
            [1000, 0, 0],
            "every customer left in the first period (1000, then 0), so the counts cannot"
            " show how churn differs between customers: use shorter periods (months or"
            " quarters rather than years) or a cohort in which some customers stayed",
        ),
        (
            [1000, 600, 600, 600],
            "customers left in the first period only (1000, then 600 until the end): the"
            " model cannot fit a cohort that splits into instant leavers and customers who"
            " never leave; use a longer history in which later departures show, or check"
            " the counts",
        ),
    ],
)
def test_bad_counts_are_refused_with_a_clear_message(counts, message):
    with pytest.raises(CalibrationError) as caught:
        fit_sbg(counts)
    assert str(caught.value) == message
    # The CLI catches the engine's one base type and shows its text.
    assert isinstance(caught.value, GoingDarkError)


def test_counts_given_as_text_are_accepted():
    # The CLI may pass its arguments straight through.
    assert fit_sbg([str(count) for count in REGULAR[:8]]) == fit_sbg(REGULAR[:8])


def test_retention_that_does_not_rise_is_fitted_as_one_churn_rate():
    # Exactly geometric counts: no sign that churn differs between customers, so a and b
    # grow together to the edge of the search, keeping their ratio at the churn rate.
    fit = fit_sbg([1000, 800, 640, 512])
    assert fit.search_limit == "upper"
    assert fit.mean_churn == pytest.approx(0.2, abs=1e-4)
    np.testing.assert_allclose(fit.fitted_survival, [1, 0.8, 0.64, 0.512], atol=1e-3)
    assert "retention does not rise with tenure" in render_report(fit)
    assert fit_sbg(REGULAR[:8]).search_limit is None


# -- output for authors -----------------------------------------------------------------


def test_toml_snippet_parses_into_a_churn_table():
    fit = fit_sbg(REGULAR[:8])
    snippet = fit.toml_snippet()
    comment, line = snippet.splitlines()
    assert comment == (
        "# fitted with goingdark calibrate from 7 periods (in a scenario one period is one quarter)"
    )
    assert line == "churn = { a = 0.7041, b = 1.182 }"
    assert tomllib.loads(snippet) == {"churn": {"a": 0.7041, "b": 1.182}}


def test_toml_snippet_writes_large_and_small_values_as_plain_floats():
    fit = SbgFit(a=2500.21, b=9999.9998, log_likelihood=0.0, counts=(1.0, 0.8, 0.64))
    assert fit.toml_snippet().splitlines()[1] == "churn = { a = 2500.0, b = 10000.0 }"
    assert tomllib.loads(fit.toml_snippet()) == {"churn": {"a": 2500.0, "b": 10000.0}}
    tiny = SbgFit(a=0.000123456, b=0.5, log_likelihood=0.0, counts=(1.0, 0.8, 0.64))
    assert tomllib.loads(tiny.toml_snippet()) == {"churn": {"a": 0.0001235, "b": 0.5}}


def test_to_dict_is_json_ready():
    fit = fit_sbg(HIGH_END[:8])
    data = json.loads(json.dumps(fit.to_dict()))
    assert set(data) == {
        "a",
        "b",
        "log_likelihood",
        "periods",
        "counts",
        "observed_survival",
        "fitted_survival",
        "mean_churn_per_period",
        "toml",
    }
    assert data["periods"] == 7
    assert data["counts"] == list(HIGH_END[:8])
    assert data["mean_churn_per_period"] == pytest.approx(fit.a / (fit.a + fit.b))
    assert len(data["fitted_survival"]) == len(data["observed_survival"]) == 8
    assert data["toml"] == fit.toml_snippet()


def test_report_shows_parameters_table_and_snippet():
    fit = fit_sbg(REGULAR[:8])
    report = render_report(fit)
    lines = report.splitlines()
    assert "  a                       0.7041" in lines
    assert "  b                       1.182" in lines
    assert f"  log-likelihood          {fit.log_likelihood:.2f}" in lines
    assert "  mean churn per period   0.3733  (a / (a + b))" in lines
    assert "  period  survivors  observed    fitted  difference" in lines
    # Period 1: 631 observed against S(1) = 1 - a / (a + b) fitted.
    fitted_1 = 1 - fit.mean_churn
    assert f"       1        631    0.6310    {fitted_1:.4f}  {0.631 - fitted_1:>+10.4f}" in lines
    assert report.endswith(fit.toml_snippet() + "\n")
    assert "Note:" not in report
    assert all(len(line) <= 100 for line in lines)
