"""Findings of a facilitator's first full session (the room-play check), one test each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rooms_helpers import new_room

from engine.rooms.class_debrief import room_debrief
from engine.rooms.records import Standing
from game.commands import CONTEXTS
from game.screens.facilitator.console import log_line, submitted_words
from game.screens.facilitator.tables import board_header, board_rows
from game.screens.join import INTRO


def test_a_quiet_team_that_submitted_still_counts_as_submitted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A command-line team is heard only when it submits, and a team may close its
    # terminal once it has handed in: its plan still counts at the close, so the
    # roster and the "N of M submitted" count must not drop it to "offline".
    moment = [1000.0]  # the time every module reads, moved on by hand
    monkeypatch.setattr("time.time", lambda: moment[0])
    room = new_room(tmp_path, ["Alpha", "Beta"])
    room.open_round()
    room.join("Gamma", "2222", client="command line")
    room.submit("Gamma", "2222", 1, [], {})
    moment[0] += 31
    room.heartbeat("Alpha", "client-0")
    room.pause()
    room.resume()
    assert [(team.name, team.status) for team in room.teams()] == [
        ("Alpha", "deciding"),
        ("Beta", "offline"),
        ("Gamma", "submitted"),
    ]
    assert submitted_words(room.teams()) == "1 of 3 submitted"


def test_a_figure_one_team_made_visible_still_shows_in_the_revealed_column() -> None:
    # Feedback cards make the dark share visible to the team that adopted them: the
    # revealed "Dark share (true)" column must give that team's value, not a dash.
    carded = Standing(1, "Green", 33.0, 1, "C", {"dark_share": 0.025}, {"thrill": 0.5}, "submitted")
    blind = Standing(2, "Red", 23.0, 1, "C", {}, {"dark_share": 0.062, "thrill": 0.4}, "submitted")
    assert board_header([carded, blind])[-2:] == ["Thrill (true)", "Dark share (true)"]
    assert [row[-2:] for row in board_rows([carded, blind], "GBP")] == [
        ["0.50", "2.5%"],
        ["0.40", "6.2%"],
    ]


def test_the_facilitation_guide_names_the_consoles_keys() -> None:
    # The guide said `space` pauses while the console's key is `p`: every key of the
    # guide's table must be one the console binds, and the console's keys all listed.
    guide = (Path(__file__).parent.parent / "docs" / "facilitation.md").read_text()
    table = guide.split("| key | does |", 1)[1].split("\n\n", 1)[0]
    documented: set[str] = set()
    for row in table.splitlines()[2:]:
        cell = row.split("|")[1]
        for key in re.findall(r"`([^`]+)`", cell):
            documented.add(key.lower())
    if "1" in documented and "…" in table:  # `1`…`6`: the tab keys as a range
        documented |= {str(number) for number in range(1, 7)}
    bound = {key for command in CONTEXTS["facilitator"].commands for key in command.keys.split(",")}
    assert documented == bound


def test_the_join_screen_calls_the_code_six_characters() -> None:
    # Codes mix letters and digits (JYZS9Q): "six-letter" sent teams hunting for an O.
    assert INTRO.startswith("Type the six-character code your facilitator gave you,")


def test_the_log_says_a_broadcast_was_sent(tmp_path: Path) -> None:
    # The Log tab listed "Coffee break: 5 minutes" among the room's events as if the
    # room had said it; it is the facilitator's message to every team.
    room = new_room(tmp_path, ["Alpha"])
    room.broadcast("Coffee break: 5 minutes")
    assert [log_line(event) for event in room.events()][-2:] == [
        "Team Alpha joined.",
        "Sent to every team: Coffee break: 5 minutes",
    ]


def test_a_dilemma_left_unanswered_in_a_submitted_plan_is_not_called_the_teams_answer(
    tmp_path: Path,
) -> None:
    # Green handed in quarter 2 from the command line with no --answer: the Fairbank
    # order took its default, and the report said Green chose it (source "team").
    room = new_room(tmp_path, ["Green", "Blue"])
    for quarter in (1, 2):
        room.open_round()
        room.submit("Green", "1234", quarter, [], {})
        answers = {"fairbank-order": "promise-a-week"} if quarter == 2 else {}
        room.submit("Blue", "1234", quarter, [], answers)
        room.close_round()
    decided = room_debrief(room).decisions[2]
    assert decided["Green"].answers == (
        "'The Fairbank order': 'Promise Monday and hope' (its default: not answered)",
    )
    assert decided["Blue"].answers == ("'The Fairbank order': 'Promise a week, and keep it'",)
    assert (decided["Green"].source, decided["Blue"].source) == ("team", "team")
