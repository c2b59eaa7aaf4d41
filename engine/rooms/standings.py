"""The leaderboard: each team's score so far by the scenario's rules, its stars and
grade, and the figures it can see (the hidden true ones only once revealed).

A team's row depends only on its game, which depends only on its final decisions, which
never change once written: so each row is worked out once per team and quarter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.debrief.appraisal import BANDS, band
from engine.presentation import METRIC_PRESENTATION
from engine.rooms.records import Standing, TeamStatus
from engine.session import GameSession


@dataclass(frozen=True)
class Result:
    """What the leaderboard shows of one team's game as of one quarter."""

    score: float
    stars: int
    grade: str
    figures: dict[str, float]  # the figures the team can see
    hidden: dict[str, float]  # the true figures it cannot see yet


def result_of(game: GameSession) -> Result:
    """The leaderboard's view of a game as it stands."""
    outcome = game.outcome()
    score = float(outcome.score[0])
    figures: dict[str, float] = {}
    hidden: dict[str, float] = {}
    for metric in METRIC_PRESENTATION:
        if metric in game.state.history:
            (figures if game.visible(metric) else hidden)[metric] = game.latest(metric)
    grade = BANDS[band(score, game.scenario.scoring.stars)][0]
    return Result(score, int(outcome.stars[0]), grade, figures, hidden)


class ResultCache:
    """Results by (team id, quarter): a refresh with nothing new evaluates nothing."""

    def __init__(self) -> None:
        self._results: dict[tuple[int, int], Result] = {}

    def result(self, team_id: int, game: GameSession) -> Result:
        """The team's result as of its game's latest quarter."""
        key = (team_id, game.quarter)
        if key not in self._results:
            self._results[key] = result_of(game)
        return self._results[key]


def leaderboard(
    entries: Sequence[tuple[str, TeamStatus, Result]], *, reveal: bool
) -> list[Standing]:
    """Rows best score first; equal scores share a rank (1, 1, 3) and list by name."""
    ordered = sorted(entries, key=lambda entry: (-entry[2].score, entry[0].casefold()))
    standings: list[Standing] = []
    for position, (team, status, result) in enumerate(ordered, start=1):
        tied = standings and standings[-1].score == result.score
        standings.append(
            Standing(
                rank=standings[-1].rank if tied else position,
                team=team,
                score=result.score,
                stars=result.stars,
                grade=result.grade,
                figures=dict(result.figures),
                true_figures=dict(result.hidden) if reveal else None,
                status=status,
            )
        )
    return standings
