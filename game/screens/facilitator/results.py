"""What closed rounds changed, read from the room in one go (off the app's thread:
the leaderboard replays each team's newest quarter right after a close)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.debrief import Chart
from engine.rooms import Decision, Room, RoomInfo, Standing
from engine.scenario.schema import Scenario
from game.screens.facilitator.team_charts import TEAM_CHART_METRICS, team_chart


@dataclass(frozen=True)
class RoomResults:
    """The room's results at one reading: the leaderboard, a chart per metric with a
    line per team, and the final decisions of closed rounds."""

    info: RoomInfo
    scenario: Scenario
    teams: list[str]  # in joining order
    standings: list[Standing]
    charts: dict[str, Chart]  # metric -> chart
    decisions: list[Decision]


def read_results(room: Room) -> RoomResults:
    """Read the room's results now (safe from a worker thread: a Room is)."""
    info = room.info()
    teams = [team.name for team in sorted(room.teams(), key=lambda t: t.joined_at)]
    standings = room.standings()
    games = {name: room.game(name) for name in teams}
    closed = min(info.quarter - 1, info.quarters)
    return RoomResults(
        info=info,
        scenario=room.scenario(),
        teams=teams,
        standings=standings,
        charts={metric: team_chart(metric, games) for metric in TEAM_CHART_METRICS},
        decisions=[d for d in room.decisions() if d.quarter <= closed],
    )
