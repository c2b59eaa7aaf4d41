"""Measuring every plan of a balance report, and the report as data (JSON-ready).

:func:`balance_report` plays the standard plans and a random search with common random
numbers and collects the findings; :func:`plan_summary` gives one plan's figures
as JSON-ready data, rounded so that they are stable for a fixed seed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from engine.balance.measure import PlanRuns, play_plan
from engine.balance.plans import Plan, standard_plans
from engine.balance.search import SearchSpace, plan_text, random_plans
from engine.errors import ParameterError
from engine.scenario.schema import Scenario
from engine.world import World

DEFAULT_RUNS = 64  # one block of runs: CRN differences are already precise
DEFAULT_SEARCH = 24
# Figures in the JSON are rounded to this many decimals, so that it reads the same on
# every machine for a fixed seed.
DECIMALS = 4

# Called after each plan is measured with (plans done, plans in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Measured:
    """A plan and what its runs came to."""

    plan: Plan
    runs: PlanRuns

    @property
    def mean_score(self) -> float:
        """The plan's mean score over the runs."""
        return float(self.runs.outcome.score.mean())


@dataclass(frozen=True)
class BalanceReport:
    """Every measured plan, the search's two extremes and how they were found."""

    scenario: Scenario
    seed: int
    runs: int
    measured: tuple[Measured, ...]
    best: Measured | None
    worst: Measured | None
    search: SearchSpace

    def all_plans(self) -> list[Measured]:
        """The standard plans, then the best and worst found by the search."""
        found = [m for m in (self.best, self.worst) if m is not None]
        return [*self.measured, *found]

    def of_kind(self, kind: str) -> list[Measured]:
        """The measured plans of one kind, in report order."""
        return [m for m in self.measured if m.plan.kind == kind]

    def headline_plans(self) -> list[tuple[str, Measured]]:
        """Doing nothing, each reference plan and the best plan found, with short names
        for table columns ("nothing", "ref 1", "best")."""
        columns = [("nothing", self.nothing())]
        columns += [(f"ref {i}", m) for i, m in enumerate(self.of_kind("reference"), start=1)]
        if self.best is not None:
            columns.append(("best", self.best))
        return columns

    def nothing(self) -> Measured:
        """Doing nothing (always measured first)."""
        return self.measured[0]


def outcome_groups(scenario: Scenario) -> list[tuple[str, list[tuple[str, str]], str]]:
    """Goals, achievements and lessons as (heading, [(id, words)], Outcome attribute)."""
    return [
        ("Goals", [(g.id, g.text) for g in scenario.goals], "goals"),
        ("Achievements", [(a.id, a.title) for a in scenario.achievements], "achievements"),
        ("Lessons", [(x.id, x.title) for x in scenario.lessons], "lessons"),
    ]


def _rounded(value: float) -> float:
    return round(float(value), DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def _shares(values: dict[str, np.ndarray]) -> dict[str, float]:
    return {key: _rounded(array.mean()) for key, array in values.items()}


def plan_summary(scenario: Scenario, measured: Measured) -> dict:
    """One plan's figures: score percentiles, stars, goals, achievements, lessons,
    the share of runs that carried it out, each segment's retention and drivers, and
    the drivers of every segment together."""
    outcome = measured.runs.outcome
    p05, p50, p95 = np.percentile(outcome.score, (5, 50, 95))
    plan = measured.plan
    return {
        "kind": plan.kind,
        "label": plan.label,
        "card": plan.card,
        "base": plan.base,
        "purchases": plan_text(scenario, plan),
        "score": {
            "mean": _rounded(outcome.score.mean()),
            "p05": _rounded(p05),
            "p50": _rounded(p50),
            "p95": _rounded(p95),
        },
        "stars": {str(n): _rounded((outcome.stars == n).mean()) for n in range(4)},
        "goals": _shares(outcome.goals),
        "achievements": _shares(outcome.achievements),
        "lessons": _shares(outcome.lessons),
        "carried_out": _rounded(measured.runs.carried_out.mean()),
        "segments": {
            segment.id: {
                "retention": _rounded(measured.runs.segment_retention[:, i].mean()),
                "defection_drivers": {
                    name: _rounded(share)
                    for name, share in measured.runs.segment_driver_shares(i).items()
                },
            }
            for i, segment in enumerate(scenario.segments)
        },
        "defection_drivers": {
            name: _rounded(share) for name, share in measured.runs.driver_shares().items()
        },
    }


def _measure_all(
    world: World,
    seed: int,
    runs: int,
    plans: list[Plan],
    progress: Progress,
    done: int,
    total: int,
) -> list[Measured]:
    """Each plan played ``runs`` times, on two threads (NumPy releases the GIL)."""
    results: list[Measured] = []

    def one(plan: Plan) -> Measured:
        return Measured(plan, play_plan(world, seed, runs, plan.policy))

    workers = min(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for measured in pool.map(one, plans):
            results.append(measured)
            done += 1
            progress(done, total)
    return results


def balance_report(
    scenario: Scenario,
    seed: int,
    runs: int = DEFAULT_RUNS,
    search: int = DEFAULT_SEARCH,
    progress: Progress | None = None,
) -> BalanceReport:
    """Measure every plan of the balance report of ``scenario`` with ``seed``."""
    if runs < 2:
        raise ParameterError(f"a balance report needs at least 2 runs, got {runs}")
    world = World.from_scenario(scenario)
    report_progress = progress or (lambda done, total: None)
    plans = standard_plans(scenario)
    candidates = random_plans(scenario, seed, search)
    screening_runs = min(runs, max(2, runs // 4))
    total = len(plans) + len(candidates) + (2 if candidates else 0)
    measured = _measure_all(world, seed, runs, plans, report_progress, 0, total)
    screened = _measure_all(
        world, seed, screening_runs, candidates, report_progress, len(plans), total
    )
    best = worst = None
    if screened:
        ranked = sorted(screened, key=lambda m: m.mean_score)
        extremes = [
            Plan(
                "search",
                f"Best plan found: {plan_text(scenario, ranked[-1].plan)}",
                ranked[-1].plan.policy,
            ),
            Plan(
                "search",
                f"Worst plan found: {plan_text(scenario, ranked[0].plan)}",
                ranked[0].plan.policy,
            ),
        ]
        best, worst = _measure_all(world, seed, runs, extremes, report_progress, total - 2, total)
    return BalanceReport(
        scenario,
        seed,
        runs,
        tuple(measured),
        best,
        worst,
        SearchSpace(len(candidates), screening_runs),
    )
