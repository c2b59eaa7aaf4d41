"""Group sessions, finishing touches on the engine side: a rename's structured old
name (and the migration that stores it), and closing a round without replaying."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rooms_helpers import new_room
from test_rooms_store import old_session

from engine.rooms import SCHEMA_VERSION, Room
from engine.rooms.games import GameCache


def test_a_rename_names_the_team_before_and_after(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha", "Beta"])
    room.rename_team("alpha", "Aardvarks")
    renamed = room.events()[-1]
    assert (renamed.kind, renamed.old_team, renamed.team, renamed.text) == (
        "renamed",
        "Alpha",
        "Aardvarks",
        "Team Alpha is now called Aardvarks.",
    )
    assert {event.old_team for event in room.events()[:-1]} == {None}


def test_a_version_2_session_gains_the_old_name_column(tmp_path: Path) -> None:
    path = tmp_path / "K7MP2Q.sqlite"
    old_session(path, 2)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(
        "INSERT INTO events (id, at, kind, team, text) VALUES (1, 0, 'created', NULL, 'x.')"
    )
    connection.close()
    room = Room.open("K7MP2Q", folder=tmp_path)
    assert SCHEMA_VERSION == 3
    assert room.events()[0].old_team is None
    room.join("Alpha", "1234", client="a")
    room.rename_team("Alpha", "Beta")
    assert room.events()[-1].old_team == "Alpha"
    room.advance()
    assert room.close_round() == ["Beta"]  # its pending dilemmas noted in the new table
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT team_id, quarter FROM pending_dilemmas").fetchall() == [
            (1, 1)
        ]


def played_rounds(room: Room, rounds: int) -> None:
    """Close ``rounds`` rounds with every team submitting nothing, the console's
    leaderboard read after each close as its refresh does."""
    for _ in range(rounds):
        room.advance()
        for team in room.teams():
            room.submit(team.name, "1234", room.info().quarter, [], {})
        room.close_round()
        room.standings()


def test_a_restarted_console_closes_a_round_without_replaying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    teams = ["Alpha", "Beta", "Gamma"]
    room, calm = new_room(tmp_path, teams), new_room(tmp_path / "calm", teams)
    for session in (room, calm):
        played_rounds(session, 1)
        session.advance()  # quarter 2: the Fairbank dilemma is pending
        session.submit("Alpha", "1234", 2, [], {"fairbank-order": "promise-a-week"})
        session.submit("Beta", "1234", 2, ["call-round"], {}, draft=True)
    restarted = Room.open(room.code, folder=tmp_path)

    def no_replay(*args, **kwargs):
        raise AssertionError("the close replayed a game")

    monkeypatch.setattr(GameCache, "game", no_replay)
    assert restarted.close_round() == ["Beta", "Gamma"]
    monkeypatch.undo()
    assert calm.close_round() == ["Beta", "Gamma"]

    def finals(session: Room) -> list[tuple]:
        return [
            (d.team, d.quarter, d.interventions, d.answers, d.source) for d in session.decisions()
        ]

    assert finals(room) == finals(calm)
    assert [f[3] for f in finals(room) if f[1] == 2] == [
        {"fairbank-order": "promise-a-week"},
        {"fairbank-order": "promise-monday"},  # the scenario's default_choice
        {"fairbank-order": "promise-monday"},
    ]


def test_a_close_with_nothing_noted_replays_the_games_it_needs(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha", "Beta"])
    room.advance()
    room.close_round()
    room.advance()  # nobody rebuilt a game for quarter 2: nothing is noted
    with sqlite3.connect(room.path) as connection:
        noted = connection.execute("SELECT team_id, quarter FROM pending_dilemmas").fetchall()
    assert (1, 2) not in noted and (2, 2) not in noted
    restarted = Room.open(room.code, folder=tmp_path)
    assert restarted.close_round() == ["Alpha", "Beta"]
    assert [d.answers for d in room.decisions() if d.quarter == 2] == [
        {"fairbank-order": "promise-monday"},
        {"fairbank-order": "promise-monday"},
    ]
