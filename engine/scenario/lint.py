"""Warnings about a valid scenario: what loads, but is almost certainly not meant.

``goingdark check`` prints them as ``FILE:LINE: key.path: warning: ...`` and still
exits 0 (``--strict`` makes them errors). Each is computed from the scenario itself,
and says what it computed:

- a score term whose ``worst``/``best`` lie outside its metric's range, so the term
  scores the same (or only part of its weight) in every game;
- a threshold in the wrong unit: a share (0.45) on a money or count metric;
- an intervention costing more than any quarter's budget can ever be;
- a customer count whose default ``goingdark run`` would exceed the memory budget;
- an achievement earned at the starting position, before the player can act.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

from engine.errors import Problem
from engine.formatting import exact_money, format_value
from engine.memory import MEMORY_BUDGET, MIB
from engine.scenario.locate import KeyLocator
from engine.scenario.schema import Condition, Scenario
from engine.setup import initial_state
from engine.simulate import memory_needed
from engine.textfile import RawPath, display_path, parse_toml, plain_number
from engine.vocabulary import METRIC_INFO, metric_range
from engine.world import World


def most_budget(scenario: Scenario) -> float | None:
    """The most budget any quarter can start with, or None when a share of profit is
    added (profits have no fixed top): the start, plus every later grant saved up when
    unspent budget carries over, else the larger of the start and one grant."""
    budget = scenario.company.budget
    if budget.profit_share > 0:
        return None
    if budget.carry_over:
        return budget.start + (scenario.meta.quarters - 1) * budget.per_quarter
    return max(budget.start, budget.per_quarter)


class _Linter:
    """Collects the warnings of one scenario, each at its key and line."""

    def __init__(self, scenario: Scenario, text: str, path: Path | None):
        self.scenario = scenario
        self.data = parse_toml(text.removeprefix("\ufeff"))
        self.locator = KeyLocator(text)
        self.path = path
        self.warnings: list[Problem] = []

    def warn(self, raw: RawPath, message: str) -> None:
        self.warnings.append(
            Problem(self.path, self.locator.line(raw), display_path(raw, self.data), message)
        )

    def money(self, amount: float) -> str:
        return exact_money(amount, self.scenario.company.currency)

    # --- score bounds -------------------------------------------------------------------
    def score_bounds(self) -> None:
        for index, term in enumerate(self.scenario.scoring.terms):
            info = METRIC_INFO[term.metric]
            if info.unit not in ("share", "level"):
                continue
            low, high = metric_range(term.metric)
            outside = [key for key in ("worst", "best") if not low <= getattr(term, key) <= high]
            if not outside:
                continue

            def progress(value: float, term=term) -> float:
                if math.isinf(value):
                    rising = (term.best > term.worst) == (value > 0)
                    return 1.0 if rising else 0.0
                return min(max((value - term.worst) / (term.best - term.worst), 0.0), 1.0)

            least, most = sorted((progress(low), progress(high)))
            reach = "from 0" + (" up" if math.isinf(high) else " to 1")
            key = outside[0]
            said = (
                f"it scores {least:.0%} of its weight in every game"
                if least == most
                else f"it can only score between {least:.0%} and {most:.0%} of its weight"
            )
            self.warn(
                ("scoring", "terms", index, key),
                f"{term.metric} is a {info.unit} {reach}, but {key} = "
                f"{plain_number(getattr(term, key))}: {said}",
            )

    # --- thresholds ---------------------------------------------------------------------
    def conditions(self) -> Iterator[tuple[RawPath, Condition, str]]:
        """Every condition of the scenario with its key path and what it belongs to."""
        scenario = self.scenario
        for index, goal in enumerate(scenario.goals):
            yield ("goals", index), goal, f"goal '{goal.id}'"
        for index, achievement in enumerate(scenario.achievements):
            if achievement.condition is not None:
                raw = ("achievements", index, "condition")
                yield raw, achievement.condition, f"achievement '{achievement.id}'"
        for index, lesson in enumerate(scenario.lessons):
            if lesson.when is not None:
                yield ("lessons", index, "when"), lesson.when, f"lesson '{lesson.id}'"
        for index, event in enumerate(scenario.events):
            if event.condition is not None:
                yield ("events", index, "condition"), event.condition, f"event '{event.id}'"

    def threshold_units(self) -> None:
        for raw, condition, _ in self.conditions():
            unit = METRIC_INFO[condition.metric].unit
            key = "at_least" if condition.at_least is not None else "at_most"
            value = getattr(condition, key)
            if unit not in ("money", "count") or not 0 < abs(value) < 1:
                continue
            what = (
                f"an amount of money in {self.scenario.company.currency}"
                if unit == "money"
                else "a number of people"
            )
            self.warn(
                (*raw, key),
                f"{condition.metric} is {what}, so {plain_number(value)} reads like a share: "
                "did you mean a share metric, or a whole amount?",
            )

    # --- costs --------------------------------------------------------------------------
    def costs(self) -> None:
        most = most_budget(self.scenario)
        if most is None:
            return
        budget = self.scenario.company.budget
        how = (
            f"{self.money(budget.start)} at the start plus {self.money(budget.per_quarter)} "
            f"a quarter, all saved up"
            if budget.carry_over
            else f"the larger of {self.money(budget.start)} at the start and "
            f"{self.money(budget.per_quarter)} a quarter, as unspent budget does not carry over"
        )
        for index, intervention in enumerate(self.scenario.interventions):
            if intervention.cost > most:
                self.warn(
                    ("interventions", index, "cost"),
                    f"costs {self.money(intervention.cost)}, more than any quarter's budget "
                    f"can be ({self.money(most)}: {how}), so it can never be adopted",
                )

    # --- size ---------------------------------------------------------------------------
    def size(self, world: World) -> bool:
        """Warn, and say so, when one default run would exceed the memory budget."""
        quarters = self.scenario.meta.quarters
        needed = memory_needed(world, 1, quarters)
        if needed > MEMORY_BUDGET:
            self.warn(
                ("segments",),
                f"{world.initial_customers:,} customers need about {needed / MIB:,.0f} MiB for "
                f"one run of {quarters} quarters with its recorded figures, over the "
                f"{MEMORY_BUDGET / MIB:,.0f} MiB budget, so goingdark run refuses it; use "
                "fewer customers",
            )
            return True
        return False

    # --- the starting position ----------------------------------------------------------
    def earned_at_start(self, world: World) -> None:
        """Achievements whose condition holds at the starting position and need hold for
        one quarter only: earned in quarter 1, before anything the player decides there
        has taken effect, unless quarter 1 itself undoes it. (Goals are judged at the end,
        so a goal met at the start is how a "keep it so" goal is written.)"""
        seed = self.scenario.meta.seed
        start = {name: values[0][0] for name, values in initial_state(world, seed).history.items()}
        for index, achievement in enumerate(self.scenario.achievements):
            condition = achievement.condition
            if condition is None or achievement.adopted or condition.for_quarters > 1:
                continue  # earned by adopting something, or by keeping it for a while
            value = float(start[condition.metric])
            measured = 0.0 if condition.measure == "change" else value
            key = "at_least" if condition.at_least is not None else "at_most"
            bound = getattr(condition, key)
            if not (measured >= bound if key == "at_least" else measured <= bound):
                continue
            shown = (
                "its change is 0 before anything changes"
                if condition.measure == "change"
                else f"{condition.metric} starts at {self.shown(condition.metric, value)}"
            )
            self.warn(
                ("achievements", index, "condition", key),
                f"achievement '{achievement.id}' holds at the starting position ({shown}, at "
                f"the scenario's seed {seed}) and needs to hold for one quarter only, so a "
                "player who does nothing earns it in quarter 1 unless that quarter undoes it",
            )

    def shown(self, metric: str, value: float) -> str:
        """A metric's value as the game shows it."""
        return format_value(value, METRIC_INFO[metric].unit, self.scenario.company.currency)

    def run(self) -> list[Problem]:
        self.score_bounds()
        self.threshold_units()
        self.costs()
        world = World.from_scenario(self.scenario)
        if not self.size(world):  # too large to set up: no starting position to judge
            self.earned_at_start(world)
        return sorted(self.warnings, key=lambda p: (p.line is None, p.line or 0, p.key))


def scenario_warnings(scenario: Scenario, text: str, path: Path | None = None) -> list[Problem]:
    """Every warning about a scenario that loaded (``text`` is its file's text, for the
    lines), sorted by line."""
    return _Linter(scenario, text, path).run()
