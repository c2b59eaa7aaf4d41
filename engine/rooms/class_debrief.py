"""The class debrief of a room: every team's result, curves and decisions side by side,
what separated the top teams from the bottom ones, and the scenario's lessons as
discussion prompts, all computed from the teams' own games.

Headless: the facilitator's console shows a :class:`ClassDebrief`, and
:mod:`engine.rooms.report_html` / :mod:`engine.rooms.report_csv` write it to files.
:func:`class_debrief` works on any mapping of team name to :class:`GameSession`;
:func:`room_debrief` builds those from a room (each team's game rebuilt by replay).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.debrief.appraisal import BANDS, band
from engine.rooms.separators import Separator, separators
from engine.scenario.schema import Scenario
from engine.session import GameSession

if TYPE_CHECKING:  # only for the annotation: the store is not needed to debrief games
    from engine.rooms.room import Room

__all__ = [
    "CHARTS",
    "ClassDebrief",
    "Prompt",
    "TeamQuarter",
    "TeamResult",
    "class_debrief",
    "room_debrief",
]

# The charts of the class debrief: (title, unit, lines), each line (metric, kind) with kind
# "reported" (a figure the teams saw) or "true" (the model's truth, hidden from them).
CHARTS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Customers kept", "share", (("logo_retention", "reported"),)),
    ("Satisfaction", "level", (("csat_reported", "reported"), ("csat_true", "true"))),
    ("Dark customers", "share", (("dark_share", "true"),)),
    ("Revenue", "money", (("revenue", "reported"),)),
    ("Employee engagement", "level", (("engagement", "reported"),)),
)


@dataclass(frozen=True)
class TeamResult:
    """One team's result so far by the scenario's rules."""

    rank: int  # 1 = best; teams with the same score share a rank
    team: str
    score: float
    stars: int
    grade: str  # A..F, the single-player debrief's grade for this score


@dataclass(frozen=True)
class TeamQuarter:
    """What one team decided in one quarter."""

    interventions: tuple[str, ...]  # the titles of the cards adopted
    skipped: tuple[str, ...]  # titles chosen but not adopted (budget, prerequisites)
    answers: tuple[str, ...]  # "'Title': 'Choice label'" per dilemma that came up
    source: str  # "team", "draft" or "default" (defaulted when the round closed)
    adopted_ids: tuple[str, ...] = ()  # the ids of ``interventions``
    skipped_ids: tuple[str, ...] = ()  # the ids of ``skipped``
    answer_ids: tuple[str, ...] = ()  # 'EVENT.CHOICE' per entry of ``answers``


@dataclass(frozen=True)
class Prompt:
    """A lesson of the scenario as a discussion prompt, with the teams it applied to."""

    lesson: str  # the lesson's id
    title: str
    text: str
    teams: tuple[str, ...]  # best first

    @property
    def sentence(self) -> str:
        """Which teams the lesson applied to, in words."""
        if not self.teams:
            return "It applied to no team."
        if len(self.teams) == 1:
            return f"It applied to {self.teams[0]}."
        return f"It applied to {', '.join(self.teams[:-1])} and {self.teams[-1]}."


@dataclass(frozen=True)
class ClassDebrief:
    """Everything the class debrief shows, for the console, the HTML and the CSV."""

    scenario_title: str
    currency: str
    quarter: int  # quarters played by every team
    quarters: int  # the scenario's length
    results: list[TeamResult]  # best first
    # team -> metric -> values for quarters 0..quarter (every recorded metric)
    series: dict[str, dict[str, list[float]]]
    # quarter -> team -> what it decided (teams in result order)
    decisions: dict[int, dict[str, TeamQuarter]]
    separators: list[Separator]
    prompts: list[Prompt]
    notes: list[str] = field(default_factory=list)  # sentences about the class as a whole

    @property
    def teams(self) -> list[str]:
        """Team names, best first."""
        return [result.team for result in self.results]


def _results(scenario: Scenario, games: Mapping[str, GameSession]) -> list[TeamResult]:
    scores = {team: float(game.outcome().score[0]) for team, game in games.items()}
    order = sorted(scores, key=lambda team: (-scores[team], team))
    results = []
    for team in order:
        score = scores[team]
        outcome = games[team].outcome()
        results.append(
            TeamResult(
                rank=1 + sum(other > score for other in scores.values()),
                team=team,
                score=score,
                stars=int(outcome.stars[0]),
                grade=BANDS[band(score, scenario.scoring.stars)][0],
            )
        )
    return results


def _team_quarter(game: GameSession, quarter: int, source: str) -> TeamQuarter:
    scenario = game.scenario
    report = game.reports[quarter - 1]
    chosen = game.decisions.get(quarter)
    names = list(chosen.interventions) if chosen else []
    skipped = [name for name in names if scenario.intervention(name).name in report.skipped]
    adopted = [name for name in names if name not in skipped]
    events = {event.id: event for event in scenario.events}
    given = chosen.choices if chosen else {}
    answers = []
    for event_id, choice_id in report.answers:
        event = events[event_id]
        label = next(choice.label for choice in event.choices if choice.id == choice_id)
        # A plan handed in without an answer (session submit with no --answer) plays
        # the dilemma's default: the report must not say the team chose it. A quarter
        # defaulted as a whole already says so in its source.
        unasked = " (its default: not answered)" if event_id not in given else ""
        answers.append(f"'{event.title}': '{label}'{'' if source == 'default' else unasked}")
    return TeamQuarter(
        interventions=tuple(scenario.intervention(name).name for name in adopted),
        skipped=tuple(scenario.intervention(name).name for name in skipped),
        answers=tuple(answers),
        source=source,
        adopted_ids=tuple(adopted),
        skipped_ids=tuple(skipped),
        answer_ids=tuple(f"{event_id}.{choice_id}" for event_id, choice_id in report.answers),
    )


def _prompts(scenario: Scenario, games: Mapping[str, GameSession], order: list[str]):
    applies = {team: games[team].outcome().lessons for team in order}
    return [
        Prompt(
            lesson.id,
            lesson.title,
            lesson.text.strip(),
            tuple(team for team in order if bool(applies[team][lesson.id][0])),
        )
        for lesson in scenario.lessons
    ]


def class_debrief(
    scenario: Scenario,
    games: Mapping[str, GameSession],
    sources: Mapping[tuple[str, int], str] | None = None,
) -> ClassDebrief:
    """The class debrief of these teams' games (all of ``scenario``, all at the same
    quarter, as a room's teams are). ``sources``: (team, quarter) -> "team", "draft" or
    "default", how each decision reached the room (default "team")."""
    played = {game.quarter for game in games.values()}
    if len(played) > 1:
        raise ValueError(f"the teams' games are at different quarters: {sorted(played)}")
    quarter = played.pop() if played else 0
    results = _results(scenario, games)
    order = [result.team for result in results]
    given = sources or {}
    notes = []
    if not order:
        notes.append("No team has joined yet.")
    elif len(order) < 2:
        notes.append("With fewer than two teams there is no top and bottom half to compare.")
    elif quarter == 0:
        notes.append("No quarter has been played yet.")
    return ClassDebrief(
        scenario_title=scenario.meta.title,
        currency=scenario.company.currency,
        quarter=quarter,
        quarters=scenario.meta.quarters,
        results=results,
        series={
            team: {
                metric: [float(values[0]) for values in history]
                for metric, history in games[team].state.history.items()
            }
            for team in order
        },
        decisions={
            q: {team: _team_quarter(games[team], q, given.get((team, q), "team")) for team in order}
            for q in range(1, quarter + 1)
        },
        separators=separators(scenario, games, order) if quarter else [],
        # Lessons judge a game that has been played: none before the first quarter.
        prompts=_prompts(scenario, games, order) if quarter else [],
        notes=notes,
    )


def room_debrief(room: Room) -> ClassDebrief:
    """The class debrief of a room, from each team's game as the room replays it."""
    teams = [team.name for team in room.teams()]
    games = {team: room.game(team) for team in teams}
    sources = {(decision.team, decision.quarter): decision.source for decision in room.decisions()}
    return class_debrief(room.scenario(), games, sources)
