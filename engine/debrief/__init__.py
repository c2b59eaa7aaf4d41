"""The debrief of a game: the appraisal, the goals, what was really going on, the turning
points, the lessons and achievements, and the series to chart.

Headless: the game shows a ``Debrief``, and a facilitator's report can print the same one.
Everything here reads a ``GameSession``'s history and reports; nothing changes the game.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.debrief.appraisal import (
    ARC_WORDS,
    BANDS,
    band,
    loss_sentence,
    losses_by_driver,
    observations,
    verdict,
)
from engine.debrief.figures import (
    CHARTS,
    Chart,
    Figure,
    Line,
    charts,
    figure,
    revealing_interventions,
    seen_mask,
)
from engine.debrief.lessons import LessonReason, lesson_reasons, lesson_results
from engine.debrief.results import (
    AchievementResult,
    GoalResult,
    LessonResult,
    condition_value,
    describe_condition,
)
from engine.debrief.truth import TRUTH, findings
from engine.debrief.turning_points import (
    MAX_TURNING_POINTS,
    MIN_POINTS,
    DecisionsTaken,
    TurningPoint,
    because,
    decisions_taken,
    quarter_effects,
    turning_points,
    turning_quarters,
)
from engine.presentation import METRIC_PRESENTATION
from engine.session import GameSession

__all__ = [
    "ARC_WORDS",
    "BANDS",
    "CHARTS",
    "MAX_TURNING_POINTS",
    "MIN_POINTS",
    "TRUTH",
    "AchievementResult",
    "Chart",
    "Debrief",
    "DecisionsTaken",
    "Figure",
    "GoalResult",
    "LessonReason",
    "LessonResult",
    "Line",
    "TurningPoint",
    "band",
    "because",
    "charts",
    "condition_value",
    "debrief",
    "decisions_taken",
    "describe_condition",
    "figure",
    "findings",
    "lesson_reasons",
    "lesson_results",
    "loss_sentence",
    "losses_by_driver",
    "observations",
    "quarter_effects",
    "revealing_interventions",
    "seen_mask",
    "turning_points",
    "turning_quarters",
    "verdict",
]


@dataclass(frozen=True)
class Debrief:
    scenario_id: str
    scenario_title: str
    company: str
    currency: str
    seed: int
    player: str  # the player's or team's name ("" when none was typed)
    quarters: int  # quarters played
    score: float  # 0..100
    stars: int  # 0..3
    star_thresholds: tuple[float, float, float]
    grade: str  # A..F
    standing: str  # the band's name
    verdict: str
    place: int | None  # high-score rank, if the game made the table
    high_score_news: str | None  # said only when news (engine.progress.high_score_news)
    goals: tuple[GoalResult, ...]
    losses: tuple[tuple[str, int], ...]  # (driver, customers lost), largest first
    truth: tuple[Figure, ...]  # the side-by-side table's columns
    findings: tuple[str, ...]
    turning_points: tuple[TurningPoint, ...]
    lessons: tuple[LessonResult, ...]
    achievements: tuple[AchievementResult, ...]
    charts: tuple[Chart, ...]

    @property
    def goals_met(self) -> int:
        return sum(goal.met for goal in self.goals)


def audited(session: GameSession) -> bool:
    """Whether the player made the survey more honest: adopted something that builds
    data credibility, or answered a dilemma with it."""
    builds = {
        intervention.id
        for intervention in session.scenario.interventions
        if any(e.lever == "data_investment" and e.amount > 0 for e in intervention.effects)
    }
    if builds & set(session.adoptions()):
        return True
    return any(
        lever == "data_investment" and amount > 0
        for report in session.reports
        for changed in report.changed
        if changed.choice is not None
        for lever, amount in changed.effects
    )


def debrief(session: GameSession) -> Debrief:
    """The debrief of a game (normally finished; a game in progress is appraised so far)."""
    if not session.reports:
        raise ValueError("a debrief needs at least one quarter played")
    scenario = session.scenario
    history = session.state.history
    outcome = session.outcome()
    currency = scenario.company.currency
    score = float(outcome.score[0])
    grade_band = band(score, scenario.scoring.stars)
    truth = {
        metric: figure(session, metric, METRIC_PRESENTATION[metric].column_label)
        for metric in TRUTH
    }
    series = {metric: fig.values for metric, fig in truth.items()}
    seen = {metric: fig.seen for metric, fig in truth.items()}
    losses = losses_by_driver(history)

    goals = []
    for goal in scenario.goals:
        values = session.series(goal.metric)
        goals.append(
            GoalResult(
                id=goal.id,
                text=goal.text,
                metric=goal.metric,
                unit=METRIC_PRESENTATION[goal.metric].format,
                met=bool(outcome.goals[goal.id][0]),
                value=condition_value(goal, values),
                target=goal.at_least if goal.at_least is not None else goal.at_most,
                at_least=goal.at_least is not None,
                change=goal.measure == "change",
                for_quarters=goal.for_quarters,
            )
        )
    lessons = lesson_results(session, outcome.lessons)
    achievements = [
        AchievementResult(
            a.id,
            a.title,
            a.text,
            a.id in session.achieved or bool(outcome.achievements[a.id][0]),
            session.achieved.get(a.id),
        )
        for a in scenario.achievements
    ]
    achievements.sort(key=lambda a: not a.earned)
    return Debrief(
        scenario_id=scenario.meta.id,
        scenario_title=scenario.meta.title,
        company=scenario.company.name,
        currency=currency,
        seed=session.seed,
        player=session.player,
        quarters=session.quarter,
        score=score,
        stars=int(outcome.stars[0]),
        star_thresholds=tuple(scenario.scoring.stars),
        grade=BANDS[grade_band][0],
        standing=BANDS[grade_band][1],
        verdict=verdict(
            grade_band, losses, series, seen, kept=float(session.series("logo_retention")[-1])
        ),
        place=session.place,
        high_score_news=session.high_score_news,
        goals=tuple(goals),
        losses=tuple(losses),
        truth=tuple(truth.values()),
        findings=tuple(findings(truth, audited(session))),
        turning_points=turning_points(session),
        lessons=tuple(lessons),
        achievements=tuple(achievements),
        charts=charts(session),
    )
