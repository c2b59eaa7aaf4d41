"""Calibrating a segment inside its scenario, the drivers of churn included.

A segment's ``churn`` is its *baseline*: the drivers (boredom, going dark, broken
promises, poor service...) add to it. Fitting a real cohort's total retention with the
plain sBG (:mod:`engine.calibrate`) therefore counts the drivers' share twice. Here the
whole scenario is simulated, under its starting practices and no interventions, and
the segment's Beta(a, b) is chosen so that the *simulated* starting customers of the
segment follow the observed counts.

The fit rests on one fact of the model. A customer with baseline churn p and driver
hazards h_t stays through quarter t with probability (1 - p)(1 - h_t), and p is drawn
independently of everything the hazards depend on, so the share still there after q
quarters is B(q) x D(q): B the baseline alone, E[(1 - p)^q] (for a cohort with
``tenure`` quarters behind it, B(a, b + tenure + q) / B(a, b + tenure)), and D what the
drivers let through. Each round simulates the scenario at the current (a, b) with the
same seed (common random numbers), measures D(q) as the simulated share over the
baseline share of the very customers drawn, and fits (a, b) by maximum likelihood to
the counts with S(q) = B(q; a, b) x D(q); rounds repeat until (a, b) settle.

Yearly counts (``period="year"``) are compared with the quarterly model at quarters 4,
8, 12...: no conversion of rates. Without a scenario, D = 1 (the plain sBG).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from engine.calibrate import (
    MAX_SHAPE,
    MIN_SHAPE,
    maximise_likelihood,
    toml_float,
    validated_counts,
)
from engine.decisions import Decisions
from engine.errors import CalibrationError
from engine.scenario.schema import Churn, Scenario
from engine.setup import initial_state
from engine.step import advance
from engine.world import World

Period = Literal["quarter", "year"]
QUARTERS_PER = {"quarter": 1, "year": 4}
# Rounds of simulate-then-fit, and when (a, b) count as settled (relative change). Each
# round's D(q) is measured on fresh Beta draws, so (a, b) wander by about 1% from round
# to round; far less than a cohort of a thousand customers can pin them down.
MAX_ROUNDS = 8
SETTLED = 0.02
# Customer-runs simulated per round, so that D(q) is measured precisely.
CUSTOMER_RUNS = 40_000
MAX_RUNS = 64


EDGE_NOTE = (
    "Note: the fit stopped at the edge of its search, so no baseline reproduces these"
    " counts. With a scenario, this usually means its drivers alone lose about as many"
    " customers as the cohort did, or more: soften the starting practices or the"
    " defect_* dynamics, or check the counts."
)


def baseline_survival(a: float, b: float, quarters: int, tenure: int = 0) -> NDArray[np.float64]:
    """B(q) for q = 0..quarters: the share of a cohort with ``tenure`` quarters behind it
    that the baseline alone keeps, B(a, b + tenure + q) / B(a, b + tenure), by the
    recursion that stays exact for large a and b."""
    offsets = np.arange(quarters, dtype=float) + tenure
    return np.exp(np.concatenate(([0.0], -np.cumsum(np.log1p(a / (b + offsets))))))


def _log_likelihood(
    a: float,
    b: float,
    counts: NDArray[np.float64],
    step: int,
    drivers: NDArray[np.float64],
    tenure: int,
) -> float:
    """The counts' log-likelihood when the share left after q quarters is
    B(q; a, b) x drivers[q], compared at quarters 0, step, 2 step..."""
    quarters = step * (len(counts) - 1)
    shares = (baseline_survival(a, b, quarters, tenure) * drivers)[::step]
    lost = np.maximum(shares[:-1] - shares[1:], 1e-300)
    leavers = counts[:-1] - counts[1:]
    return float(np.dot(leavers, np.log(lost)) + counts[-1] * math.log(max(shares[-1], 1e-300)))


def _fit_shapes(
    counts: NDArray[np.float64], step: int, drivers: NDArray[np.float64], tenure: int
) -> tuple[float, float]:
    """The (a, b) of greatest likelihood, searched as :func:`engine.calibrate.fit_sbg` does."""
    return maximise_likelihood(
        lambda a, b: _log_likelihood(a, b, counts, step, drivers, tenure),
        counts[0],
        1.0 - (counts[1] / counts[0]) ** (1.0 / step),
        tolerances=(1e-8, 1e-12),
    )


@dataclass(frozen=True)
class SimulatedCohort:
    """The segment's starting customers in a simulation, quarter 0 to the last."""

    survival: NDArray[np.float64]  # share still there after q quarters, all runs pooled
    baseline: NDArray[np.float64]  # share the baseline alone keeps, E[(1 - p)^q]


def with_churn(scenario: Scenario, segment_id: str, a: float, b: float) -> Scenario:
    """The scenario with one segment's churn shapes replaced."""
    segments = [
        s.model_copy(update={"churn": Churn(a=a, b=b)}) if s.id == segment_id else s
        for s in scenario.segments
    ]
    return scenario.model_copy(update={"segments": segments})


def simulate_cohort(
    scenario: Scenario, segment_id: str, seed: int, runs: int, quarters: int
) -> SimulatedCohort:
    """Play ``quarters`` quarters of no decisions and follow one segment's starting
    customers: the share still there, and the share their baseline alone would keep."""
    world = World.from_scenario(scenario)
    index = next(i for i, s in enumerate(scenario.segments) if s.id == segment_id)
    count = scenario.segments[index].count
    state = initial_state(world, seed, runs, quarters)
    first = state.segment_bounds[index]
    columns = slice(first, first + count)
    stay = 1.0 - state.customers.propensity[:, columns].astype(np.float64)
    baseline = np.array([float(np.mean(stay**q)) for q in range(quarters + 1)])
    survival = np.ones(quarters + 1)
    for quarter in range(1, quarters + 1):
        advance(world, state, Decisions())
        customers = state.customers
        there = customers.active[:, columns] & (customers.joined[:, columns] == 0)
        survival[quarter] = there.sum() / (runs * count)
    return SimulatedCohort(survival, baseline)


@dataclass(frozen=True)
class CohortFit:
    """A segment's fitted baseline shapes and how the scenario then follows the cohort."""

    a: float
    b: float
    counts: tuple[float, ...]
    period: Period
    tenure: int
    segment: str | None  # None: fitted without a scenario (the plain sBG)
    rounds: int
    simulated: tuple[float, ...]  # the model's share at each compared period
    baseline: tuple[float, ...]  # the baseline alone's share at each compared period

    @property
    def at_search_edge(self) -> bool:
        """Whether a or b stopped at a limit of the search (no best fit inside it)."""
        return any(
            abs(math.log(shape / limit)) < 1e-3
            for shape in (self.a, self.b)
            for limit in (MIN_SHAPE, MAX_SHAPE)
        )

    @property
    def observed(self) -> tuple[float, ...]:
        """n_k / n_0 at each compared period."""
        return tuple(count / self.counts[0] for count in self.counts)

    def standard_errors(self) -> tuple[float, ...]:
        """The sampling error of each observed share, sqrt(S (1 - S) / n_0)."""
        return tuple(math.sqrt(s * (1 - s) / self.counts[0]) for s in self.observed)

    def toml_snippet(self) -> str:
        """The lines to paste into the segment."""
        how = "drivers included, " if self.segment is not None else ""
        lines = [
            f"# fitted with goingdark calibrate ({how}{len(self.counts) - 1}"
            f" {self.period}ly periods)",
            f"churn = {{ a = {toml_float(self.a)}, b = {toml_float(self.b)} }}",
        ]
        if self.tenure:
            lines.append(f"tenure = {self.tenure}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """A JSON-ready summary."""
        return {
            "a": self.a,
            "b": self.b,
            "period": self.period,
            "tenure": self.tenure,
            "segment": self.segment,
            "rounds": self.rounds,
            "counts": list(self.counts),
            "observed_survival": list(self.observed),
            "fitted_survival": list(self.simulated),
            "baseline_survival": list(self.baseline),
            "standard_errors": list(self.standard_errors()),
            "toml": self.toml_snippet(),
        }


def default_runs(count: int) -> int:
    """Runs per round: about :data:`CUSTOMER_RUNS` customer-runs, 2 to :data:`MAX_RUNS`."""
    return min(MAX_RUNS, max(2, math.ceil(CUSTOMER_RUNS / max(count, 1))))


def fit_cohort(
    counts: Sequence[float],
    period: Period = "quarter",
    scenario: Scenario | None = None,
    segment_id: str | None = None,
    seed: int | None = None,
    runs: int | None = None,
) -> CohortFit:
    """Fit a segment's baseline (a, b) so that its starting customers follow ``counts``:
    in its scenario, drivers included, when one is given; else the plain sBG, which
    for ``period="year"`` is a quarterly model compared at year ends."""
    observed = validated_counts(counts)
    step = QUARTERS_PER[period]
    quarters = step * (len(observed) - 1)
    if scenario is None:
        drivers = np.ones(quarters + 1)
        a, b = _fit_shapes(observed, step, drivers, 0)
        fitted = baseline_survival(a, b, quarters)[::step]
        return CohortFit(
            a, b, tuple(map(float, observed)), period, 0, None, 1,
            tuple(map(float, fitted)), tuple(map(float, fitted)),
        )  # fmt: skip
    segment = _segment(scenario, segment_id)
    tenure = segment.tenure
    seed = scenario.meta.seed if seed is None else seed
    runs = default_runs(segment.count) if runs is None else runs
    a, b = _fit_shapes(observed, step, np.ones(quarters + 1), tenure)
    rounds = 0
    for rounds in range(1, MAX_ROUNDS + 1):  # noqa: B007 (the count is reported)
        cohort = simulate_cohort(with_churn(scenario, segment.id, a, b), segment.id, seed, runs,
                                 quarters)  # fmt: skip
        drivers = cohort.survival / np.maximum(cohort.baseline, 1e-300)
        new_a, new_b = _fit_shapes(observed, step, drivers, tenure)
        settled = abs(new_a / a - 1) < SETTLED and abs(new_b / b - 1) < SETTLED
        a, b = new_a, new_b
        if settled:
            break
    final = simulate_cohort(with_churn(scenario, segment.id, a, b), segment.id, seed, runs,
                            quarters)  # fmt: skip
    return CohortFit(
        a, b, tuple(map(float, observed)), period, tenure, segment.id, rounds,
        tuple(map(float, final.survival[::step])), tuple(map(float, final.baseline[::step])),
    )  # fmt: skip


def _segment(scenario: Scenario, segment_id: str | None):
    ids = [segment.id for segment in scenario.segments]
    if segment_id is None:
        if len(ids) == 1:
            return scenario.segments[0]
        raise CalibrationError(
            f"scenario '{scenario.meta.id}' has {len(ids)} segments ({', '.join(ids)}):"
            " name one with --segment"
        )
    if segment_id not in ids:
        raise CalibrationError(
            f"scenario '{scenario.meta.id}' has no segment '{segment_id}'; its segments:"
            f" {', '.join(ids)}"
        )
    segment = scenario.segments[ids.index(segment_id)]
    if segment.count == 0:
        raise CalibrationError(
            f"segment '{segment_id}' has no starting customers (count = 0) to follow"
        )
    return segment


def render_cohort_report(fit: CohortFit) -> str:
    """A plain-text report: the shapes, the fit period by period, and what share of
    the churn the baseline accounts for."""
    unit = fit.period
    step = QUARTERS_PER[fit.period]
    where = (
        f"segment '{fit.segment}' in its scenario, drivers included ({fit.rounds} rounds of"
        " simulation)"
        if fit.segment is not None
        else "the plain shifted-beta-geometric model (no drivers)"
    )
    lines = [
        *textwrap.wrap(
            f"Fit of {len(fit.counts)} counts ({len(fit.counts) - 1} {unit}s) to {where}", 80
        ),
        "",
        f"  a   {float(f'{fit.a:.4g}')}",
        f"  b   {float(f'{fit.b:.4g}')}",
    ]
    if fit.tenure:
        lines.append(
            f"  tenure   {fit.tenure} quarters: churn drawn from Beta(a, b + {fit.tenure})"
        )
    if step > 1:
        lines.append("  (a quarterly model, compared with the counts at each year's end)")
    # Without a scenario the baseline is the whole model: no column of its own.
    with_drivers = fit.segment is not None
    lines += [
        "",
        f"  {unit:>7}  {'observed':>8}  {'fitted':>8}  {'diff':>7}  {'3 s.e.':>6}"
        + (f"  {'baseline alone':>14}" if with_drivers else ""),
    ]
    rows = zip(fit.observed, fit.simulated, fit.standard_errors(), fit.baseline, strict=True)
    for number, (observed, fitted, error, baseline) in enumerate(rows):
        mark = " *" if abs(observed - fitted) > 3 * error + 1e-12 else ""
        difference = observed - fitted
        difference = 0.0 if round(difference, 4) == 0 else difference
        alone = f"  {baseline:>14.4f}" if with_drivers else ""
        lines.append(
            f"  {number:>7}  {observed:>8.4f}  {fitted:>8.4f}  {difference:>+7.4f}"
            f"  {3 * error:>6.4f}{alone}{mark}"
        )
    lost, lost_baseline = 1 - fit.simulated[-1], 1 - fit.baseline[-1]
    last = step * (len(fit.counts) - 1)
    lines += [
        "",
        "  (shares of the starting customers; * where the fit misses by more than three",
        "  standard errors of the observed share)",
        "",
    ]
    if fit.segment is not None and lost > 0:
        # The points the drivers add are the difference of the two shares as printed,
        # so that a reader who subtracts them finds the same figure.
        lost_shown, alone_shown = round(100 * lost, 1), round(100 * lost_baseline, 1)
        when = f"year {len(fit.counts) - 1} (quarter {last})" if step > 1 else f"quarter {last}"
        lines += textwrap.wrap(
            f"By {when} the segment loses {lost_shown:.1f}% of its starting customers;"
            f" the baseline alone would lose {alone_shown:.1f}%, so the drivers add"
            f" {lost_shown - alone_shown:.1f} points.",
            80,
        )
        lines.append("")
    paste = "Paste into the segment of your scenario:"
    if fit.at_search_edge:
        lines += [*textwrap.wrap(EDGE_NOTE, 80), ""]
        paste = "The edge of the search, should you paste it anyway (it does not fit):"
    lines += [paste, "", fit.toml_snippet()]
    return "\n".join(lines) + "\n"
