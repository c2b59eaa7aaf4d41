"""Fit a segment's churn distribution to a real cohort's survivor counts.

A scenario segment draws each customer's baseline churn probability per period from
Beta(a, b). With every driver switched off, a cohort then follows the
shifted-beta-geometric (sBG) model of Fader & Hardie (2007), "How to project customer
retention", Journal of Interactive Marketing 21(1), 76-90:

* a customer with churn probability θ leaves in period t with probability
  θ(1 - θ)^(t-1), for t = 1, 2, ...;
* across customers θ ~ Beta(a, b), so P(T = t) = B(a + 1, b + t - 1) / B(a, b) and the
  share still there after t periods is S(t) = B(a, b + t) / B(a, b).

Given survivor counts n_0 > n_1 >= ... >= n_T (n_0 customers at the start, n_t still
there after period t), :func:`fit_sbg` finds the a and b that maximise

    LL(a, b) = sum_{t=1..T} (n_{t-1} - n_t) ln P(T = t) + n_T ln S(T),

where the last term accounts for the customers who had not left by the end of the
data (right censoring). The result carries a report for the author and the TOML line to
paste into a segment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from scipy.special import betaln

from engine.errors import CalibrationError, ParameterError

__all__ = [
    "SbgFit",
    "fit_sbg",
    "maximise_likelihood",
    "render_report",
    "survival",
    "toml_float",
    "validated_counts",
]

# The search runs over (ln a, ln b) inside these limits. When survivor counts show no
# sign of retention rising with tenure, the likelihood keeps growing as a and b grow
# together (every customer converging on the same churn rate), so the search needs an
# edge; at a + b around 10^4 the Beta is already a spike, so a larger edge would not
# change any simulation.
MIN_SHAPE = 1e-4
MAX_SHAPE = 1e4
_LOG_BOUNDS = ((math.log(MIN_SHAPE), math.log(MAX_SHAPE)),) * 2
# A fitted shape this close (in log terms) to a limit is reported as being at it.
_AT_LIMIT = 1e-3
# Values of a + b for the starting points. Each start's mean a / (a + b) is the
# cohort's first-period churn, which is exactly what the model says that mean is.
_START_STRENGTHS = (0.3, 1.0, 3.0, 10.0, 100.0)

SIGNIFICANT_FIGURES = 4


def survival(a: float, b: float, t: ArrayLike) -> NDArray[np.float64]:
    """The share of a cohort still there after ``t`` periods: S(t) = B(a, b + t) / B(a, b).

    Vectorised over ``t`` (whole numbers >= 0): an array gives an array of the same shape,
    a scalar gives a NumPy scalar.
    """
    if not (a > 0 and b > 0 and math.isfinite(a) and math.isfinite(b)):
        raise ParameterError(f"Beta shapes must be positive and finite, got a = {a}, b = {b}")
    periods = np.asarray(t, dtype=float)
    if np.any(periods < 0):
        raise ParameterError("survival needs periods t >= 0")
    return np.exp(betaln(a, b + periods) - betaln(a, b))


@dataclass(frozen=True)
class SbgFit:
    """The maximum-likelihood sBG fit to one cohort's survivor counts.

    ``counts[t]`` is the number of customers still there after period ``t`` (``counts[0]``
    is the cohort size). Everything else is derived from ``a`` and ``b``.
    """

    a: float
    b: float
    log_likelihood: float
    counts: tuple[float, ...]

    @property
    def periods(self) -> int:
        """How many periods the counts cover (one fewer than there are counts)."""
        return len(self.counts) - 1

    @property
    def observed_survival(self) -> tuple[float, ...]:
        """n_t / n_0 for t = 0..T."""
        return tuple(count / self.counts[0] for count in self.counts)

    @property
    def fitted_survival(self) -> tuple[float, ...]:
        """The model's S(t) for t = 0..T at the fitted a and b."""
        log_survival, _ = _log_survival_and_churn(self.a, self.b, self.periods)
        return tuple(float(value) for value in np.exp(log_survival))

    @property
    def mean_churn(self) -> float:
        """The average customer's churn probability per period, a / (a + b)."""
        return self.a / (self.a + self.b)

    @property
    def search_limit(self) -> str | None:
        """Which edge of the search a or b stopped at ("upper" or "lower"), or None.

        "upper": retention does not rise with tenure in the counts, so the best the model
        can do is give every customer nearly the same churn rate. "lower": nearly everyone
        who left did so in the first period, so the cohort looks split between customers
        who leave at once and customers who never leave.
        """
        for limit, name in ((MAX_SHAPE, "upper"), (MIN_SHAPE, "lower")):
            if any(abs(math.log(shape / limit)) < _AT_LIMIT for shape in (self.a, self.b)):
                return name
        return None

    def toml_snippet(self) -> str:
        """The lines an author pastes into a scenario segment (a comment, then ``churn``)."""
        return (
            f"# fitted with goingdark calibrate from {self.periods} periods"
            " (in a scenario one period is one quarter)\n"
            f"churn = {{ a = {toml_float(self.a)}, b = {toml_float(self.b)} }}"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary of the fit."""
        return {
            "a": self.a,
            "b": self.b,
            "log_likelihood": self.log_likelihood,
            "periods": self.periods,
            "counts": list(self.counts),
            "observed_survival": list(self.observed_survival),
            "fitted_survival": list(self.fitted_survival),
            "mean_churn_per_period": self.mean_churn,
            "toml": self.toml_snippet(),
        }


def fit_sbg(counts: Sequence[float]) -> SbgFit:
    """Validate survivor ``counts`` and fit the sBG model to them by maximum likelihood.

    ``counts`` start with the cohort size and continue with the number still there after
    each period; they may be whole numbers or percentages (100, 63.1, 46.8, ...), which
    give the same a and b. Raises :class:`CalibrationError` for counts that cannot be
    fitted, with a message an author can act on.
    """
    survivors = validated_counts(counts)
    a, b = maximise_likelihood(
        lambda a, b: _log_likelihood(a, b, survivors),
        survivors[0],
        1.0 - survivors[1] / survivors[0],
    )
    return SbgFit(
        a=a,
        b=b,
        log_likelihood=_log_likelihood(a, b, survivors),
        counts=tuple(float(count) for count in survivors),
    )


def maximise_likelihood(
    log_likelihood: Callable[[float, float], float],
    scale: float,
    first_period_churn: float,
    tolerances: tuple[float, float] = (1e-10, 1e-14),
) -> tuple[float, float]:
    """The (a, b) within the search's limits that maximise ``log_likelihood(a, b)``.

    ``scale`` (the cohort size) divides the objective, so that the optimiser's
    tolerances mean the same for 1000 customers or 100 percent; the starts have the
    mean churn ``first_period_churn`` at several strengths a + b. ``tolerances`` are the
    final polish's (xatol, fatol).
    """

    def objective(log_shapes: NDArray[np.float64]) -> float:
        a, b = np.exp(log_shapes)
        return -log_likelihood(float(a), float(b)) / scale

    churn = min(max(first_period_churn, 0.01), 0.99)
    starts = [np.log([churn * strength, (1.0 - churn) * strength]) for strength in _START_STRENGTHS]
    # Several starts guard against stopping on a flat stretch of the likelihood; min()
    # keeps the first of equally good results, so the answer is deterministic.
    best = min(
        (minimize(objective, start, method="L-BFGS-B", bounds=_LOG_BOUNDS) for start in starts),
        key=lambda result: result.fun,
    )
    # L-BFGS-B on finite-difference gradients stops a little short of the optimum; a
    # Nelder-Mead pass from there pins a and b down well beyond the figures we print.
    xatol, fatol = tolerances
    polished = minimize(
        objective,
        best.x,
        method="Nelder-Mead",
        bounds=_LOG_BOUNDS,
        options={"xatol": xatol, "fatol": fatol, "maxiter": 4000},
    )
    if polished.fun <= best.fun:
        best = polished
    # exp(log(limit)) can land a rounding error outside the limit, which a scenario's
    # churn would then refuse: keep the shapes within the search's limits exactly.
    a, b = (float(min(max(value, MIN_SHAPE), MAX_SHAPE)) for value in np.exp(best.x))
    return a, b


def render_report(fit: SbgFit) -> str:
    """A plain-text report of ``fit`` for an author: parameters, fit table, TOML snippet."""
    lines = [
        f"Shifted-beta-geometric fit to {len(fit.counts)} counts ({fit.periods} periods)",
        "",
        f"  a                       {_significant(fit.a)}",
        f"  b                       {_significant(fit.b)}",
        f"  log-likelihood          {fit.log_likelihood:.2f}",
        f"  mean churn per period   {fit.mean_churn:.4f}  (a / (a + b))",
        "",
    ]
    lines += _LIMIT_NOTES.get(fit.search_limit, [])
    survivor_texts = [_number(count) for count in fit.counts]
    survivor_width = max(len("survivors"), *(len(text) for text in survivor_texts))
    lines.append(
        f"  {'period':>6}  {'survivors':>{survivor_width}}  {'observed':>8}"
        f"  {'fitted':>8}  {'difference':>10}"
    )
    for period, (text, observed, fitted) in enumerate(
        zip(survivor_texts, fit.observed_survival, fit.fitted_survival, strict=True)
    ):
        lines.append(
            f"  {period:>6}  {text:>{survivor_width}}  {observed:>8.4f}"
            f"  {fitted:>8.4f}  {_difference(observed, fitted):>+10.4f}"
        )
    lines += [
        "",
        "  (observed and fitted are shares of the starting cohort; difference is observed",
        "  minus fitted)",
        "",
        "Paste into the segment of your scenario:",
        "",
        fit.toml_snippet(),
    ]
    return "\n".join(lines) + "\n"


_LIMIT_NOTES = {
    "upper": [
        "  Note: retention does not rise with tenure in these counts, so the fit cannot",
        f"  tell customers apart and stopped at the edge of its search (a or b = {MAX_SHAPE:g}):",
        "  read it as every customer leaving with the same probability per period.",
        "",
    ],
    "lower": [
        "  Note: nearly everyone who left did so in the first period, so the fit stopped at",
        f"  the edge of its search (a or b = {MIN_SHAPE:g}): the cohort looks split between",
        "  customers who leave at once and customers who never leave.",
        "",
    ],
}


def _difference(observed: float, fitted: float) -> float:
    """observed - fitted, with differences that round to zero shown as +0.0000, not -0.0000."""
    difference = observed - fitted
    return 0.0 if round(difference, 4) == 0 else difference


def validated_counts(counts: Sequence[float]) -> NDArray[np.float64]:
    """Survivor counts as floats, or a :class:`CalibrationError` saying what is wrong
    with them (too few, not numbers, negative, increasing, or impossible to fit)."""
    values = list(counts)
    if len(values) < 3:
        raise CalibrationError(
            f"need at least 3 counts (the cohort size, then the survivors after each of at"
            f" least 2 periods), got {len(values)}"
        )
    survivors = []
    for period, value in enumerate(values):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise CalibrationError(
                f"counts must be numbers: period {period} has {value!r}"
            ) from None
        if not math.isfinite(number):
            raise CalibrationError(f"counts must be finite numbers: period {period} has {value}")
        if number < 0:
            raise CalibrationError(
                f"counts must not be negative: period {period} has {_number(number)}"
            )
        survivors.append(number)
    if survivors[0] == 0:
        raise CalibrationError(
            "the first count is the cohort size at the start and must be more than 0"
        )
    for period in range(1, len(survivors)):
        if survivors[period] > survivors[period - 1]:
            raise CalibrationError(
                f"counts must not increase: period {period} has {_number(survivors[period])}"
                f" after {_number(survivors[period - 1])} in period {period - 1}"
            )
    _check_fittable(survivors)
    return np.array(survivors)


def _check_fittable(survivors: list[float]) -> None:
    """Refuse the valid-looking cohorts for which no best a and b exists.

    In each of these the likelihood only keeps improving as a or b run off to zero or
    infinity, so any answer would be an artefact of where the search happened to stop.
    """
    start, after_first, last = survivors[0], survivors[1], survivors[-1]
    periods = len(survivors) - 1
    if last == start:
        raise CalibrationError(
            f"no customer left in any of the {periods} periods (every count is"
            f" {_number(start)}), so there is no churn to fit: use a longer history or a"
            " cohort in which some customers left"
        )
    if after_first == 0:
        raise CalibrationError(
            f"every customer left in the first period ({_number(start)}, then 0), so the"
            " counts cannot show how churn differs between customers: use shorter periods"
            " (months or quarters rather than years) or a cohort in which some customers"
            " stayed"
        )
    if last == after_first:
        raise CalibrationError(
            f"customers left in the first period only ({_number(start)}, then"
            f" {_number(after_first)} until the end): the model cannot fit a cohort that"
            " splits into instant leavers and customers who never leave; use a longer"
            " history in which later departures show, or check the counts"
        )


def _log_survival_and_churn(
    a: float, b: float, periods: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """ln S(t) for t = 0..periods and ln P(T = t) for t = 1..periods.

    Uses Fader & Hardie's recursion rather than the Beta-function closed form: the
    retention rate after t - 1 periods is (b + t - 1) / (a + b + t - 1), so
    ln S(t) = -sum ln(1 + a / (b + i)) over i < t, and P(T = t) = S(t - 1) a / (a + b + t - 1).
    It stays accurate for very large a and b, where the closed form subtracts two huge,
    nearly equal numbers; :func:`survival` keeps the closed form as an independent check.
    """
    offsets = np.arange(periods, dtype=float)
    log_survival = np.concatenate(([0.0], -np.cumsum(np.log1p(a / (b + offsets)))))
    log_churn = log_survival[:-1] + math.log(a) - np.log(a + b + offsets)
    return log_survival, log_churn


def _log_likelihood(a: float, b: float, survivors: NDArray[np.float64]) -> float:
    """The sBG log-likelihood of the survivor counts, right-censored at the last period."""
    log_survival, log_churn = _log_survival_and_churn(a, b, len(survivors) - 1)
    leavers = survivors[:-1] - survivors[1:]
    return float(np.dot(leavers, log_churn) + survivors[-1] * log_survival[-1])


def _significant(value: float) -> float:
    """``value`` rounded to :data:`SIGNIFICANT_FIGURES` significant figures."""
    return float(f"{value:.{SIGNIFICANT_FIGURES}g}")


def toml_float(value: float) -> str:
    """``value`` to 4 significant figures, written as a TOML float (10000.0, not 1e+04)."""
    rounded = _significant(value)
    return f"{rounded:.1f}" if rounded.is_integer() else repr(rounded)


def _number(value: float) -> str:
    """A count as an author typed it: 480 rather than 480.0, 46.8 as it is."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
