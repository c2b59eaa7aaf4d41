"""The room's records as table rows: the roster, the leaderboard, who adopted what.

Plain functions of the room's data (and a clock, so "last seen" is stable in tests);
the console puts their rows into DataTables.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.formatting import format_value
from engine.presentation import METRIC_PRESENTATION
from engine.rooms import Decision, Standing, TeamInfo
from engine.scenario.schema import Scenario

# The leaderboard's figures, in this order, where the standings have them.
BOARD_METRICS = ("logo_retention", "revenue", "engagement", "csat_reported")
# The roster's words for each status (the room's own word is the key).
STATUS_WORDS = {
    "joined": "joined",
    "deciding": "deciding",
    "submitted": "submitted ✓",
    "defaulted": "defaulted",
    "offline": "offline",
}


def seen_words(last_seen: float | None, now: float) -> str:
    """How long ago a team was last heard from: ``now``, ``12 s ago``, ``3 min ago``."""
    if last_seen is None:
        return "never"
    ago = max(0.0, now - last_seen)
    if ago < 5:
        return "now"
    if ago < 120:
        return f"{ago:.0f} s ago"
    return f"{ago / 60:.0f} min ago"


def roster_rows(teams: Sequence[TeamInfo], now: float) -> list[tuple[str, str, str, str]]:
    """(team, status, last seen, quarters played) per team, in joining order."""
    return [
        (
            team.name,
            STATUS_WORDS.get(team.status, team.status),
            seen_words(team.last_seen, now),
            str(team.played),
        )
        for team in sorted(teams, key=lambda t: t.joined_at)
    ]


def board_metrics(standings: Sequence[Standing]) -> list[str]:
    """The figures the leaderboard shows: those of ``BOARD_METRICS`` the teams can see."""
    seen = set().union(*(s.figures for s in standings)) if standings else set()
    return [metric for metric in BOARD_METRICS if metric in seen]


def true_metrics(standings: Sequence[Standing]) -> list[str]:
    """The hidden figures revealed, in the order the standings give them."""
    names: list[str] = []
    for standing in standings:
        for metric in standing.true_figures or {}:
            if metric not in names:
                names.append(metric)
    return names


def board_header(standings: Sequence[Standing]) -> list[str]:
    """The leaderboard's column titles."""
    figures = [METRIC_PRESENTATION[m].label for m in board_metrics(standings)]
    hidden = [f"{METRIC_PRESENTATION[m].label} (true)" for m in true_metrics(standings)]
    return ["#", "Team", "Score", "Stars", "Grade", *figures, *hidden]


def board_rows(standings: Sequence[Standing], currency: str) -> list[list[str]]:
    """One row per team, best first, as ``board_header`` names the columns."""

    def shown(metric: str, values: dict[str, float] | None) -> str:
        if not values or metric not in values:
            return "–"
        return format_value(values[metric], METRIC_PRESENTATION[metric].format, currency)

    metrics, hidden = board_metrics(standings), true_metrics(standings)
    return [
        [
            str(s.rank),
            s.team,
            f"{s.score:.0f}",
            "★" * s.stars + "☆" * (3 - s.stars),
            s.grade,
            *(shown(m, s.figures) for m in metrics),
            # A figure one team's decisions made visible (feedback cards show the
            # dark share) is in its seen figures, not its hidden ones: the revealed
            # column shows it all the same rather than a dash.
            *(shown(m, s.figures | (s.true_figures or {})) for m in hidden),
        ]
        for s in standings
    ]


def intervention_letters(scenario: Scenario) -> dict[str, str]:
    """A short mark per intervention for the adoption grid: A, B, … then AA, AB, …"""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    marks = {}
    for index, intervention in enumerate(scenario.interventions):
        first, second = divmod(index, len(alphabet))
        marks[intervention.id] = (alphabet[first - 1] if first else "") + alphabet[second]
    return marks


def adoption_rows(
    teams: Sequence[str], decisions: Sequence[Decision], quarters: int, scenario: Scenario
) -> list[list[str]]:
    """Per team, per quarter: the marks of what it adopted (``–`` nothing; ``*`` after a
    quarter the room defaulted for it); blank for quarters not yet closed."""
    letters = intervention_letters(scenario)
    cells = {(d.team, d.quarter): d for d in decisions}
    rows = []
    for team in teams:
        row = [team]
        for quarter in range(1, quarters + 1):
            decision = cells.get((team, quarter))
            if decision is None:
                row.append("")
                continue
            marks = "".join(letters.get(i, "?") for i in decision.interventions) or "–"
            row.append(marks + ("*" if decision.source != "team" else ""))
        rows.append(row)
    return rows


def adoption_legend(scenario: Scenario) -> str:
    """What each mark of the adoption grid stands for."""
    letters = intervention_letters(scenario)
    pairs = [f"{letters[i.id]} {i.name}" for i in scenario.interventions]
    return "   ".join(pairs) + "   – nothing   * defaulted at the close"
