"""Turning points: the quarters whose decisions moved the final result most.

A quarter's decisions (its interventions and dilemma answers) are undone, replaced by
adopting nothing and answering each of its dilemmas otherwise, and the game is replayed
with the same seed (:mod:`engine.whatif`). The difference in the final score is what
that quarter's decisions did; a turning point is a quarter where it is large, and its
direction is that difference's sign, never a metric's swing in the quarter itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.formatting import format_change
from engine.presentation import DRIVER_PRESENTATION, METRIC_PRESENTATION
from engine.session import GameSession
from engine.whatif import WHATIF_METRICS, Effect, exact_effects
from engine.whatif_plans import dilemmas_answered, quarter_undecided

# A quarter whose decisions moved the final score by fewer points is not a turning point.
MIN_POINTS = 2.0
MAX_TURNING_POINTS = 3


def turning_quarters(
    effects: Mapping[int, float], limit: int = MAX_TURNING_POINTS
) -> list[tuple[int, float]]:
    """The quarters whose decisions moved the final score most, as (quarter, points), in
    quarter order: the largest effects, at most ``limit``, each at least
    ``MIN_POINTS`` and at least a third of the largest."""
    if not effects:
        return []
    ranked = sorted(effects, key=lambda quarter: (-abs(effects[quarter]), quarter))
    largest = abs(effects[ranked[0]])
    chosen = [
        (quarter, effects[quarter])
        for quarter in ranked[:limit]
        if abs(effects[quarter]) >= max(MIN_POINTS, largest / 3)
    ]
    return sorted(chosen)


@dataclass(frozen=True)
class DecisionsTaken:
    quarter: int
    adopted: tuple[str, ...]  # intervention names
    choices: tuple[tuple[str, str], ...]  # (dilemma title, choice label)
    events: tuple[str, ...]  # other events that happened

    @property
    def empty(self) -> bool:
        return not (self.adopted or self.choices or self.events)


@dataclass(frozen=True)
class TurningPoint:
    quarter: int
    effect: Effect  # the quarter's decisions against doing nothing and answering otherwise
    better: bool  # the decisions added to the final score
    title: str
    because: str  # the effect in words and numbers
    taken: tuple[DecisionsTaken, ...]  # the quarter's decisions
    moves: tuple[str, ...]  # what else the decisions changed by the end, and the quarter

    @property
    def points(self) -> float:
        """Points the quarter's decisions added to the final score (negative: cost)."""
        return self.effect.exact["score"]


def decisions_taken(session: GameSession, quarter: int) -> DecisionsTaken:
    report = session.reports[quarter - 1]
    return DecisionsTaken(
        quarter,
        tuple(report.adopted),
        tuple((title, choice) for title, choice in report.events if choice is not None),
        tuple(title for title, choice in report.events if choice is None),
    )


def quarter_effects(session: GameSession) -> dict[int, Effect]:
    """Quarter -> the exact effect of what was decided in it, for every quarter where
    something was adopted or a dilemma answered."""
    answered = dilemmas_answered(session)
    quarters = [
        quarter
        for quarter in range(1, session.quarter + 1)
        if session.reports[quarter - 1].adopted or answered.get(quarter)
    ]
    alternatives = [quarter_undecided(session, q, answered.get(q, [])) for q in quarters]
    return dict(zip(quarters, exact_effects(session, alternatives), strict=True))


def points_words(points: float) -> str:
    """'12 points', '1 point', '0.4 points'."""
    size = abs(points)
    text = f"{size:.0f}" if size >= 1 else f"{size:.1f}"
    return f"{text} point{'' if text == '1' else 's'}"


def decided_words(taken: DecisionsTaken) -> str:
    """What was decided in a quarter, as the subject of a sentence: "Adopting 'A' and
    'B' and answering 'Hold' to 'Quarter-end'"."""
    parts = []
    if taken.adopted:
        names = [f"'{name}'" for name in taken.adopted]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"adopting {listed}")
    parts.extend(f"answering '{choice}' to '{title}'" for title, choice in taken.choices)
    return " and ".join(parts)


def against_words(session: GameSession, taken: DecisionsTaken, effect: Effect) -> str:
    """What the quarter's decisions are compared with: "adopting nothing and answering
    'Push'"."""
    quarter = effect.alternative.quarter
    answers = effect.alternative.policy.for_quarter(quarter).choices
    labels = {
        event.id: {choice.id: choice.label for choice in event.choices}
        for event in session.scenario.events
    }
    parts = ["adopting nothing"] if taken.adopted else []
    parts.extend(
        f"answering '{labels[event_id][choice_id]}'" for event_id, choice_id in answers.items()
    )
    return " and ".join(parts)


def because(taken: DecisionsTaken, points: float, against: str) -> str:
    """The sentence saying what a quarter's decisions did to the final score."""
    subject = decided_words(taken)
    subject = subject[0].upper() + subject[1:]
    done = f"added {points_words(points)} to" if points >= 0 else f"cost {points_words(points)} of"
    return f"{subject} in quarter {taken.quarter} {done} the final score, against {against}."


def moves(session: GameSession, quarter: int, effect: Effect) -> list[str]:
    """What the quarter's decisions changed by the end of the game (the what-if's other
    figures), then what happened in the quarter itself."""
    lines = []
    for metric in WHATIF_METRICS[1:]:
        shown = METRIC_PRESENTATION[metric]
        lines.append(
            f"{shown.trend_label}: {format_change(effect.exact[metric], shown.format)} "
            "by the game's end"
        )
    report = session.reports[quarter - 1]
    lost = f"Customers lost in Q{quarter}: {report.defections:,}"
    if report.causes:
        lost += f", mostly {DRIVER_PRESENTATION[report.causes[0][0]].phrase}"
    lines.append(lost)
    if report.went_dark:
        lines.append(f"{report.went_dark:,} customers went dark in Q{quarter}")
    return lines


def turning_points(session: GameSession) -> tuple[TurningPoint, ...]:
    """The quarters whose decisions moved the final score most, in quarter order."""
    effects = quarter_effects(session)
    found = []
    for quarter, points in turning_quarters(
        {quarter: effect.exact["score"] for quarter, effect in effects.items()}
    ):
        better = points > 0
        taken = decisions_taken(session, quarter)
        found.append(
            TurningPoint(
                quarter=quarter,
                effect=effects[quarter],
                better=better,
                title=f"Quarter {quarter}: a turn for the {'better' if better else 'worse'}",
                because=because(taken, points, against_words(session, taken, effects[quarter])),
                taken=(taken,),
                moves=tuple(moves(session, quarter, effects[quarter])),
            )
        )
    return tuple(found)
