"""What a room of trainees tripped on (issue 10), played by key presses (Pilot): team
names, dialogs' keys, the dashboard's plan at the smallest size, Load and Replay rows.

Each test runs against its own empty GOINGDARK_HOME (the autouse fixture in conftest).
"""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import (
    SIZE,
    TUTORIAL_PLAN,
    close_report,
    plan,
    play,
    play_tutorial_quarters,
    wait_for_screen,
)
from textual.widgets import Button, OptionList, Static

from engine.progress import Progress
from engine.saves import list_saves, read_save
from game.app import GoingDarkApp
from game.screens.briefing import BriefingScreen
from game.screens.confirm import ConfirmScreen
from game.screens.dashboard import Dashboard
from game.screens.debrief import DebriefScreen
from game.screens.dilemma import DilemmaScreen
from game.screens.load import LoadScreen
from game.screens.menu import MainMenu
from game.screens.replay import ReplayScreen
from game.screens.report import QuarterReportScreen
from game.screens.rewind import RewindScreen


def footer_keys(screen) -> list[str]:
    """The descriptions the footer shows on ``screen``."""
    return [str(key.description) for key in screen.query("FooterKey")]


async def begin_as(pilot, team: str) -> Dashboard:
    """At the briefing, type a team name straight away (no Tab first) and press Enter."""
    briefing = await wait_for_screen(pilot, BriefingScreen)
    assert "team's name" in str(briefing.query_one("#player-label", Static).content)
    for key in team:
        await pilot.press("space" if key == " " else key)
    await pilot.press("enter")
    return await wait_for_screen(pilot, Dashboard)


# --- item 1: the team name ---------------------------------------------------------------------
async def test_a_name_typed_at_the_briefing_is_recorded_everywhere(goingdark_home: Path) -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, "Red Ravens")
        session = app.controller.session
        assert session is not None and session.player == "Red Ravens"
        await play_tutorial_quarters(pilot, 1)
        (autosave,) = list_saves(goingdark_home / "saves")
        assert autosave.player == "Red Ravens"
        assert read_save(autosave.path).player == "Red Ravens"
        for quarter in (2, 3, 4):  # the rest of the tutorial as TUTORIAL_PLAN plays it
            interventions, answers = TUTORIAL_PLAN[quarter]
            if interventions:
                await plan(pilot, interventions)
            await play(pilot, answers)
            await close_report(pilot)
        debrief = await wait_for_screen(pilot, DebriefScreen)
        assert "team Red Ravens" in str(debrief.query_one("#debrief-title", Static).content)
        scores = Progress.load(goingdark_home).high_scores("first-quarter")
        assert [score.player for score in scores] == ["Red Ravens"]
        await pilot.press("escape")
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("l")
        load = await wait_for_screen(pilot, LoadScreen)
        rows = load.query_one("#saves", OptionList)
        assert "Red Ravens" in str(rows.get_option_at_index(0).prompt)


# --- item 12: Load and Replay ------------------------------------------------------------------
async def autosaved_game(team: str, quarters: int) -> None:
    """Play the tutorial as ``team`` for ``quarters`` quarters, then quit (autosaved)."""
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, team)
        await play_tutorial_quarters(pilot, quarters)
        app.exit()


async def test_load_rows_say_where_whose_and_when(goingdark_home: Path) -> None:
    await autosaved_game("Owls", 1)
    await autosaved_game("Ravens", 2)
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("l")
        load = await wait_for_screen(pilot, LoadScreen)
        rows = load.query_one("#saves", OptionList)
        labels = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
        # Newest first. One quarter played: the dashboard said "Quarter 2 of 4".
        assert labels[0].startswith("First Quarter · quarter 3 of 4\nautosave · Ravens · ")
        assert labels[1].startswith("First Quarter · quarter 2 of 4\nautosave · Owls · ")
        assert labels[0] != labels[1]
        detail = str(load.query_one("#save-detail", Static).content)
        assert "Quarter 3 of 4 (2 played)" in detail

        await pilot.press("v")
        replay = await wait_for_screen(pilot, ReplayScreen)
        title = str(replay.query_one("#replay").border_title)
        assert title.startswith("Replay: First Quarter, autosave, team Ravens · quarter 1 of 2")
        assert str(goingdark_home) not in title
        assert {"Previous quarter", "Next quarter", "Back"} <= set(footer_keys(replay))
        await pilot.press("right")
        assert "quarter 2 of 2" in str(replay.query_one("#replay").border_title)


# --- item 4: dialogs answer to the arrows, and show their keys ---------------------------------
async def test_the_quit_dialog_moves_with_the_arrows_and_enter_presses(goingdark_home) -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, "")
        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, ConfirmScreen)
        # The safe answer has the focus: a reflexive Enter keeps playing.
        assert app.focused is dialog.query_one("#no", Button)
        assert str(dialog.query_one("#yes", Button).label).endswith("(y)")
        assert str(dialog.query_one("#no", Button).label) == "Keep playing (n)"
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        assert app.is_running

        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("left")
        assert app.focused is dialog.query_one("#yes", Button)
        await pilot.press("right")
        assert app.focused is dialog.query_one("#no", Button)
        await pilot.press("right")  # round the end, to Quit
        assert app.focused is dialog.query_one("#yes", Button)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_dilemma_moves_between_choices_with_the_arrows() -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, "")
        await play_tutorial_quarters(pilot, 1)
        interventions, _ = TUTORIAL_PLAN[2]
        await plan(pilot, interventions)
        await pilot.press("enter")
        dilemma = await wait_for_screen(pilot, DilemmaScreen)
        assert app.focused is dilemma.query_one("#choice-0", Button)
        await pilot.press("down")
        assert app.focused is dilemma.query_one("#choice-1", Button)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await wait_for_screen(pilot, QuarterReportScreen)
        assert dict(app.controller.session.decisions[2].choices) == {
            "fairbank-order": dilemma.event.choices[1].id
        }


async def test_the_rewind_list_takes_the_arrows_at_once() -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, "")
        await play_tutorial_quarters(pilot, 3)
        await pilot.press("w")
        rewind = await wait_for_screen(pilot, RewindScreen)
        options = rewind.query_one(OptionList)
        assert app.focused is options and options.highlighted == 2  # after quarter 2
        await pilot.press("up")
        assert options.highlighted == 1
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        assert app.controller.session.quarter == 1  # after quarter 1, not the very start
