"""Saving, continuing, loading, rewinding and replaying in the game (Pilot)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from conftest import MINIMAL
from pilot_helpers import SIZE, close_report, play, play_tutorial_quarters, wait_for_screen
from textual.widgets import Input, OptionList, Static

from engine.saves import list_saves, read_save
from game.app import GoingDarkApp
from game.screens.confirm import ConfirmScreen, MessageScreen
from game.screens.dashboard import Dashboard
from game.screens.load import LoadScreen
from game.screens.menu import MainMenu
from game.screens.replay import ReplayScreen
from game.screens.rewind import RewindScreen
from game.screens.save_as import SaveAsScreen


def saves_folder(home: Path) -> Path:
    return home / "saves"


async def start_tutorial(pilot) -> Dashboard:
    await pilot.pause()
    await pilot.press("enter")  # the briefing's Begin
    return await wait_for_screen(pilot, Dashboard)


async def test_every_quarter_autosaves_and_continue_picks_the_game_up(goingdark_home):
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await start_tutorial(pilot)
        assert not saves_folder(goingdark_home).exists()  # nothing to save before a quarter
        await play_tutorial_quarters(pilot, 2)
        saved = list_saves(saves_folder(goingdark_home))
        assert [(s.slot, s.quarter) for s in saved] == [("autosave", 2)]
        original = app.controller.session
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0

    again = GoingDarkApp()
    async with again.run_test(size=SIZE) as pilot:
        menu = await wait_for_screen(pilot, MainMenu)
        assert not menu.query_one("#menu", OptionList).get_option("continue").disabled
        await pilot.press("c")
        await wait_for_screen(pilot, Dashboard)
        resumed = again.controller.session
        assert resumed is not None and resumed.quarter == 2
        assert resumed.decisions == original.decisions
        assert np.array_equal(
            resumed.state.customers.satisfaction, original.state.customers.satisfaction
        )
        # Playing on keeps writing the same autosave.
        await play(pilot)
        await close_report(pilot)
    saved = list_saves(saves_folder(goingdark_home))
    assert [(s.slot, s.quarter) for s in saved] == [("autosave", 3)]


async def test_a_game_saved_under_a_name_loads_from_the_load_screen(goingdark_home):
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await start_tutorial(pilot)
        await play_tutorial_quarters(pilot, 1)
        await pilot.press("ctrl+s")
        dialog = await wait_for_screen(pilot, SaveAsScreen)
        dialog.query_one(Input).value = "Lunch break"
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        slot = saves_folder(goingdark_home) / "lunch-break.toml"
        assert read_save(slot).quarter == 1
        await play_tutorial_quarters_from(pilot, 2)
        assert read_save(slot).quarter == 1  # the named save stays as it was
        await pilot.press("escape")  # leave to the menu (saved as it leaves)
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("l")
        load = await wait_for_screen(pilot, LoadScreen)
        names = [s.slot for s in load.saves]
        assert names == ["autosave", "Lunch break"]
        await pilot.press("down", "enter")
        await wait_for_screen(pilot, Dashboard)
        assert app.controller.session.quarter == 1


async def play_tutorial_quarters_from(pilot, quarter: int) -> None:
    await play(pilot, {"fairbank-order": "promise-a-week"} if quarter == 2 else None)
    await close_report(pilot)


async def test_a_broken_save_is_listed_with_its_problem_and_left_alone(goingdark_home):
    folder = saves_folder(goingdark_home)
    folder.mkdir(parents=True)
    broken = folder / "broken.toml"
    broken.write_text("this is not = [a save", encoding="utf-8")
    before = broken.read_bytes()
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("l")
        load = await wait_for_screen(pilot, LoadScreen)
        problem = load.saves[0].problem
        assert problem and "broken.toml" in problem
        assert problem in str(load.query_one("#save-detail", Static).content)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen) and app.controller.session is None
        # Continue reports a broken autosave instead of silently skipping it.
    assert broken.read_bytes() == before


async def test_rewinding_starts_a_new_game_and_keeps_the_old_one(goingdark_home):
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await start_tutorial(pilot)
        await play_tutorial_quarters(pilot, 3)
        original = app.controller.session
        await pilot.press("w")
        rewind = await wait_for_screen(pilot, RewindScreen)
        options = rewind.query_one(OptionList)
        assert options.option_count == 3  # after quarter 2, after quarter 1, the start
        options.highlighted = 1  # after quarter 1
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        branched = app.controller.session
        assert branched is not original and branched.quarter == 1
        assert branched.decisions[1] == original.decisions[1]
        assert original.quarter == 3
    quarters = sorted(s.quarter for s in list_saves(saves_folder(goingdark_home)))
    assert quarters == [1, 3]  # the branch saved on its own; the original kept


async def test_the_replay_viewer_steps_through_a_saved_game(goingdark_home):
    folder = saves_folder(goingdark_home)
    folder.mkdir(parents=True)
    example = Path(__file__).parent.parent / "saves" / "first-quarter-complete.toml"
    shutil.copy(example, folder / example.name)
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("l")
        await wait_for_screen(pilot, LoadScreen)
        await pilot.press("v")
        replay = await wait_for_screen(pilot, ReplayScreen)
        assert replay.shown == 1
        await pilot.press("right", "right", "right", "right")
        assert replay.shown == 4  # stops at the last quarter played
        await pilot.press("left")
        assert replay.shown == 3
        await pilot.press("escape")
        await wait_for_screen(pilot, LoadScreen)


async def test_a_changed_scenario_asks_before_loading(goingdark_home, tmp_path):
    scenario = tmp_path / "minimal.toml"
    scenario.write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    app = GoingDarkApp(start=str(scenario), scenario_paths=[scenario], seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await start_tutorial(pilot)
        await play(pilot)
        await close_report(pilot)
    scenario.write_text(scenario.read_text().replace("value = 900", "value = 950"))
    again = GoingDarkApp(scenario_paths=[scenario])
    async with again.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("c")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("n")
        await wait_for_screen(pilot, MainMenu)
        assert again.controller.session is None
        await pilot.press("c")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, Dashboard | MessageScreen)
        assert again.controller.session is not None and again.controller.session.quarter == 1


async def test_a_game_that_cannot_be_saved_is_not_thrown_away(goingdark_home):
    (goingdark_home / "saves").write_text("a file where the saves folder should be")
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await start_tutorial(pilot)
        await play_tutorial_quarters(pilot, 1)  # the autosave fails: reported, not fatal
        assert isinstance(app.screen, Dashboard) and app.controller.session.quarter == 1
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")  # quit: the save fails, so the game asks again
        dialog = await wait_for_screen(pilot, ConfirmScreen)
        assert dialog.title_text == "The game could not be saved"
        await pilot.press("n")  # stay
        await wait_for_screen(pilot, Dashboard)
        assert app.controller.session.quarter == 1 and app.return_code is None


async def test_quitting_on_the_last_report_still_records_the_game(goingdark_home):
    from engine.progress import Progress
    from game.screens.report import QuarterReportScreen

    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await start_tutorial(pilot)
        await play_tutorial_quarters(pilot, 3)
        await play(pilot)  # the last quarter: its report is on screen
        await wait_for_screen(pilot, QuarterReportScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    progress = Progress.load(goingdark_home)
    assert progress.finished("first-quarter") and progress.best_stars("first-quarter") >= 1


async def test_the_team_name_typed_at_the_briefing_goes_into_the_save(goingdark_home):
    from game.screens.briefing import BriefingScreen

    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        briefing = await wait_for_screen(pilot, BriefingScreen)
        briefing.query_one("#player", Input).focus()
        await pilot.press(*"Team Blue")
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        assert app.controller.session.player == "Team Blue"
        await play(pilot)
        await close_report(pilot)
    [saved] = list_saves(saves_folder(goingdark_home))
    assert saved.player == "Team Blue"
