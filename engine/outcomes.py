"""A game's outcome by the scenario's own rules: score, stars, goals, achievements,
and which debrief lessons apply. Works on any number of runs at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.conditions import holds
from engine.scenario.schema import Achievement, Lesson, Scenario

History = Mapping[str, Sequence[np.ndarray]]


@dataclass(frozen=True)
class Outcome:
    score: np.ndarray  # (runs,) 0..100
    stars: np.ndarray  # (runs,) 0..3
    goals: dict[str, np.ndarray]  # goal id -> (runs,) met
    achievements: dict[str, np.ndarray]  # achievement id -> (runs,) earned
    lessons: dict[str, np.ndarray]  # lesson id -> (runs,) applies


def score(scenario: Scenario, history: History) -> np.ndarray:
    """0..100 per run: each term earns its weight in proportion to how far the metric
    got from ``worst`` toward ``best`` (clipped), over the summed weights."""
    terms = scenario.scoring.terms
    total = np.zeros_like(np.asarray(history["logo_retention"][0], dtype=np.float64))
    for term in terms:
        series = np.asarray(history[term.metric], dtype=np.float64)
        # Before the first quarter a "mean" term has nothing to average: use the start.
        played = series[1:] if len(series) > 1 else series
        value = series[-1] if term.aggregate == "final" else played.mean(axis=0)
        progress = np.clip((value - term.worst) / (term.best - term.worst), 0.0, 1.0)
        total += term.weight * progress
    return 100.0 * total / sum(term.weight for term in terms)


def stars(scenario: Scenario, scores: np.ndarray) -> np.ndarray:
    thresholds = np.asarray(scenario.scoring.stars)
    return (scores[:, None] >= thresholds[None, :]).sum(axis=1)


def achievement_earned(
    achievement: Achievement,
    history: History,
    ever_adopted: np.ndarray,
    intervention_index: Mapping[str, int],
    upto: int | None = None,
) -> np.ndarray:
    """Per run, whether an achievement has been earned by quarter ``upto`` (default: the
    latest): its condition held at some point and its decision criteria are met."""
    last = len(history["logo_retention"]) - 1 if upto is None else upto
    earned = np.ones(ever_adopted.shape[0], dtype=bool)
    for name in achievement.adopted:
        earned &= ever_adopted[:, intervention_index[name]]
    for name in achievement.never_adopted:
        earned &= ~ever_adopted[:, intervention_index[name]]
    if achievement.condition is not None:
        seen = np.zeros_like(earned)
        # Windows of quarters actually played: the starting position earns nothing.
        for quarter in range(achievement.condition.for_quarters, last + 1):
            seen |= holds(achievement.condition, history, upto=quarter)
        earned &= seen
    elif last < 1:
        earned &= False  # decision achievements are earned by playing, not at the start
    return earned


# Dilemma answers given: 'EVENT.CHOICE' -> (runs,) whether that answer was ever given.
Answers = Mapping[str, np.ndarray]


def lesson_applies(
    lesson: Lesson,
    history: History,
    ever_adopted: np.ndarray,
    intervention_index: Mapping[str, int],
    answers: Answers | None = None,
) -> np.ndarray:
    """Per run, whether a debrief lesson fits the game: its condition held at the end,
    the player adopted (or never adopted) the interventions it names and gave (or never
    gave) the dilemma answers it names. Without ``answers``, no dilemma was answered."""
    runs = ever_adopted.shape[0]
    applies = np.ones(runs, dtype=bool)
    if lesson.when is not None:
        applies &= holds(lesson.when, history)
    for name in lesson.adopted:
        applies &= ever_adopted[:, intervention_index[name]]
    for name in lesson.never_adopted:
        applies &= ~ever_adopted[:, intervention_index[name]]
    given = answers or {}
    never = np.zeros(runs, dtype=bool)
    for answer in lesson.chose:
        applies &= given.get(answer, never)
    for answer in lesson.never_chose:
        applies &= ~given.get(answer, never)
    return applies


def evaluate(
    scenario: Scenario,
    history: History,
    ever_adopted: np.ndarray,
    answers: Answers | None = None,
) -> Outcome:
    """The outcome of finished games (history covers quarters 0..end); ``answers`` are
    the dilemma answers given, for lessons that depend on them."""
    index = {item.id: i for i, item in enumerate(scenario.interventions)}
    scores = score(scenario, history)
    return Outcome(
        score=scores,
        stars=stars(scenario, scores),
        goals={goal.id: holds(goal, history) for goal in scenario.goals},
        achievements={
            achievement.id: achievement_earned(achievement, history, ever_adopted, index)
            for achievement in scenario.achievements
        },
        lessons={
            lesson.id: lesson_applies(lesson, history, ever_adopted, index, answers)
            for lesson in scenario.lessons
        },
    )
