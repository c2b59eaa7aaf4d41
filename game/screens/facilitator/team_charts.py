"""Charts with one line per team: the same metric of every team's game, side by side."""

from __future__ import annotations

from collections.abc import Mapping

from engine.debrief import Chart, Line, figure
from engine.presentation import METRIC_PRESENTATION
from engine.session import GameSession

# The console's charts, in the order of its Charts tab.
TEAM_CHART_METRICS = ("logo_retention", "revenue", "engagement")


def team_chart(metric: str, games: Mapping[str, GameSession]) -> Chart:
    """``metric`` for every team (a line each, labelled by the team), visible or not:
    the facilitator decides with the reveal toggle whether to show the hidden ones."""
    shown = METRIC_PRESENTATION[metric]
    lines = tuple(
        Line(team, figure(session, metric, team), session.visible(metric))
        for team, session in games.items()
    )
    return Chart(metric, shown.chart_label, shown.format, shown.description, lines)
