"""Findings of a facilitator's first full session (the room-play check), one test each."""

from __future__ import annotations

from pathlib import Path

import pytest
from rooms_helpers import new_room

from game.screens.facilitator.console import submitted_words


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The time every module reads, moved on by hand: ``clock[0] += 60``."""
    moment = [1000.0]
    monkeypatch.setattr("time.time", lambda: moment[0])
    return moment


def test_a_quiet_team_that_submitted_still_counts_as_submitted(
    tmp_path: Path, clock: list[float]
) -> None:
    # A command-line team is heard only when it submits, and a team may close its
    # terminal once it has handed in: its plan still counts at the close, so the
    # roster and the "N of M submitted" count must not drop it to "offline".
    room = new_room(tmp_path, ["Alpha", "Beta"])
    room.open_round()
    room.join("Gamma", "2222", client="command line")
    room.submit("Gamma", "2222", 1, [], {})
    clock[0] += 31
    room.heartbeat("Alpha", "client-0")
    room.pause()
    room.resume()
    assert [(team.name, team.status) for team in room.teams()] == [
        ("Alpha", "deciding"),
        ("Beta", "offline"),
        ("Gamma", "submitted"),
    ]
    assert submitted_words(room.teams()) == "1 of 3 submitted"
