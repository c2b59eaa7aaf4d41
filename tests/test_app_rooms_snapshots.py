"""Snapshots of the group-session screens: the join screen, the facilitator's console
(roster, leaderboard, charts, adoption grid, class debrief,
projector), a team's briefing, its dashboard waiting for the close, and its debrief
of a session the facilitator ended early.

Deterministic by construction: the session's code is fixed, the store's clock is
stopped (every join, heartbeat and deadline happens at one moment) and the apps are
given a clock 28 seconds later, so the countdown reads 4:32 and "last seen" 28 s ago.
Update the pictures with ``pytest tests/test_app_rooms_snapshots.py --snapshot-update``
and look at every changed one before committing it.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from pilot_helpers import SIZE, wait_for_screen
from rooms_ui_helpers import PIN, new_room
from test_app_snapshots import Steps, fixed_folders, press, steps  # noqa: F401 (fixture)
from textual.pilot import Pilot

from engine.rooms import Room
from game.facilitator_app import FacilitatorApp
from game.screens.briefing import BriefingScreen
from game.screens.dashboard import Dashboard
from game.screens.debrief import DebriefScreen
from game.screens.facilitator.console import FacilitatorConsole
from game.screens.join import JoinScreen
from game.team_app import TeamApp

CODE = "K7M2QX"
MOMENT = 1_780_000_000.0  # when everything in the session happened
LATER = MOMENT + 28  # the apps' "now": 28 s after, 4:32 before the deadline


@pytest.fixture
def room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Room:
    """A session of the tutorial with three teams, quarter 1 closed (Red defaulted) and
    quarter 2 open, Blue having submitted."""
    stopped = SimpleNamespace(time=lambda: MOMENT)
    monkeypatch.setattr("engine.rooms.room.time", stopped)
    monkeypatch.setattr("engine.rooms.facilitation.time", stopped)
    monkeypatch.setattr("engine.rooms.room.new_code", lambda: CODE)
    room = new_room(tmp_path / "sessions", deadline_minutes=5, name="Monday cohort")
    for team in ("Blue", "Red", "Green"):
        room.join(team, PIN, client=f"client-{team}")
    room.open_round()
    room.submit("Blue", PIN, 1, ["call-round", "tech-training"], {})
    room.submit("Green", PIN, 1, ["feedback-cards"], {})
    room.close_round()
    room.open_round()
    room.submit("Blue", PIN, 2, ["seasonal-blends"], {"fairbank-order": "promise-a-week"})
    return room


def console(room: Room) -> FacilitatorApp:
    app = FacilitatorApp(Room.open(room.code, folder=room.path.parent), clock=lambda: LATER)
    app.animation_level = "none"
    return app


async def settled(pilot: Pilot) -> None:
    """Wait until the console has read the room (its results load in workers)."""
    await wait_for_screen(pilot, FacilitatorConsole)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def on_console(*keys: str) -> Steps:
    """Press ``keys`` on the console once it has read the room, and let it settle."""

    async def run(pilot: Pilot) -> None:
        await settled(pilot)
        if keys:
            await pilot.press(*keys)
        await settled(pilot)

    return run


def test_join_screen(snap_compare) -> None:
    app = TeamApp()
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(screen=JoinScreen))


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["100x30", "80x24"])
def test_console(snap_compare, room: Room, size: tuple[int, int]) -> None:
    assert snap_compare(console(room), terminal_size=size, run_before=steps(on_console()))


def test_console_leaderboard(snap_compare, room: Room) -> None:
    assert snap_compare(console(room), terminal_size=SIZE, run_before=steps(on_console("2")))


def test_console_charts(snap_compare, room: Room) -> None:
    assert snap_compare(console(room), terminal_size=SIZE, run_before=steps(on_console("3")))


def test_console_adoption_grid(snap_compare, room: Room) -> None:
    assert snap_compare(console(room), terminal_size=SIZE, run_before=steps(on_console("4")))


def test_console_class_debrief(snap_compare, room: Room) -> None:
    assert snap_compare(console(room), terminal_size=SIZE, run_before=steps(on_console("5")))


def test_console_projector(snap_compare, room: Room) -> None:
    assert snap_compare(console(room), terminal_size=SIZE, run_before=steps(on_console("f")))


def test_team_waiting_for_the_close(snap_compare, room: Room) -> None:
    app = TeamApp(
        room.code,
        team="Blue",
        pin=PIN,
        folder=room.path.parent,
        client="client-Blue",
        clock=lambda: LATER,
    )
    app.animation_level = "none"

    async def joined(pilot: Pilot) -> None:
        await wait_for_screen(pilot, Dashboard)
        app.controller.poll()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(joined, screen=Dashboard))


def team_app_of(room: Room, team: str) -> TeamApp:
    """Team ``team``'s app joining ``room`` at once, its clock 28 s after the session's."""
    app = TeamApp(
        room.code,
        team=team,
        pin=PIN,
        folder=room.path.parent,
        client=f"client-{team}",
        clock=lambda: LATER,
    )
    app.animation_level = "none"
    return app


def test_team_briefing_asks_no_name(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped = SimpleNamespace(time=lambda: MOMENT)
    monkeypatch.setattr("engine.rooms.room.time", stopped)
    monkeypatch.setattr("engine.rooms.room.new_code", lambda: CODE)
    room = new_room(tmp_path / "sessions", name="Monday cohort")
    assert snap_compare(
        team_app_of(room, "Blue"), terminal_size=(80, 24), run_before=steps(screen=BriefingScreen)
    )


def test_team_debrief_of_a_session_ended_early(snap_compare, room: Room) -> None:
    room.end()  # round 2 is closed first: two quarters played of four
    assert snap_compare(
        team_app_of(room, "Blue"), terminal_size=SIZE, run_before=steps(screen=DebriefScreen)
    )
