"""A team's screen after it hands in a quarter with a dilemma (Pilot): found by a
facilitator's first full session (the room-play check)."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import SIZE, close_report, text, wait_for_screen
from rooms_ui_helpers import PIN, new_room, poll, team_app, to_dashboard
from textual.widgets import Static

from engine.rooms import Room
from game.screens.briefing import BriefingScreen
from game.screens.dashboard import Dashboard
from game.screens.report import QuarterReportScreen


async def test_an_answered_dilemma_no_longer_awaits_once_submitted(tmp_path: Path) -> None:
    # The tutorial's quarter 2 brings The Fairbank order. Enter asks it, then hands the
    # plan in with the answer: the panel must not go on saying the decision awaits.
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_dashboard(pilot)
        room.open_round()
        room.submit("Blue", PIN, 1, [], {})  # quarter 1 has no dilemma
        room.close_round()
        await poll(pilot)
        await close_report(pilot)
        room.open_round()
        await poll(pilot)
        planned = pilot.app.screen.query_one("#planned", Static)
        assert "A decision awaits: The Fairbank order" in text(planned)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2")
        await wait_for_screen(pilot, Dashboard)
        await poll(pilot)
        assert Room.open(room.code, folder=tmp_path).submission("Blue", 2).answers == {
            "fairbank-order": "promise-a-week"
        }
        planned = pilot.app.screen.query_one("#planned", Static)
        assert "A decision awaits" not in text(planned)
        assert "Submitted — waiting for the facilitator to close quarter 2" in text(planned)


async def test_a_round_closed_during_the_briefing_shows_its_report_at_the_dashboard(
    tmp_path: Path,
) -> None:
    # The team is still reading the briefing when the facilitator closes quarter 1: it
    # is defaulted, and the quarter's report opens as soon as it reaches its dashboard.
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, BriefingScreen)
        room.open_round()
        room.close_round()
        await poll(pilot)
        assert isinstance(pilot.app.screen, BriefingScreen)
        assert pilot.app.controller.session.quarter == 1
        await pilot.press("enter")
        report = await wait_for_screen(pilot, QuarterReportScreen)
        assert report.report is pilot.app.controller.session.reports[-1]
        assert pilot.app.controller.unseen_report is None
        await close_report(pilot)
        assert isinstance(pilot.app.screen, Dashboard)
