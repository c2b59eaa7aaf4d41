"""Rejoining after a crash: a team process killed with kill -9 frees its seat a few
seconds after its last heartbeat, while a live client keeps it."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
import rooms_worker
from rooms_helpers import new_room

from engine.rooms import RoomError
from engine.rooms.records import OFFLINE_AFTER, SEAT_FREE_AFTER

TAKEN = (
    "Team Alpha is already playing on another screen: close it, or ask the facilitator "
    "to allow a takeover."
)


def last_seen(path: Path, team: str) -> float:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT last_seen FROM teams WHERE name = ?", (team,)).fetchone()[
            0
        ]


def test_a_killed_team_rejoins_from_a_new_screen_within_seconds(
    tmp_path: Path, fork_server_preload: list[str]
) -> None:
    assert SEAT_FREE_AFTER <= 5 < OFFLINE_AFTER
    room = new_room(tmp_path, ["Beta"])
    room.open_round()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(fork_server_preload)
    ready = tmp_path / "ready"
    child = context.Process(
        target=rooms_worker.join_and_beat,
        args=(str(tmp_path), room.code, "Alpha", "crashing laptop", str(ready)),
    )
    child.start()
    try:
        end = time.monotonic() + 60
        while not ready.exists():
            assert child.exitcode is None and time.monotonic() < end, "the team never beat"
            time.sleep(0.05)
        # While the first screen beats, a second one is refused.
        with pytest.raises(RoomError) as refused:
            room.join("Alpha", "1234", client="new laptop")
        assert str(refused.value) == TAKEN
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
    assert child.exitcode == -signal.SIGKILL
    # The seat is free once the crashed client has been silent for SEAT_FREE_AFTER
    # seconds; the roster still says connected (offline comes later).
    silent_from = last_seen(room.path, "Alpha")
    time.sleep(max(0.0, silent_from + SEAT_FREE_AFTER + 0.1 - time.time()))
    alpha = next(team for team in room.teams() if team.name == "Alpha")
    assert alpha.status == "submitted"
    joined = room.join("Alpha", "1234", client="new laptop")
    assert (joined.name, joined.status, joined.connected) == ("Alpha", "submitted", True)
    # It continues where it was: its plan is still this round's submission.
    assert room.submission("Alpha", 1).interventions == ("call-round",)
    assert [e.kind for e in room.events()][-1] == "rejoined"
    with pytest.raises(RoomError) as refused:
        room.heartbeat("Alpha", "crashing laptop")
    assert str(refused.value) == "Team Alpha is now playing on another screen."
