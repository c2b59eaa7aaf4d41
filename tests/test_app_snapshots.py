"""Snapshots of every screen at 100x30 (the dashboard at 80x24 too).

Deterministic by construction: each test runs in its own empty folder, with
GOINGDARK_HOME a relative path in it (so the paths the settings and browser show
are the same on every machine), scenarios at their fixed seeds, animations off and
toasts cleared before the picture. No screen shows the current time; the profile's
dates come from a progress file written here. Textual 8 does not stop cursors
blinking in tests, so ``steps`` stops any text input's cursor before the picture.

Update the pictures with ``pytest tests/test_app_snapshots.py --snapshot-update`` and
look at every changed one before committing it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import tomli_w
from conftest import MINIMAL
from pilot_helpers import (
    SIZE,
    TUTORIAL_PLAN,
    close_report,
    open_picker,
    plan,
    play,
    toggle,
    wait_for_forecast,
    wait_for_screen,
)
from textual.pilot import Pilot
from whatif_standin import StandIn

from engine.catalog import HOME_VARIABLE
from game.app import GoingDarkApp
from game.screens.briefing import BriefingScreen
from game.screens.browser import ScenarioBrowser
from game.screens.charts import ChartsScreen
from game.screens.confirm import ConfirmScreen, MessageScreen
from game.screens.dashboard import Dashboard
from game.screens.debrief import TABS, DebriefScreen
from game.screens.dilemma import DilemmaScreen
from game.screens.help import HelpScreen
from game.screens.menu import MainMenu
from game.screens.profile import ProfileScreen
from game.screens.report import QuarterReportScreen
from game.screens.settings import SettingsScreen
from game.screens.too_small import TooSmallScreen
from game.widgets.whatif_panel import WhatIfPanel

HOME = Path("home")
Steps = Callable[[Pilot], Awaitable[None]]


@pytest.fixture(autouse=True)
def fixed_folders(goingdark_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path with a relative GOINGDARK_HOME: paths on screen never vary."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(HOME_VARIABLE, str(HOME))
    return tmp_path


def make_app(**options) -> GoingDarkApp:
    app = GoingDarkApp(**options)
    app.animation_level = "none"
    return app


def steps(*actions: Steps, screen: type | None = None) -> Steps:
    """Run ``actions`` in turn, clear any toasts, stop cursors blinking, and check the
    screen to be pictured."""

    async def run(pilot: Pilot) -> None:
        for action in actions:
            await action(pilot)
        pilot.app.clear_notifications()
        for text_input in pilot.app.screen.query("Input, TextArea"):
            text_input.cursor_blink = False
        await pilot.pause()
        if screen is not None:
            await wait_for_screen(pilot, screen)

    return run


async def begin(pilot: Pilot) -> None:
    """From a ``start=`` briefing to the first quarter's dashboard."""
    await wait_for_screen(pilot, BriefingScreen)
    await pilot.press("enter")
    await wait_for_screen(pilot, Dashboard)


async def first_quarter(pilot: Pilot) -> None:
    """Plan and play the tutorial's first quarter by keys; stay on its report."""
    interventions, answers = TUTORIAL_PLAN[1]
    await plan(pilot, interventions)
    await play(pilot, answers)


def played_directly(quarters: int) -> Steps:
    """Play the tutorial's quarters through the session (fast; no reports shown)."""

    async def run(pilot: Pilot) -> None:
        session = pilot.app.controller.session
        for quarter in range(1, quarters + 1):
            interventions, answers = TUTORIAL_PLAN[quarter]
            session.play(interventions, answers)
        await pilot.pause()

    return run


def press(*keys: str) -> Steps:
    async def run(pilot: Pilot) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    return run


# --- menus and lists -----------------------------------------------------------------------------
def test_main_menu(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(screen=MainMenu))


@pytest.fixture
def broken_scenario(fixed_folders: Path) -> Path:
    broken = MINIMAL.read_text(encoding="utf-8").replace("count = 1_500", "count = -3")
    (fixed_folders / "broken.toml").write_text(broken, encoding="utf-8")
    return Path("broken.toml")


def test_browser_with_a_broken_entry(snap_compare, broken_scenario: Path) -> None:
    """The campaign's locked entries and a broken file, its problems on the right."""
    app = make_app(scenario_paths=[broken_scenario])
    assert snap_compare(
        app, terminal_size=SIZE, run_before=steps(press("n", "end"), screen=ScenarioBrowser)
    )


def test_browser_on_a_locked_entry(snap_compare, broken_scenario: Path) -> None:
    app = make_app(scenario_paths=[broken_scenario])
    assert snap_compare(
        app, terminal_size=SIZE, run_before=steps(press("n", "down"), screen=ScenarioBrowser)
    )


def test_briefing(snap_compare) -> None:
    app = make_app(start="first-quarter")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(screen=BriefingScreen))


# --- playing -------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["100x30", "80x24"])
def test_dashboard_before_the_first_quarter(snap_compare, size: tuple[int, int]) -> None:
    app = make_app(start="first-quarter")
    assert snap_compare(app, terminal_size=size, run_before=steps(begin, screen=Dashboard))


def test_dashboard_after_a_quarter(snap_compare) -> None:
    app = make_app(start="first-quarter")
    assert snap_compare(
        app, terminal_size=SIZE, run_before=steps(begin, first_quarter, close_report)
    )


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["100x30", "80x24"])
def test_picker(snap_compare, size: tuple[int, int]) -> None:
    """The picker with its forecast of the plan against doing nothing, once ready."""

    async def choose(pilot: Pilot) -> None:
        picker = await open_picker(pilot)
        await toggle(pilot, picker, ["call-round", "tech-training"])
        await wait_for_forecast(pilot, picker)

    app = make_app(start="first-quarter")
    assert snap_compare(app, terminal_size=size, run_before=steps(begin, choose))


def test_dilemma(snap_compare) -> None:
    app = make_app(start="first-quarter")
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(begin, first_quarter, close_report, press("enter"), screen=DilemmaScreen),
    )


def test_quarter_report(snap_compare) -> None:
    app = make_app(start="first-quarter")
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(begin, first_quarter, screen=QuarterReportScreen),
    )


def test_charts_during_play(snap_compare) -> None:
    app = make_app(start="first-quarter")
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(begin, played_directly(2), press("c"), screen=ChartsScreen),
    )


def test_confirm_quitting_mid_game(snap_compare) -> None:
    app = make_app(start="first-quarter")
    assert snap_compare(
        app, terminal_size=SIZE, run_before=steps(begin, press("ctrl+q"), screen=ConfirmScreen)
    )


def test_message_over_the_dashboard(snap_compare) -> None:
    async def message(pilot: Pilot) -> None:
        pilot.app.push_screen(
            MessageScreen("The quarter could not be played", "Something went wrong.")
        )

    app = make_app(start="first-quarter")
    assert snap_compare(
        app, terminal_size=SIZE, run_before=steps(begin, message, screen=MessageScreen)
    )


# --- the debrief ---------------------------------------------------------------------------------
@pytest.mark.parametrize("tab", [pane for pane, _ in TABS if pane != "whatif"])
def test_debrief(snap_compare, tab: str) -> None:
    async def finish(pilot: Pilot) -> None:
        pilot.app.controller.finish()
        await wait_for_screen(pilot, DebriefScreen)

    number = str([pane for pane, _ in TABS].index(tab) + 1)
    app = make_app(start="first-quarter")
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(begin, played_directly(4), finish, press(number), screen=DebriefScreen),
    )


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["100x30", "80x24"])
def test_debrief_what_if(snap_compare, monkeypatch: pytest.MonkeyPatch, size) -> None:
    """The what-if tab once both passes are done, against the stand-in engine.whatif
    (fixed effects: the picture shows the layout, not the model's numbers)."""
    StandIn().install(monkeypatch)

    async def finish(pilot: Pilot) -> None:
        pilot.app.controller.finish()
        debrief = await wait_for_screen(pilot, DebriefScreen)
        await pilot.pause()
        await pilot.press(str([pane for pane, _ in TABS].index("whatif") + 1))
        panel = debrief.query_one(WhatIfPanel)
        for _ in range(200):
            if panel.ranged:
                break
            await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()

    app = make_app(start="first-quarter")
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(begin, played_directly(4), finish, screen=DebriefScreen),
    )


# --- help, settings, profile, size ---------------------------------------------------------------
def test_help(snap_compare) -> None:
    assert snap_compare(
        make_app(), terminal_size=SIZE, run_before=steps(press("f1"), screen=HelpScreen)
    )


def test_settings(snap_compare) -> None:
    assert snap_compare(
        make_app(), terminal_size=SIZE, run_before=steps(press("s"), screen=SettingsScreen)
    )


# Noon UTC: the same local date in every time zone from UTC-11 to UTC+11.
PROGRESS = {
    "format": 1,
    "settings": {"theme": "going-dark", "unlock_all": False},
    "scenarios": {
        "first-quarter": {
            "finished": True,
            "best_stars": 2,
            "scores": [
                {
                    "score": 61.2,
                    "stars": 2,
                    "seed": 10,
                    "player": "Team Amber",
                    "date": "2025-03-04T12:00:00+00:00",
                },
                {
                    "score": 38.0,
                    "stars": 1,
                    "seed": 11,
                    "player": "",
                    "date": "2025-03-01T12:00:00+00:00",
                },
            ],
            "achievements": {"kept-promises": "2025-03-04T12:00:00+00:00"},
        }
    },
}


def test_profile(snap_compare, fixed_folders: Path) -> None:
    home = fixed_folders / HOME
    home.mkdir()
    (home / "progress.toml").write_text(tomli_w.dumps(PROGRESS), encoding="utf-8")
    assert snap_compare(
        make_app(), terminal_size=SIZE, run_before=steps(press("p"), screen=ProfileScreen)
    )


def test_too_small(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(60, 20), run_before=steps(screen=TooSmallScreen))


# --- saves -------------------------------------------------------------------------------------
@pytest.fixture
def example_saves(fixed_folders: Path) -> Path:
    """The committed example saves (fixed times) in the test's saves folder, plus a
    broken one."""
    import shutil

    folder = fixed_folders / HOME / "saves"
    folder.mkdir(parents=True)
    examples = Path(__file__).parent.parent / "saves"
    for name in ("first-quarter-complete.toml", "quota-season-lunch-break.toml"):
        shutil.copy(examples / name, folder / name)
    (folder / "half-written.toml").write_text("scenario = 'first-quarter'\n[save", "utf-8")
    return folder


def test_load_screen(snap_compare, example_saves: Path) -> None:
    from game.screens.load import LoadScreen

    assert snap_compare(
        make_app(), terminal_size=SIZE, run_before=steps(press("l"), screen=LoadScreen)
    )


def test_replay_viewer(snap_compare, example_saves: Path) -> None:
    from textual.widgets import OptionList

    from game.screens.load import LoadScreen
    from game.screens.replay import ReplayScreen

    async def pick_the_tutorial(pilot: Pilot) -> None:
        load = await wait_for_screen(pilot, LoadScreen)
        names = [summary.path.name for summary in load.saves]
        load.query_one(OptionList).highlighted = names.index("first-quarter-complete.toml")
        await pilot.pause()

    assert snap_compare(
        make_app(),
        terminal_size=SIZE,
        run_before=steps(
            press("l"), pick_the_tutorial, press("v"), press("right"), screen=ReplayScreen
        ),
    )


def test_save_as(snap_compare) -> None:
    from game.screens.save_as import SaveAsScreen

    app = make_app(start="first-quarter")
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(begin, played_directly(1), press("ctrl+s"), screen=SaveAsScreen),
    )


def test_rewind(snap_compare) -> None:
    from game.screens.rewind import RewindScreen

    app = make_app(start="first-quarter")
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(begin, played_directly(3), press("w"), screen=RewindScreen),
    )
