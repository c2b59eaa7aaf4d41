"""The session file: schema versions and migrations, files that are not sessions, and
every bad input refused with its exact sentence and nothing written."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from rooms_helpers import new_room, table_rows

from engine.rooms import SCHEMA_VERSION, Room, RoomError, normalise_code, rooms_folder, scan_rooms
from engine.rooms.schema import APPLICATION_ID, MIGRATIONS
from engine.rooms.store import RoomStore
from engine.scenario.loader import builtin_dir


def refused(action, *args, **kwargs) -> str:
    with pytest.raises(RoomError) as caught:
        action(*args, **kwargs)
    return str(caught.value)


# --- where sessions live, codes --------------------------------------------------------------
def test_sessions_live_under_the_home_folder_unless_told(goingdark_home: Path) -> None:
    assert rooms_folder() == goingdark_home / "sessions"
    assert rooms_folder(Path("/elsewhere")) == Path("/elsewhere")
    room = Room.create("first-quarter")
    assert room.path == goingdark_home / "sessions" / f"{room.code}.sqlite"


def test_codes_avoid_look_alikes_and_forgive_typing(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    assert len(room.code) == 6 and not set(room.code) & set("01OIL")
    typed = f" {room.code[:3].lower()}-{room.code[3:]} "
    assert Room.open(typed, folder=tmp_path).code == room.code
    assert normalise_code("k7m p2q") == "K7MP2Q"


def test_a_wrong_join_code_names_the_folder_and_writes_nothing(tmp_path: Path) -> None:
    assert refused(Room.open, "K7MP2O", folder=tmp_path) == (
        "'K7MP2O' is not a session code: a code is 6 letters and digits, like K7MP2Q."
    )
    assert refused(Room.open, "K7MP2Q", folder=tmp_path) == (
        f"No session has the code K7MP2Q (looked in {tmp_path})."
    )
    assert list(tmp_path.iterdir()) == []


def test_bad_session_settings(tmp_path: Path) -> None:
    assert refused(Room.create, "first-quarter", seed=-1, folder=tmp_path) == (
        "A seed is a whole number from 0 to 2^63 - 1, not -1."
    )
    assert refused(Room.create, "first-quarter", deadline_minutes=0, folder=tmp_path) == (
        "A deadline is at least 1 minute, not 0."
    )
    assert list(tmp_path.iterdir()) == []


# --- schema versions ---------------------------------------------------------------------------
def old_session(path: Path, version: int) -> None:
    """A session file as a Going Dark of schema ``version`` made it."""
    connection = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:version]:
        for statement in migration:
            connection.execute(statement)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {version}")
    sha = __import__("hashlib").sha256((builtin_dir() / "first-quarter.toml").read_bytes())
    connection.execute(
        "INSERT INTO room (code, name, scenario_id, scenario_title, scenario_path, "
        "scenario_sha256, scenario_text, seed, quarters, quarter, state, deadline, "
        "deadline_minutes, paused_remaining, forecasts, created_at) VALUES ('K7MP2Q', 'old', "
        "'first-quarter', 'First Quarter', '', ?, NULL, 10, 4, 1, 'waiting', NULL, NULL, "
        "NULL, 1, 0)",
        (sha.hexdigest(),),
    )
    connection.close()


def test_a_session_of_an_older_schema_is_migrated(tmp_path: Path) -> None:
    old_session(tmp_path / "K7MP2Q.sqlite", 1)
    room = Room.open("K7MP2Q", folder=tmp_path)
    with sqlite3.connect(room.path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    info = room.info()
    assert (info.name, info.reveal, info.quarter) == ("old", False, 1)
    room.join("Alpha", "1234", client="a")
    room.allow_takeover("Alpha")  # a column version 2 added
    room.set_reveal(True)
    assert room.info().reveal


def test_a_session_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "K7MP2Q.sqlite"
    old_session(path, SCHEMA_VERSION)
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    assert refused(Room.open, "K7MP2Q", folder=tmp_path) == (
        f"{path} was made by a newer version of Going Dark (session format 4; this version "
        "reads formats up to 3): update Going Dark to open it."
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b"This is not a database at all, just some text.\n" * 40,
            "it is damaged or not a database",
        ),
        (b"SQLite format 3\x00" + b"\xff" * 2000, "it is damaged or not a database"),
        (None, "it belongs to another program"),
        (b"", "it belongs to another program"),
    ],
)
def test_a_file_that_is_not_a_session_is_refused(tmp_path: Path, content, reason) -> None:
    path = tmp_path / "K7MP2Q.sqlite"
    if content is None:
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE notes (text TEXT)")
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    assert refused(Room.open, "K7MP2Q", folder=tmp_path) == (
        f"{path} is not a Going Dark session file: {reason}."
    )
    assert path.read_bytes() == before
    assert scan_rooms(tmp_path) == ([], [f"{path} is not a Going Dark session file: {reason}."])


def test_a_session_file_without_its_session_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "K7MP2Q.sqlite"
    old_session(path, SCHEMA_VERSION)
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM room")
    assert refused(Room.open, "K7MP2Q", folder=tmp_path) == (
        f"{path} is not a Going Dark session file: it is damaged."
    )


def test_a_changed_scenario_is_refused_unless_allowed(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.toml"
    shutil.copy(builtin_dir() / "first-quarter.toml", scenario)
    sessions = tmp_path / "sessions"
    room = Room.create(scenario, folder=sessions)
    scenario.write_text(scenario.read_text().replace("cost = 12_000", "cost = 13_000"))
    before = table_rows(room.path)
    assert refused(Room.open, room.code, folder=sessions) == (
        f"The scenario 'first-quarter' ({scenario.resolve()}) has changed since session "
        f"{room.code} was made: its games may not replay the same. Open it anyway only if "
        "the change is harmless."
    )
    assert table_rows(room.path) == before
    changed = Room.open(room.code, folder=sessions, allow_changed=True)
    assert changed.scenario().intervention("call-round").cost == 13_000
    scenario.unlink()  # a moved file: the copy kept in the session plays
    assert Room.open(room.code, folder=sessions).scenario().intervention("call-round").cost == (
        12_000
    )


def test_the_database_settings(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    store = RoomStore.open(room.path)
    assert store.setting("journal_mode") == "wal"
    assert store.setting("busy_timeout") == 5000
    assert store.setting("synchronous") == 1  # NORMAL
    assert store.setting("application_id") == APPLICATION_ID
    assert store.setting("user_version") == SCHEMA_VERSION


# --- bad input: teams ----------------------------------------------------------------------------
@pytest.fixture
def room(tmp_path: Path) -> Room:
    room = new_room(tmp_path, ["Alpha", "Beta"])
    room.open_round()
    return room


def unchanged(room: Room, action, *args, **kwargs) -> str:
    """The sentence ``action`` is refused with, having checked no row changed."""
    before = table_rows(room.path)
    message = refused(action, *args, **kwargs)
    assert table_rows(room.path) == before
    return message


WRONG_PIN = (
    "Team Alpha already exists and that is not its PIN: choose another name, or ask the "
    "facilitator to reset the team's PIN."
)


def test_wrong_pins_and_taken_names(room: Room) -> None:
    assert unchanged(room, room.join, "Alpha", "9999", client="x") == WRONG_PIN
    assert unchanged(room, room.join, " alpha ", "9999", client="x") == WRONG_PIN
    assert unchanged(room, room.submit, "Alpha", "9999", 1, [], {}) == WRONG_PIN
    assert unchanged(room, room.join, "Alpha", "1234", client="another laptop") == (
        "Team Alpha is already playing on another screen: close it, or ask the facilitator "
        "to allow a takeover."
    )
    assert unchanged(room, room.rename_team, "Beta", "ALPHA") == (
        "There is already a team called 'Alpha'."
    )
    assert unchanged(room, room.submit, "Gamma", "1234", 1, [], {}) == (
        f"There is no team 'Gamma' in session {room.code}."
    )


@pytest.mark.parametrize(
    ("name", "pin", "message"),
    [
        ("  ", "1234", "A team needs a name."),
        ("x" * 25, "1234", f"A team name is at most 24 characters; '{'x' * 25}' has 25."),
        (
            "Tab\tTeam",
            "1234",
            "A team name cannot hold tabs, line breaks or other control characters.",
        ),
        ("Delta", "12", "A PIN is 4 to 12 letters or digits."),
        ("Delta", "12 34", "A PIN is 4 to 12 letters or digits."),
        ("Delta", "1234567890123", "A PIN is 4 to 12 letters or digits."),
    ],
)
def test_bad_names_and_pins(room: Room, name: str, pin: str, message: str) -> None:
    assert unchanged(room, room.join, name, pin, client="x") == message


def test_a_takeover_once_allowed_and_heartbeats(room: Room) -> None:
    room.allow_takeover("Alpha")
    room.join("Alpha", "1234", client="another laptop")
    assert refused(room.heartbeat, "Alpha", "client-0") == (
        "Team Alpha is now playing on another screen."
    )
    room.heartbeat("Alpha", "another laptop")
    room.disconnect("Alpha", "another laptop")
    room.join("Alpha", "1234", client="client-0")  # a seat left on purpose is free at once


# --- bad input: submissions ----------------------------------------------------------------------
def test_submissions_out_of_turn(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha"])
    assert unchanged(room, room.submit, "Alpha", "1234", 1, [], {}) == (
        "Round 1 is not open yet: wait for the facilitator to open it."
    )
    room.advance()
    room.advance()
    assert unchanged(room, room.submit, "Alpha", "1234", 1, [], {}) == (
        "Quarter 1 is closed: the session is deciding quarter 2."
    )
    assert unchanged(room, room.submit, "Alpha", "1234", 3, [], {}) == (
        "Quarter 3 is not open yet: the session is deciding quarter 2."
    )
    room.end()
    assert unchanged(room, room.submit, "Alpha", "1234", 3, [], {}) == (
        f"Session {room.code} is finished: it takes no more decisions."
    )


@pytest.mark.parametrize(
    ("interventions", "answers", "message"),
    [
        (
            ["call-roud"],
            {},
            "There is no intervention 'call-roud' in First Quarter (interventions: "
            "call-round, seasonal-blends, thank-the-techs, tech-training, feedback-cards, "
            "free-upgrade); did you mean 'call-round'?",
        ),
        (
            ["dance-party"],
            {},
            "There is no intervention 'dance-party' in First Quarter (interventions: "
            "call-round, seasonal-blends, thank-the-techs, tech-training, feedback-cards, "
            "free-upgrade).",
        ),
        (["call-round", "call-round"], {}, "'call-round' is listed twice."),
        (
            ["call-round", "seasonal-blends", "tech-training", "feedback-cards"],
            {},
            "The plan's one-off costs come to £60,000, more than the budget of £50,000.",
        ),
        (
            [],
            {"fairbank-order": "promise-monday"},
            "'fairbank-order' is not a dilemma of quarter 1 (this quarter's: there is none).",
        ),
    ],
)
def test_bad_plans(room: Room, interventions, answers, message: str) -> None:
    assert unchanged(room, room.submit, "Alpha", "1234", 1, interventions, answers) == message
    assert (
        unchanged(room, room.submit, "Alpha", "1234", 1, interventions, answers, draft=True)
        == message
    )


def test_bad_dilemma_answers(room: Room) -> None:
    room.advance()
    assert unchanged(room, room.submit, "Alpha", "1234", 2, [], {"fairbank-ordr": "x"}) == (
        "'fairbank-ordr' is not a dilemma of quarter 2 (this quarter's: fairbank-order); did "
        "you mean 'fairbank-order'?"
    )
    assert unchanged(room, room.submit, "Alpha", "1234", 2, [], {"fairbank-order": "promise"}) == (
        "Dilemma 'fairbank-order' has no choice 'promise' (choices: promise-monday, "
        "promise-a-week); did you mean 'promise-monday'?"
    )


def test_locked_and_already_adopted_interventions(tmp_path: Path) -> None:
    room = new_room(tmp_path, ["Alpha"], scenario="fine-on-paper")
    room.advance()
    assert unchanged(room, room.submit, "Alpha", "1234", 1, ["client-panel"], {}) == (
        "Client panel on what to build next cannot be adopted now: needs An honest "
        "survey, Value reviews first."
    )
    room.submit("Alpha", "1234", 1, ["pension-module"], {})
    room.advance()
    assert unchanged(room, room.submit, "Alpha", "1234", 2, ["pension-module"], {}) == (
        "Pensions and benefits module cannot be adopted now: already adopted."
    )


# --- facilitator's actions -----------------------------------------------------------------------
def test_rename_remove_reset_and_broadcast(room: Room) -> None:
    room.submit("Alpha", "1234", 1, ["call-round"], {})
    room.rename_team("Alpha", "Aardvarks")
    room.reset_pin("Beta", "4321")
    room.submit("Beta", "4321", 1, [], {})
    room.remove_team("Beta")
    room.broadcast("  Five minutes   left. ")
    assert [team.name for team in room.teams()] == ["Aardvarks"]
    assert room.close_round() == []
    assert [(d.team, d.interventions) for d in room.decisions()] == [("Aardvarks", ("call-round",))]
    assert [(e.kind, e.team, e.text) for e in room.events()][-6:] == [
        ("renamed", "Aardvarks", "Team Alpha is now called Aardvarks."),
        ("pin-reset", "Beta", "Team Beta's PIN was reset."),
        ("submitted", "Beta", "Team Beta submitted its plan for quarter 1."),
        ("removed", "Beta", "Team Beta was removed from the session."),
        ("broadcast", None, "Five minutes left."),
        ("closed", None, "Round 1 closed: every team submitted."),
    ]
    room.join("Beta", "1111", client="new")  # the name is free again: a new team
    assert [team.played for team in room.teams()] == [1, 1]
    assert room.decisions("Beta")[0].source == "default"


def test_facilitator_actions_out_of_turn(room: Room) -> None:
    assert unchanged(room, room.open_round) == "Cannot open a round: round 1 is open."
    assert unchanged(room, room.resume) == "Cannot resume the round: round 1 is open."
    assert unchanged(room, room.broadcast, " ") == "A message to the teams cannot be empty."
    assert unchanged(room, room.remove_team, "Zeta") == (
        f"There is no team 'Zeta' in session {room.code}."
    )
    room.close_round()
    assert unchanged(room, room.pause) == "Cannot pause the round: round 2 is not open yet."
    assert unchanged(room, room.close_round) == (
        "No round is open: round 2 is waiting to be opened."
    )
    room.end()
    assert unchanged(room, room.advance) == (
        f"Session {room.code} is finished: there is no round to close or open."
    )
    assert unchanged(room, room.end) == f"Session {room.code} is already finished."
