"""Lock-step rounds of a group session: submissions, drafts, defaults at the close,
resubmission, pause and resume, deadlines, and every team's game equal to a
single-player replay of its decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from rooms_helpers import SCENARIO, new_room, same_game, single_player

from engine.rooms import Room, RoomError


def test_a_round_opens_takes_plans_and_closes(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha", "Beta", "Gamma"])
    assert room.info().state == "waiting"
    room.open_round()
    room.submit("Alpha", "1234", 1, ["call-round"], {})
    room.submit("Beta", "1234", 1, ["thank-the-techs"], {}, draft=True)
    statuses = {team.name: team.status for team in room.teams()}
    assert statuses == {"Alpha": "submitted", "Beta": "deciding", "Gamma": "deciding"}
    assert room.close_round() == ["Beta", "Gamma"]
    info = room.info()
    assert (info.quarter, info.state) == (2, "waiting")
    finals = {(d.team, d.quarter): (d.interventions, d.source) for d in room.decisions()}
    assert finals == {
        ("Alpha", 1): (("call-round",), "team"),
        ("Beta", 1): (("thank-the-techs",), "draft"),
        ("Gamma", 1): ((), "default"),
    }
    assert [team.played for team in room.teams()] == [1, 1, 1]
    assert [e.text for e in room.events() if e.kind == "closed"] == [
        "Round 1 closed: 2 teams defaulted."
    ]


def test_a_defaulted_team_gets_each_dilemmas_default_choice(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha", "Beta"])
    room.advance()
    room.advance()  # quarter 2: the Fairbank dilemma is pending
    assert [event.id for event in room.game("Alpha").pending_dilemmas()] == ["fairbank-order"]
    room.submit("Alpha", "1234", 2, [], {"fairbank-order": "promise-a-week"})
    assert room.close_round() == ["Beta"]
    answers = {d.team: d.answers for d in room.decisions() if d.quarter == 2}
    assert answers == {
        "Alpha": {"fairbank-order": "promise-a-week"},
        "Beta": {"fairbank-order": "promise-monday"},  # the scenario's default_choice
    }


def test_the_last_submission_before_the_close_counts(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha"])
    room.open_round()
    room.submit("Alpha", "1234", 1, ["call-round"], {})
    room.submit("Alpha", "1234", 1, ["feedback-cards", "thank-the-techs"], {})
    room.submit("Alpha", "1234", 1, ["call-round"], {}, draft=True)  # a later draft loses
    assert room.close_round() == []
    assert room.decisions()[0].interventions == ("feedback-cards", "thank-the-techs")
    assert [e.text for e in room.events() if e.kind == "submitted"] == [
        "Team Alpha submitted its plan for quarter 1.",
        "Team Alpha changed its plan for quarter 1.",
    ]


def test_closing_twice_closes_once(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha"])
    other = Room.open(room.code, folder=tmp_path)
    room.open_round()
    assert room.close_round() == ["Alpha"]
    with pytest.raises(RoomError) as caught:
        other.close_round()
    assert str(caught.value) == "No round is open: round 2 is waiting to be opened."
    assert len(room.decisions()) == 1


def test_each_teams_game_equals_a_single_player_replay(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha", "Beta"], seed=77)
    plans = {
        1: {"Alpha": (["call-round"], {}), "Beta": (["tech-training"], {})},
        2: {"Alpha": ([], {"fairbank-order": "promise-a-week"}), "Beta": (["feedback-cards"], {})},
        3: {"Alpha": (["thank-the-techs"], {})},
        4: {"Beta": ([], {})},
    }
    for quarter, chosen in plans.items():
        room.advance()
        for team, (interventions, answers) in chosen.items():
            room.submit(team, "1234", quarter, interventions, answers)
        room.standings()  # the kept games play one quarter at a time
    room.close_round()
    assert room.info().state == "finished"
    for team in ("Alpha", "Beta"):
        alone = single_player(SCENARIO, 77, team, room.decisions(team))
        assert same_game(room.game(team), alone)
        fresh = Room.open(room.code, folder=tmp_path).game(team)  # rebuilt from scratch
        assert same_game(fresh, alone)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The time every module reads, moved on by hand: ``clock[0] += 60``."""
    moment = [1000.0]
    monkeypatch.setattr("time.time", lambda: moment[0])
    return moment


def test_pause_freezes_the_countdown_and_refuses_submissions(
    tmp_path: Path, clock: list[float]
) -> None:
    room = new_room(tmp_path, ["Alpha"], deadline_minutes=5)
    room.open_round()
    clock[0] += 60
    assert room.info().remaining == 240
    room.pause()
    clock[0] += 600
    info = room.info()
    assert (info.state, info.remaining, info.deadline) == ("paused", 240, None)
    with pytest.raises(RoomError) as caught:
        room.submit("Alpha", "1234", 1, [], {})
    assert str(caught.value) == (
        "The facilitator paused the round: submissions are refused until it resumes."
    )
    assert not room.close_if_due()
    room.resume()
    assert room.info().remaining == 240
    clock[0] += 239
    assert not room.close_if_due()
    clock[0] += 1
    assert room.close_if_due()
    assert (room.info().quarter, room.info().state) == (2, "waiting")


def test_a_team_joining_late_is_defaulted_for_the_closed_rounds(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha"])
    room.advance()
    room.advance()
    room.advance()  # round 3 open; rounds 1 and 2 closed
    room.join("Latecomers", "4321", client="late")
    late = room.decisions("Latecomers")
    assert [(d.quarter, d.interventions, d.source) for d in late] == [
        (1, (), "default"),
        (2, (), "default"),
    ]
    assert late[1].answers == {"fairbank-order": "promise-monday"}
    assert [e.text for e in room.events() if e.kind == "joined"][-1] == (
        "Team Latecomers joined, defaulted for 2 closed rounds."
    )
    room.submit("Latecomers", "4321", 3, ["call-round"], {})
    assert room.game("Latecomers").quarter == 2
    room.end()
    with pytest.raises(RoomError) as caught:
        room.join("Stragglers", "4321", client="x")
    assert str(caught.value) == f"Session {room.code} is finished: it takes no new teams."
    room.join("Alpha", "1234", client="client-0")  # a known team may still look


def test_any_process_may_close_a_due_round_once(tmp_path: Path, clock: list[float]) -> None:
    room = new_room(tmp_path, ["Alpha"], deadline_minutes=1)
    team_side = Room.open(room.code, folder=tmp_path)
    room.open_round()
    clock[0] += 61
    assert team_side.close_if_due()
    assert not room.close_if_due()  # already closed: nothing happens
    assert [e.kind for e in room.events()].count("closed") == 1


def test_the_leaderboard_shows_what_each_team_can_see_until_revealed(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha", "Beta", "Gamma"])
    room.advance()
    room.submit("Alpha", "1234", 1, ["call-round", "feedback-cards"], {})
    room.submit("Beta", "1234", 1, ["call-round", "feedback-cards"], {})
    room.submit("Gamma", "1234", 1, [], {})
    room.close_round()
    rows = room.standings()
    # Alpha and Beta decided alike, with the same seed: the same score, the same rank.
    assert [(row.rank, row.team) for row in rows] in (
        [(1, "Alpha"), (1, "Beta"), (3, "Gamma")],
        [(1, "Gamma"), (2, "Alpha"), (2, "Beta")],
    )
    for row in rows:
        game = room.game(row.team)
        outcome = game.outcome()
        assert row.score == float(outcome.score[0])
        assert row.stars == int(outcome.stars[0])
        assert row.true_figures is None
        assert row.figures
        assert all(game.visible(name) for name in row.figures)
        assert all(value == game.latest(name) for name, value in row.figures.items())
    room.set_reveal(True)
    revealed = room.standings()
    for row in revealed:
        game = room.game(row.team)
        assert row.true_figures and not any(game.visible(name) for name in row.true_figures)
        assert all(value == game.latest(name) for name, value in row.true_figures.items())
    room.set_reveal(False)
    assert all(row.true_figures is None for row in room.standings())
    assert [e.text for e in room.events() if e.kind in ("revealed", "hidden")] == [
        "The true figures are revealed.",
        "The true figures are hidden again.",
    ]


def test_statuses_through_a_round(tmp_path: Path, clock: list[float]) -> None:
    room = new_room(tmp_path, ["Alpha", "Beta", "Gamma"])

    def statuses() -> list[tuple[str, str, bool]]:
        return [(team.name, team.status, team.connected) for team in room.teams()]

    assert statuses() == [
        ("Alpha", "joined", True),
        ("Beta", "joined", True),
        ("Gamma", "joined", True),
    ]
    room.open_round()
    room.submit("Alpha", "1234", 1, [], {})
    room.disconnect("Gamma", "client-2")
    assert statuses() == [
        ("Alpha", "submitted", True),
        ("Beta", "deciding", True),
        ("Gamma", "deciding", False),
    ]
    clock[0] += 31
    room.heartbeat("Alpha", "client-0")
    room.heartbeat("Beta", "client-1")
    assert statuses() == [
        ("Alpha", "submitted", True),
        ("Beta", "deciding", True),
        ("Gamma", "offline", False),
    ]
    room.close_round()
    assert statuses() == [
        ("Alpha", "submitted", True),
        ("Beta", "defaulted", True),
        ("Gamma", "offline", False),
    ]
