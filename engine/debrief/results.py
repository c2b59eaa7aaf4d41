"""Goals, lessons and achievements of a finished game, with the figures that decided them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.formatting import format_change, format_value
from engine.presentation import METRIC_PRESENTATION
from engine.scenario.schema import Condition


@dataclass(frozen=True)
class GoalResult:
    id: str
    text: str
    metric: str
    unit: str
    met: bool
    value: float  # the final level (or change since the start)
    target: float
    at_least: bool
    change: bool  # the goal is on the change since the start
    for_quarters: int

    def describe(self, currency: str = "$") -> str:
        """'thrill 0.37, needed at least 0.45'."""
        fmt = format_change if self.change else format_value
        value, target = fmt(self.value, self.unit, currency), fmt(self.target, self.unit, currency)
        if value == target and not self.met:  # 0.65 is not 0.65: show the digit that decides
            value = fmt(self.value, self.unit, currency, precise=True)
            target = fmt(self.target, self.unit, currency, precise=True)
        what = METRIC_PRESENTATION[self.metric].words
        if self.change:
            what = f"change in {what}"
        if self.for_quarters > 1:
            what = f"{what} (worst of the last {self.for_quarters} quarters)"
        bound = "at least" if self.at_least else "at most"
        return f"{what} {value}, needed {bound} {target}"


def condition_value(condition: Condition, series: np.ndarray) -> float:
    """The value that decides a condition: the level (or the change since the start) at
    the end, or over several quarters, the worst of them."""
    values = np.asarray(series, dtype=np.float64)
    if condition.measure == "change":
        values = values - values[0]
    window = values[-condition.for_quarters :]
    return float(window.min() if condition.at_least is not None else window.max())


def describe_condition(condition: Condition, series: np.ndarray, currency: str = "$") -> str:
    """Why a condition holds or not: 'thrill changed by -0.18; applies at -0.15 or less'."""
    unit = METRIC_PRESENTATION[condition.metric].format
    fmt = format_change if condition.measure == "change" else format_value
    value = fmt(condition_value(condition, series), unit, currency)
    bound = fmt(
        condition.at_least if condition.at_least is not None else condition.at_most,
        unit,
        currency,
    )
    name = METRIC_PRESENTATION[condition.metric].words
    side = "or more" if condition.at_least is not None else "or less"
    verb = "changed by" if condition.measure == "change" else "ended at"
    if condition.for_quarters > 1:
        verb = f"over the last {condition.for_quarters} quarters, at worst {verb.split()[0]}"
    return f"{name} {verb} {value}; applies at {bound} {side}"


@dataclass(frozen=True)
class LessonResult:
    id: str
    title: str
    text: str
    applies: bool
    # What in the game made it apply, or kept it from applying, in words (empty for
    # lessons that always apply)
    evidence: str
    reasons: tuple = ()  # the engine.debrief.lessons.LessonReason claims behind it


@dataclass(frozen=True)
class AchievementResult:
    id: str
    title: str
    text: str
    earned: bool
    quarter: int | None  # when it was earned
