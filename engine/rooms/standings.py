"""The leaderboard: each team's score so far by the scenario's rules, its stars and
grade, and the figures it can see (the hidden true ones only once revealed)."""

from __future__ import annotations

from collections.abc import Sequence

from engine.debrief.appraisal import BANDS, band
from engine.presentation import METRIC_PRESENTATION
from engine.rooms.records import Standing, TeamStatus
from engine.session import GameSession


def leaderboard(
    entries: Sequence[tuple[str, TeamStatus, GameSession]], *, reveal: bool
) -> list[Standing]:
    """Rows best score first; equal scores share a rank (1, 1, 3) and list by name."""
    rows = []
    for team, status, game in entries:
        outcome = game.outcome()
        score = float(outcome.score[0])
        figures, hidden = {}, {}
        for metric in METRIC_PRESENTATION:
            if metric not in game.state.history:
                continue
            (figures if game.visible(metric) else hidden)[metric] = game.latest(metric)
        rows.append(
            (
                team,
                score,
                int(outcome.stars[0]),
                BANDS[band(score, game.scenario.scoring.stars)][0],
                figures,
                hidden if reveal else None,
                status,
            )
        )
    rows.sort(key=lambda row: (-row[1], row[0].casefold()))
    standings: list[Standing] = []
    for position, row in enumerate(rows, start=1):
        tied = standings and standings[-1].score == row[1]
        rank = standings[-1].rank if tied else position
        standings.append(Standing(rank, *row))
    return standings
