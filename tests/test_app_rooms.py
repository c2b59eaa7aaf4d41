"""Group sessions played by key presses (Pilot): a facilitator's console and three team
apps on one session file, rejoining after the app closed mid-round, a second screen
for a team refused until the facilitator allows it, and each bad input's message.

Each test runs against its own session folder (``tmp_path``). A team's app reads the
room every second by itself; the tests also make it read the room at once (``poll``)
rather than wait for its timer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pilot_helpers import SIZE, close_report, plan, text, wait_for_screen
from rooms_ui_helpers import PIN, new_room, poll, record_notes, team_app, to_dashboard
from textual.widgets import Input, Static

from engine.rooms import Room
from game.cli import main
from game.commands import CONTEXTS
from game.controller.interface import GameController
from game.facilitator_app import FacilitatorApp
from game.screens.confirm import ConfirmScreen, MessageScreen
from game.screens.dashboard import Dashboard
from game.screens.facilitator.console import TABS, FacilitatorConsole
from game.screens.join import JoinScreen
from game.screens.prompt import PromptScreen
from game.screens.report import QuarterReportScreen
from game.team_app import TeamApp

FIELDS = ("#join-code", "#join-team", "#join-pin")


def same_game(app: TeamApp, room: Room, team: str) -> bool:
    """Whether the team's screen shows the game the room replays for it."""
    mine, roomed = app.controller.session, room.game(team)
    return mine.quarter == roomed.quarter and all(
        np.array_equal(mine.series(metric), roomed.series(metric))
        for metric in ("logo_retention", "revenue", "engagement", "budget")
    )


def planned_text(pilot) -> str:
    return text(pilot.app.screen.query_one("#planned", Static))


async def test_a_facilitator_runs_a_round_for_three_teams(tmp_path: Path) -> None:
    room = new_room(tmp_path, deadline_minutes=10)
    console = FacilitatorApp(Room.open(room.code, folder=tmp_path))
    blue, red, green = (team_app(room, name, tmp_path) for name in ("Blue", "Red", "Green"))
    heard = {app: record_notes(app) for app in (blue, red, green, console)}
    async with (
        console.run_test(size=SIZE) as desk,
        blue.run_test(size=SIZE) as blue_pilot,
        red.run_test(size=SIZE) as red_pilot,
        green.run_test(size=SIZE) as green_pilot,
    ):
        teams = (blue_pilot, red_pilot, green_pilot)
        for pilot in teams:
            await to_dashboard(pilot)
        await wait_for_screen(desk, FacilitatorConsole)
        await desk.press("o")
        await desk.pause()
        assert room.info().state == "open"

        # Blue plans and submits; Green submits an empty plan; Red only drafts a plan.
        await plan(blue_pilot, ("call-round",))
        await blue_pilot.press("enter")
        await blue_pilot.pause()
        assert (
            "Submitted — waiting for the facilitator to close quarter 1 (you can still "
            "change your plan)." in planned_text(blue_pilot)
        )
        await plan(blue_pilot, ("tech-training",))  # ticks it
        assert "Changed since you submitted: Enter submits this plan instead." in planned_text(
            blue_pilot
        )
        assert room.submission("Blue", 1).interventions == ("call-round",)
        await plan(blue_pilot, ("tech-training",))  # unticks it: the plan submitted
        assert "Submitted — waiting" in planned_text(blue_pilot)
        await green_pilot.press("enter")
        await green_pilot.pause()
        await plan(red_pilot, ("tech-training",))
        await poll(red_pilot)
        assert room.draft("Red", 1).interventions == ("tech-training",)
        assert room.submission("Red", 1) is None

        # A broadcast reaches every team's screen.
        await desk.press("b")
        prompt = await wait_for_screen(desk, PromptScreen)
        prompt.query_one(Input).value = "Two minutes left"
        await desk.press("enter")
        await desk.pause()
        for pilot in teams:
            await poll(pilot)
            assert ("From the facilitator", "Two minutes left") in heard[pilot.app]

        # The facilitator closes the round: Red is defaulted to its draft.
        await desk.press("x")
        await desk.pause()
        assert ("", "Quarter 1 closed: 1 team defaulted (Red).") in heard[console]
        sources = {d.team: (d.source, d.interventions) for d in room.decisions()}
        assert sources == {
            "Blue": ("team", ("call-round",)),
            "Red": ("draft", ("tech-training",)),
            "Green": ("team", ()),
        }
        for pilot in teams:
            await poll(pilot)
            await wait_for_screen(pilot, QuarterReportScreen)
            assert same_game(pilot.app, room, pilot.app.controller.seat.team)
            dashboard = await close_report(pilot)
            assert isinstance(dashboard, Dashboard)
            assert "Quarter 2 of 4" in text(dashboard.query_one("#status", Static))
        assert [note for note in heard[red] if note[1].startswith("Quarter 1")] == [
            (
                "",
                "Quarter 1 closed before you submitted, so your draft was played: "
                "Technician training.",
            )
        ]
        assert not any(note[1].startswith("Quarter 1") for note in heard[blue] + heard[green])
        # The console's roster and leaderboard read the room.
        await desk.pause()
        roster = desk.app.screen.query_one("#roster")
        assert [roster.get_row_at(i)[0] for i in range(roster.row_count)] == [
            "Blue",
            "Red",
            "Green",
        ]
        assert {row.team for row in room.standings()} == {"Blue", "Red", "Green"}


async def test_a_team_that_never_planned_gets_the_defaults(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    heard = record_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await to_dashboard(pilot)
        room.open_round()
        await poll(pilot)
        assert room.close_round() == ["Blue"]
        await poll(pilot)
        await wait_for_screen(pilot, QuarterReportScreen)
    [decision] = room.decisions("Blue")
    assert decision.source == "default" and decision.interventions == ()
    assert (
        "",
        "Quarter 1 closed before you submitted, so it was played with no interventions "
        "and each decision's default answer.",
    ) in heard


async def test_every_screen_shows_the_round_and_its_countdown(tmp_path: Path) -> None:
    room = new_room(tmp_path, deadline_minutes=5)

    def two_minutes_five_left() -> float:
        deadline = room.info().deadline
        return 0.0 if deadline is None else deadline - 125

    app = team_app(room, "Blue", tmp_path, clock=two_minutes_five_left)
    async with app.run_test(size=SIZE) as pilot:
        await to_dashboard(pilot)
        room.open_round()
        await poll(pilot)
        bar = pilot.app.screen.query_one("RoomBar", Static)
        assert text(bar) == "Q1/4 · 2:05 left"
        await pilot.press("i")
        await pilot.pause()
        await poll(pilot)
        assert text(pilot.app.screen.query_one("RoomBar", Static)) == "Q1/4 · 2:05 left"
        room.pause()
        await poll(pilot)
        assert text(pilot.app.screen.query_one("RoomBar", Static)).startswith("Q1/4 paused · ")


async def test_a_team_rejoins_where_it_was_after_its_app_closed(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    first = team_app(room, "Blue", tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await to_dashboard(pilot)
        room.open_round()
        await poll(pilot)
        await plan(pilot, ("call-round", "tech-training"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert room.submission("Blue", 1).interventions == ("call-round", "tech-training")

    again = TeamApp(room.code, team="blue", pin=PIN, folder=tmp_path, client="another")
    async with again.run_test(size=SIZE) as pilot:
        dashboard = await wait_for_screen(pilot, Dashboard)
        await pilot.pause()
        assert dashboard.planned == ["call-round", "tech-training"]
        assert "Submitted — waiting for the facilitator to close quarter 1" in planned_text(pilot)
        assert pilot.app.controller.seat.team == "Blue"
        room.close_round()
        await poll(pilot)
        await wait_for_screen(pilot, QuarterReportScreen)
        assert same_game(pilot.app, room, "Blue")
        assert pilot.app.controller.session.quarter == 1


async def test_a_second_screen_is_refused_until_the_facilitator_allows_it(
    tmp_path: Path,
) -> None:
    room = new_room(tmp_path)
    moments = [1000.0]
    first = team_app(room, "Blue", tmp_path, clock=lambda: moments[0])
    second = TeamApp(room.code, team="Blue", pin=PIN, folder=tmp_path, client="second")
    async with first.run_test(size=SIZE) as one, second.run_test(size=SIZE) as two:
        await to_dashboard(one)
        join = await wait_for_screen(two, JoinScreen)
        await two.pause()
        assert text(join.query_one("#join-problem", Static)) == (
            "Team Blue is already playing on another screen: close it, or ask the "
            "facilitator to allow a takeover."
        )
        room.allow_takeover("Blue")
        await two.press("enter")
        await to_dashboard(two)
        moments[0] += 10  # the first screen's next heartbeat is due
        await poll(one)
        message = await wait_for_screen(one, MessageScreen)
        assert message.text == "Team Blue is now playing on another screen."


async def test_joining_says_what_is_wrong(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    room.join("Blue", PIN, client="elsewhere")
    room.disconnect("Blue", "elsewhere")
    app = TeamApp(folder=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        join = await wait_for_screen(pilot, JoinScreen)
        problem = join.query_one("#join-problem", Static)
        await pilot.press("enter")
        assert text(problem) == "Please type the code and a team name and a PIN."
        cases = [
            (("ZZZZZZ", "Blue", PIN), f"No session has the code ZZZZZZ (looked in {tmp_path})."),
            (
                (room.code, "Blue", "9999"),
                "Team Blue already exists and that is not its PIN: choose another name, or "
                "ask the facilitator to reset the team's PIN.",
            ),
            ((room.code, "Red", "12"), "A PIN is 4 to 12 letters or digits."),
        ]
        for (code, team, pin), expected in cases:
            for field, value in zip(FIELDS, (code, team, pin), strict=True):
                join.query_one(field, Input).value = value
            join.query_one("#join-pin", Input).focus()
            await pilot.press("enter")  # (a button takes no second click within 0.2 s)
            await pilot.pause()
            assert text(problem) == expected
        assert isinstance(pilot.app.screen, JoinScreen)


def test_facilitate_names_a_session_that_is_not_there(tmp_path: Path, capsys) -> None:
    assert main(["facilitate", "zzzzzz", "--sessions", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"goingdark facilitate: No session has the code ZZZZZZ (looked in {tmp_path}).\n"
    )


async def test_restarting_the_console_leaves_the_round_alone(tmp_path: Path) -> None:
    room = new_room(tmp_path, deadline_minutes=10)
    room.join("Blue", PIN, client="blue")
    room.open_round()
    room.submit("Blue", PIN, 1, ["call-round"], {})
    before = room.info()
    for _ in range(2):
        console = FacilitatorApp(Room.open(room.code, folder=tmp_path))
        async with console.run_test(size=SIZE) as desk:
            screen = await wait_for_screen(desk, FacilitatorConsole)
            await desk.pause()
            assert "1 of 1 submitted" in text(screen.query_one("#console-title", Static))
            await desk.press("ctrl+q")
            await desk.pause()
    after = room.info()
    assert (after.state, after.quarter, after.deadline) == ("open", 1, before.deadline)
    assert room.submission("Blue", 1).interventions == ("call-round",)


async def test_a_team_in_a_room_may_not_save_rewind_or_load(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    app = team_app(room, "Blue", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_dashboard(pilot)
        controller = pilot.app.controller
        assert isinstance(controller, GameController)
        capabilities = controller.capabilities
        assert not (capabilities.can_save_as or capabilities.can_rewind or capabilities.can_load)
        shown = {key.binding.action for key in pilot.app.screen.active_bindings.values()}
        assert "plan" in shown and not shown & {"app.rewind", "app.save_as"}


def test_the_console_keys_open_its_tabs_in_order() -> None:
    tab_commands = [
        (c.keys, c.action) for c in CONTEXTS["facilitator"].commands if "show_tab" in c.action
    ]
    assert tab_commands == [
        (str(number), f"show_tab('{pane}')") for number, (pane, _) in enumerate(TABS, start=1)
    ]


async def test_the_console_renames_and_removes_teams_by_keys(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    console = FacilitatorApp(Room.open(room.code, folder=tmp_path))
    blue, red = team_app(room, "Blue", tmp_path), team_app(room, "Red", tmp_path)
    async with (
        console.run_test(size=SIZE) as desk,
        blue.run_test(size=SIZE) as blue_pilot,
        red.run_test(size=SIZE) as red_pilot,
    ):
        for pilot in (blue_pilot, red_pilot):
            await to_dashboard(pilot)
        await wait_for_screen(desk, FacilitatorConsole)
        desk.app.screen.refresh_room()
        await desk.pause()
        assert desk.app.screen.selected_team() == "Blue"
        await desk.press("e")
        prompt = await wait_for_screen(desk, PromptScreen)
        prompt.query_one(Input).value = "Navy"
        await desk.press("enter")
        await desk.pause()
        await poll(blue_pilot)
        assert blue.controller.seat.team == "Navy"
        await desk.press("o")
        await blue_pilot.press("enter")
        await blue_pilot.pause()
        assert room.submission("Navy", 1) is not None

        await desk.press("down", "delete")
        await wait_for_screen(desk, ConfirmScreen)
        await desk.press("y")
        await desk.pause()
        assert [team.name for team in room.teams()] == ["Navy"]
        await poll(red_pilot)
        message = await wait_for_screen(red_pilot, MessageScreen)
        assert message.text == "Team Red was removed from the session."


async def test_the_console_pauses_reveals_and_resets_by_keys(tmp_path: Path) -> None:
    room = new_room(tmp_path, deadline_minutes=5)
    room.join("Blue", PIN, client="blue")
    console = FacilitatorApp(Room.open(room.code, folder=tmp_path))
    async with console.run_test(size=SIZE) as desk:
        await wait_for_screen(desk, FacilitatorConsole)
        await desk.press("o", "p")
        await desk.pause()
        assert room.info().state == "paused"
        await desk.press("p", "v")
        await desk.pause()
        assert (room.info().state, room.info().reveal) == ("open", True)
        assert all(standing.true_figures for standing in room.standings())
        await desk.press("k")
        prompt = await wait_for_screen(desk, PromptScreen)
        prompt.query_one(Input).value = "2468"
        await desk.press("enter", "a", "f")
        await desk.pause()
        room.join("Blue", "2468", client="another")  # the new PIN, and a takeover allowed
        assert desk.app.screen.has_class("-projector")
        kinds = [event.kind for event in room.events()]
        assert kinds[-4:] == ["revealed", "pin-reset", "takeover-allowed", "rejoined"]


async def test_the_console_closes_a_round_at_its_deadline(tmp_path: Path) -> None:
    room = new_room(tmp_path, deadline_minutes=1)
    room.join("Blue", PIN, client="blue")
    room.open_round()
    deadline = room.info().deadline
    console = FacilitatorApp(Room.open(room.code, folder=tmp_path), clock=lambda: deadline + 1)
    heard = record_notes(console)
    async with console.run_test(size=SIZE) as desk:
        await wait_for_screen(desk, FacilitatorConsole)
        await desk.pause()
    assert (room.info().state, room.info().quarter) == ("waiting", 2)
    assert ("", "Quarter 1 closed at its deadline.") in heard
    [decision] = room.decisions("Blue")
    assert decision.source == "default"


async def test_an_empty_roster_says_how_teams_join(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    console = FacilitatorApp(Room.open(room.code, folder=tmp_path))
    async with console.run_test(size=SIZE) as desk:
        screen = await wait_for_screen(desk, FacilitatorConsole)
        await desk.pause()
        note = screen.query_one("#roster-note", Static)
        assert note.display
        assert text(note) == f"No team has joined yet. Teams join with:  goingdark join {room.code}"
        room.join("Blue", PIN, client="blue")
        screen.refresh_room(full=True)
        await desk.pause()
        assert not note.display


async def test_a_finished_session_offers_no_round_keys(tmp_path: Path) -> None:
    room = new_room(tmp_path)
    room.end()
    console = FacilitatorApp(Room.open(room.code, folder=tmp_path))
    async with console.run_test(size=SIZE) as desk:
        screen = await wait_for_screen(desk, FacilitatorConsole)
        await desk.pause()
        footer = {str(key.description) for key in screen.query("FooterKey")}
        assert {"Open", "Close", "Pause"}.isdisjoint(footer)
        assert {"Send", "Reveal", "Projector"} <= footer
