"""Shared by the group-session app tests: a room in the test's folder, team apps that
join it, and waiting for what a team's poll of the room brings."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import wait_for_screen
from textual.app import App
from textual.pilot import Pilot

from engine.rooms import Room
from game.screens.briefing import BriefingScreen
from game.screens.dashboard import Dashboard
from game.team_app import TeamApp

PIN = "4821"
SCENARIO = "first-quarter"  # the tutorial: four quarters, a dilemma in quarter 2


def new_room(folder: Path, **options) -> Room:
    """A session of the tutorial in ``folder``."""
    return Room.create(SCENARIO, folder=folder, **options)


def team_app(room: Room, team: str, folder: Path, **options) -> TeamApp:
    """A team's app that joins ``room`` as ``team`` (PIN ``PIN``) at once."""
    options.setdefault("pin", PIN)
    app = TeamApp(room.code, team=team, folder=folder, client=f"client-{team}", **options)
    app.animation_level = "none"
    return app


async def to_dashboard(pilot: Pilot) -> Dashboard:
    """From the briefing a team sees after joining, to its dashboard."""
    await wait_for_screen(pilot, BriefingScreen)
    await pilot.press("enter")
    return await wait_for_screen(pilot, Dashboard)


async def poll(pilot: Pilot) -> None:
    """Have a team's app read the room now (its timer does so every second) and let
    what that brings (a played quarter, a message) arrive."""
    pilot.app.controller.poll()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def record_notes(app: App) -> list[tuple[str, str]]:
    """Collect (title, message) of every toast ``app`` raises from now on."""
    shown: list[tuple[str, str]] = []
    notify = app.notify

    def recording(message: str, **options) -> None:
        shown.append((options.get("title", ""), message))
        notify(message, **options)

    app.notify = recording  # type: ignore[method-assign]
    return shown
