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
from textual.widgets import OptionList, Static

from engine.progress import Progress
from engine.saves import list_saves, read_save
from game.app import GoingDarkApp
from game.screens.briefing import BriefingScreen
from game.screens.dashboard import Dashboard
from game.screens.debrief import DebriefScreen
from game.screens.load import LoadScreen
from game.screens.menu import MainMenu
from game.screens.replay import ReplayScreen


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
