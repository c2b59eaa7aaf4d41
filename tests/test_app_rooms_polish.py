"""A team's app in a group session, finishing touches (Pilot): the briefing asks no
name, the debrief offers no replay, a reset PIN is asked for, a rename is followed by
name, and a session ended early shows the debrief of the quarters played."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import SIZE, close_report, plan, text, wait_for_screen
from rooms_ui_helpers import PIN, new_room, poll, team_app, to_dashboard
from textual.widgets import Button, Input, Static

from engine.rooms import Room, RoomEvent
from game.screens.briefing import BriefingScreen
from game.screens.confirm import MessageScreen
from game.screens.dashboard import Dashboard
from game.screens.debrief import DebriefScreen
from game.screens.prompt import PromptScreen
from game.screens.report import QuarterReportScreen


async def test_the_briefing_in_a_room_asks_no_name(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        briefing = await wait_for_screen(pilot, BriefingScreen)
        await pilot.pause()
        assert not briefing.query("#player") and not briefing.query("#player-label")
        assert pilot.app.focused is briefing.query_one("#begin", Button)
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        assert pilot.app.controller.session.player == "Blue"
        # No main menu to go back to: the dashboard offers none (Ctrl+Q leaves).
        shown = {key.binding.action for key in pilot.app.screen.active_bindings.values()}
        assert "plan" in shown and "menu" not in shown


async def after_a_pin_reset(pilot, room: Room) -> None:
    """Blue on its dashboard, round 1 open, its PIN just reset to 7777. The app's timer
    is stopped: the test reads the room itself (a draft would ask at any moment)."""
    await to_dashboard(pilot)
    pilot.app.stop_polling()
    room.open_round()
    await poll(pilot)
    room.reset_pin("Blue", "7777")


async def test_a_reset_pin_is_asked_for_when_the_plan_is_handed_in(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await after_a_pin_reset(pilot, room)
        await plan(pilot, ("call-round",))
        await pilot.press("enter")
        prompt = await wait_for_screen(pilot, PromptScreen)
        assert prompt.question == (
            "Team Blue's PIN has changed since you joined. Type the new PIN the facilitator "
            "gave you:"
        )
        prompt.query_one(Input).value = "1111"
        await pilot.press("enter")
        await pilot.pause()
        again = await wait_for_screen(pilot, PromptScreen)
        assert again.question == (
            "That is not Team Blue's new PIN. Team Blue's PIN has changed since you joined. "
            "Type the new PIN the facilitator gave you:"
        )
        again.query_one(Input).value = "12"
        await pilot.press("enter")
        await pilot.pause()
        third = await wait_for_screen(pilot, PromptScreen)
        assert third.question == (
            "A PIN is 4 to 12 letters or digits. Team Blue's PIN has changed since you joined. "
            "Type the new PIN the facilitator gave you:"
        )
        third.query_one(Input).value = "7777"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, Dashboard)
        assert room.submission("Blue", 1).interventions == ("call-round",)
        assert pilot.app.controller.seat.pin == "7777"


async def test_a_reset_pin_refused_while_drafting_is_asked_for(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await after_a_pin_reset(pilot, room)
        await plan(pilot, ("call-round",))
        await poll(pilot)
        prompt = await wait_for_screen(pilot, PromptScreen)
        prompt.query_one(Input).value = "7777"
        await pilot.press("enter")
        await poll(pilot)
        assert room.draft("Blue", 1).interventions == ("call-round",)


async def test_a_team_declining_the_new_pin_is_told_its_plan_was_not_handed_in(
    tmp_path: Path,
) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await after_a_pin_reset(pilot, room)
        await pilot.press("enter")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press("escape")
        message = await wait_for_screen(pilot, MessageScreen)
        assert message.text == "Team Blue's PIN has changed since you joined."
        assert room.submission("Blue", 1) is None


async def test_a_rename_is_followed_by_its_old_name_not_its_sentence(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_dashboard(pilot)
        controller = pilot.app.controller
        controller.follow_seat_changes([RoomEvent(99, 0.0, "renamed", "Navy", "Reworded.", "Blue")])
        assert (controller.seat.team, controller.session.player) == ("Navy", "Navy")
        controller.follow_seat_changes([RoomEvent(100, 0.0, "renamed", "Teal", "x", "Other")])
        assert controller.seat.team == "Navy"


async def test_a_session_ended_early_shows_the_debrief_so_far(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_dashboard(pilot)
        room.open_round()
        await poll(pilot)
        room.end()  # `goingdark session close`: the open round 1 is closed first
        await poll(pilot)
        await wait_for_screen(pilot, QuarterReportScreen)
        await poll(pilot)
        assert isinstance(pilot.app.screen, QuarterReportScreen)  # read it first
        await close_report(pilot)
        await poll(pilot)
        debrief = await wait_for_screen(pilot, DebriefScreen)
        await pilot.pause()
        assert debrief.session.quarter == 1 and not debrief.session.is_over
        assert text(debrief.query_one("#summary-note", Static)) == (
            "The facilitator ended the session after quarter 1 of 4: this debrief covers the "
            f"1 quarter played. The class report comes from the facilitator (goingdark "
            f"session report {room.code})."
        )
        shown = {key.binding.action for key in pilot.app.screen.active_bindings.values()}
        assert not shown & {"play_again", "app.rewind", "menu"}
        hints = [text(w) for w in debrief.query(Static) if text(w).startswith("n, p, ")]
        assert hints == ["n, p, ←→ or 1-7 switch tabs"]


async def test_a_session_ended_before_any_quarter_says_so(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_dashboard(pilot)
        room.end()
        await poll(pilot)
        message = await wait_for_screen(pilot, MessageScreen)
        assert message.text == "The facilitator ended the session before any quarter was played."


async def test_rejoining_an_ended_session_shows_its_debrief(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    room.join("Blue", PIN, client="old laptop")
    room.disconnect("Blue", "old laptop")
    room.advance()
    room.advance()  # round 1 closed, round 2 open
    room.end()  # round 2 closed too
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        debrief = await wait_for_screen(pilot, DebriefScreen)
        await pilot.pause()
        assert debrief.session.quarter == 2
        assert text(debrief.query_one("#summary-note", Static)).startswith(
            "The facilitator ended the session after quarter 2 of 4: this debrief covers "
            "the 2 quarters played."
        )


async def test_the_team_app_beats_at_every_reading_of_the_room(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_dashboard(pilot)
        pilot.app.stop_polling()
        seen = []
        for _ in range(3):
            await poll(pilot)
            seen.append(room.teams()[0].last_seen)
        assert seen == sorted(set(seen))  # a new heartbeat at each of the three
