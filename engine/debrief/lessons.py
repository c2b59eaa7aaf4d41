"""Why each lesson applies to a game or not, in plain words from the game's own numbers
and decisions (never the scenario's thresholds)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.conditions import holds
from engine.debrief.results import LessonResult, condition_value
from engine.formatting import format_change, format_value
from engine.presentation import METRIC_PRESENTATION
from engine.scenario.schema import Condition, Lesson
from engine.session import GameSession


@dataclass(frozen=True)
class LessonReason:
    """One condition of a lesson, as it turned out in the game."""

    kind: str  # "metric", "adopted", "never_adopted", "chose" or "never_chose"
    subject: str  # the metric, intervention id or 'EVENT.CHOICE'
    holds: bool  # whether the condition held in this game
    text: str  # what happened, in words
    values: tuple[float, ...] = ()  # for a metric: (start, end) or (the deciding value,)


def short_of(condition: Condition, start: float, end: float) -> str:
    """For a condition that did not hold although its figure moved its way: how it fell
    short, in words (a lesson's reason never shows the scenario's threshold)."""
    if condition.measure == "change":
        moved_its_way = (condition.at_most is not None and end < start) or (
            condition.at_least is not None and end > start
        )
        return ", not far enough for this lesson" if moved_its_way else ""
    return (
        ", not as high as this lesson is about"
        if condition.at_least is not None
        else ", not as low as this lesson is about"
    )


def metric_reason(
    condition: Condition, series: np.ndarray, holds: bool, currency: str
) -> LessonReason:
    """'thrill rose from 0.55 to 0.70 in your game', 'dark share ended at 1.0%'; a
    condition that did not hold although its figure moved its way says it fell short."""
    shown = METRIC_PRESENTATION[condition.metric]
    name, unit = shown.words, shown.format
    values = np.asarray(series, dtype=np.float64)
    if condition.for_quarters > 1:
        value = condition_value(condition, values)
        worst = "lowest" if condition.at_least is not None else "highest"
        fmt = format_change if condition.measure == "change" else format_value
        what = "change in " + name if condition.measure == "change" else name
        text = (
            f"over the last {condition.for_quarters} quarters, {what} was at its {worst} "
            f"{fmt(value, unit, currency)}"
        )
        if not holds and condition.measure != "change":
            text += short_of(condition, value, value)
        return LessonReason("metric", condition.metric, holds, text, (value,))
    start, end = float(values[0]), float(values[-1])
    if condition.measure == "change":
        before, after = format_value(start, unit, currency), format_value(end, unit, currency)
        if before == after:
            text = f"{name} held at {after} in your game"
        else:
            verb = "rose" if end > start else "fell"
            text = f"{name} {verb} from {before} to {after} in your game"
            if not holds:
                text += short_of(condition, start, end)
        return LessonReason("metric", condition.metric, holds, text, (start, end))
    text = f"{name} ended at {format_value(end, unit, currency)} in your game"
    if not holds:
        text += short_of(condition, start, end)
    return LessonReason("metric", condition.metric, holds, text, (end,))


def _quarters(quarters: list[int]) -> str:
    listed = [str(q) for q in quarters]
    if len(listed) == 1:
        return f"quarter {listed[0]}"
    return "quarters " + ", ".join(listed[:-1]) + " and " + listed[-1]


def lesson_reasons(lesson: Lesson, session: GameSession) -> tuple[LessonReason, ...]:
    """Every condition of ``lesson`` as it turned out in the game, in the lesson's order."""
    scenario = session.scenario
    currency = scenario.company.currency
    reasons = []
    if lesson.when is not None:
        held = bool(holds(lesson.when, session.state.history)[0])
        reasons.append(
            metric_reason(lesson.when, session.series(lesson.when.metric), held, currency)
        )
    adopted = session.adoptions()
    for key, wanted in (("adopted", True), ("never_adopted", False)):
        for name in getattr(lesson, key):
            title = scenario.intervention(name).name
            done = name in adopted
            text = (
                f"you adopted '{title}' in {_quarters(adopted[name])}"
                if done
                else f"you never adopted '{title}'"
            )
            reasons.append(LessonReason(key, name, done == wanted, text))
    given = session.answers()
    events = {event.id: event for event in scenario.events}
    for key, wanted in (("chose", True), ("never_chose", False)):
        for answer in getattr(lesson, key):
            event_id, choice_id = answer.split(".")
            event = events[event_id]
            label = next(c.label for c in event.choices if c.id == choice_id)
            done = answer in given
            text = (
                f"you answered '{label}' to '{event.title}' in quarter {given[answer]}"
                if done
                else f"you never answered '{label}' to '{event.title}'"
            )
            reasons.append(LessonReason(key, answer, done == wanted, text))
    return tuple(reasons)


def lesson_results(session: GameSession, applies: dict[str, np.ndarray]) -> list[LessonResult]:
    """The scenario's lessons, those that apply first, each with its reasons: all of
    them for a lesson that applies, the ones that failed for a lesson that does not."""
    results = []
    for lesson in session.scenario.lessons:
        reasons = lesson_reasons(lesson, session)
        applied = bool(applies[lesson.id][0])
        shown = reasons if applied else tuple(r for r in reasons if not r.holds)
        results.append(
            LessonResult(
                lesson.id,
                lesson.title,
                lesson.text,
                applied,
                "; ".join(reason.text for reason in shown),
                shown,
            )
        )
    results.sort(key=lambda lesson: not lesson.applies)
    return results
