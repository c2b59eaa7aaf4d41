"""Group sessions, finishing touches on the engine side: a rename's structured old
name (and the migration that stores it), and closing a round without replaying."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rooms_helpers import new_room

from engine.rooms import SCHEMA_VERSION, Room
from engine.rooms.schema import APPLICATION_ID, MIGRATIONS
from engine.scenario.loader import builtin_dir


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
    connection = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:2]:
        for statement in migration:
            connection.execute(statement)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("PRAGMA user_version = 2")
    sha = __import__("hashlib").sha256((builtin_dir() / "first-quarter.toml").read_bytes())
    connection.execute(
        "INSERT INTO room (code, name, scenario_id, scenario_title, scenario_path, "
        "scenario_sha256, scenario_text, seed, quarters, quarter, state, deadline, "
        "deadline_minutes, paused_remaining, forecasts, created_at) VALUES ('K7MP2Q', 'old', "
        "'first-quarter', 'First Quarter', '', ?, NULL, 10, 4, 1, 'waiting', NULL, NULL, "
        "NULL, 1, 0)",
        (sha.hexdigest(),),
    )
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
