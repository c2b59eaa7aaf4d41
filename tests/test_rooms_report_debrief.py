"""The class debrief: every figure and sentence checked against the teams' own games,
the what-ifs against games played independently with the changed decisions."""

from __future__ import annotations

import re

import pytest
from rooms_report_games import PLANS, play, team_games

from engine.debrief.appraisal import BANDS, band
from engine.rooms.class_debrief import class_debrief
from engine.rooms.separators import halves
from engine.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("first-quarter")


@pytest.fixture(scope="module")
def games():
    return team_games()


@pytest.fixture(scope="module")
def debrief(scenario, games):
    return class_debrief(scenario, games, {("Charlie", 2): "default"})


def test_results_are_each_teams_own_score_stars_and_grade(scenario, games, debrief):
    assert [r.team for r in debrief.results] == sorted(
        games, key=lambda team: -games[team].outcome().score[0]
    )
    for result in debrief.results:
        outcome = games[result.team].outcome()
        assert result.score == pytest.approx(float(outcome.score[0]))
        assert result.stars == int(outcome.stars[0])
        assert result.grade == BANDS[band(result.score, scenario.scoring.stars)][0]
    assert [r.rank for r in debrief.results] == [1, 2, 3, 4]
    assert debrief.quarter == 4


def test_series_hold_every_recorded_metric_of_every_quarter(games, debrief):
    for team, game in games.items():
        assert set(debrief.series[team]) == set(game.state.history)
        for metric in game.state.history:
            assert debrief.series[team][metric] == pytest.approx(list(game.series(metric)))


def test_decisions_side_by_side_are_what_each_team_decided(scenario, debrief):
    for team, plan in PLANS.items():
        for quarter, (interventions, _answers) in enumerate(plan, start=1):
            shown = debrief.decisions[quarter][team]
            assert shown.interventions + shown.skipped == tuple(
                scenario.intervention(name).name for name in interventions
            )
    assert debrief.decisions[2]["Alpha"].answers == (
        "'The Fairbank order': 'Promise a week, and keep it'",
    )
    assert debrief.decisions[2]["Charlie"].source == "default"
    assert debrief.decisions[2]["Alpha"].source == "team"


WHATIF = re.compile(
    r"In a same-seed what-if of (\w+)'s game, (.+) would have "
    r"(raised its score by ([\d.]+) points|lowered its score by ([\d.]+) points|"
    r"left its score about the same) \(([\d.]+) instead of ([\d.]+)\)\.$"
)


def _changed_plan(scenario, separator, plan):
    """The team's plan with the separator's decision made the other way, from the words."""
    whatif = separator.whatif
    quarter = whatif.quarter
    changed = [(list(i), dict(a)) for i, a in plan]
    interventions, answers = changed[quarter - 1]
    if separator.kind == "adopted":
        if whatif.made:
            interventions.remove(separator.subject)
        else:
            interventions.append(separator.subject)
    else:
        event_id, choice = separator.subject.split(".")
        event = next(e for e in scenario.events if e.id == event_id)
        instead = re.match(r"answering '(.+?)' instead", whatif.label).group(1)
        answers[event_id] = next(c.id for c in event.choices if c.label == instead)
        assert (answers[event_id] == choice) != whatif.made
    return changed


def test_every_separator_sentence_is_true_of_the_runs(scenario, games, debrief):
    assert debrief.separators, "these teams differ: something separates them"
    top, bottom = halves(debrief.teams)
    for separator in debrief.separators:
        if separator.kind == "adopted":
            did = {t for t, g in games.items() if separator.subject in g.adoptions()}
        else:
            did = {t for t, g in games.items() if separator.subject in g.answers()}
        counts = re.match(
            r"(\d+) of (\d+) top-half teams (.+), against (\d+) of (\d+) bottom-half teams\.",
            separator.text,
        )
        assert counts is not None, separator.text
        assert int(counts[1]) == len(did & set(top)) and int(counts[2]) == len(top)
        assert int(counts[4]) == len(did & set(bottom)) and int(counts[5]) == len(bottom)
        assert counts[1] != counts[4]
        # The what-if, replayed as a whole new game with the decision made the other way.
        found = WHATIF.search(separator.text)
        assert found is not None, separator.text
        team = found[1]
        assert team in bottom
        replayed = play(_changed_plan(scenario, separator, PLANS[team]))
        changed_score = float(replayed.outcome().score[0])
        actual_score = float(games[team].outcome().score[0])
        assert float(found[6]) == pytest.approx(changed_score, abs=0.05)
        assert float(found[7]) == pytest.approx(actual_score, abs=0.05)
        if found[4]:
            assert changed_score - actual_score == pytest.approx(float(found[4]), abs=0.05)
        elif found[5]:
            assert actual_score - changed_score == pytest.approx(float(found[5]), abs=0.05)
        else:
            assert abs(changed_score - actual_score) < 0.05


def test_two_teams_are_named(scenario):
    games = {team: play(PLANS[team], player=team) for team in ("Alpha", "Delta")}
    two = class_debrief(scenario, games)
    assert two.teams == ["Alpha", "Delta"]
    assert two.separators
    for separator in two.separators:
        if separator.kind == "adopted":
            did = {t for t, g in games.items() if separator.subject in g.adoptions()}
        else:
            did = {t for t, g in games.items() if separator.subject in g.answers()}
        assert len(did) == 1
        (team,) = did
        other = "Delta" if team == "Alpha" else "Alpha"
        half, other_half = ("top", "bottom") if team == "Alpha" else ("bottom", "top")
        assert separator.text.startswith(
            f"The {half} team, {team}, {separator.label}; the {other_half} team, {other}, "
            "did not. In a same-seed what-if of Delta's game, "
        )


def test_one_dilemma_is_shown_once(debrief):
    dilemmas = [s.subject.split(".")[0] for s in debrief.separators if s.kind == "answered"]
    assert len(dilemmas) == len(set(dilemmas))


def test_lessons_name_the_teams_they_applied_to(games, debrief):
    for prompt in debrief.prompts:
        applied = {t for t, g in games.items() if bool(g.outcome().lessons[prompt.lesson][0])}
        assert set(prompt.teams) == applied
        for team in games:
            assert (team in prompt.sentence) == (team in applied)


def test_halves_leave_the_middle_team_out():
    assert halves(["a", "b", "c", "d", "e"]) == (["a", "b"], ["d", "e"])
    assert halves(["a"]) == ([], [])


def test_one_team_or_no_quarter_says_so(scenario):
    one = class_debrief(scenario, {"Solo": play(PLANS["Alpha"])})
    assert one.separators == []
    assert one.notes == ["With fewer than two teams there is no top and bottom half to compare."]
    start = class_debrief(scenario, team_games(0))
    assert start.quarter == 0 and start.separators == [] and start.decisions == {}
    assert start.prompts == []
    assert start.notes == ["No quarter has been played yet."]
    empty = class_debrief(scenario, {})
    assert empty.results == [] and empty.quarter == 0
    assert empty.notes == ["No team has joined yet."]


def test_games_at_different_quarters_are_refused(scenario):
    with pytest.raises(ValueError) as error:
        class_debrief(scenario, {"A": play(PLANS["Alpha"], 1), "B": play(PLANS["Bravo"], 2)})
    assert str(error.value) == "the teams' games are at different quarters: [1, 2]"
