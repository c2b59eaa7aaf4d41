"""The game controller and the command registry, driven through the app (Pilot).

A screen asks the controller for a quarter and hears back by message; these tests
listen to those messages directly."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import SIZE, wait_for_screen
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Markdown, TabbedContent

from engine.errors import PolicyError
from engine.saves import read_save
from engine.session import GameSession
from game.app import GoingDarkApp
from game.commands import CONTEXTS, help_bindings, palette_commands
from game.controller.interface import GameController
from game.messages import QuarterFailed, QuarterPlayed
from game.screens.briefing import BriefingScreen
from game.screens.browser import ScenarioBrowser
from game.screens.charts import ChartsScreen
from game.screens.confirm import ConfirmScreen, MessageScreen
from game.screens.dashboard import Dashboard
from game.screens.debrief import TABS, DebriefScreen
from game.screens.dilemma import DilemmaScreen
from game.screens.facilitator.console import FacilitatorConsole
from game.screens.help import HelpScreen
from game.screens.interventions import InterventionPicker
from game.screens.join import JoinScreen
from game.screens.load import LoadScreen
from game.screens.menu import MainMenu
from game.screens.profile import ProfileScreen
from game.screens.prompt import PromptScreen
from game.screens.replay import ReplayScreen
from game.screens.report import QuarterReportScreen
from game.screens.rewind import RewindScreen
from game.screens.save_as import SaveAsScreen
from game.screens.settings import SettingsScreen

SCREENS = (
    BriefingScreen,
    ChartsScreen,
    ConfirmScreen,
    Dashboard,
    DebriefScreen,
    DilemmaScreen,
    FacilitatorConsole,
    HelpScreen,
    InterventionPicker,
    JoinScreen,
    LoadScreen,
    MainMenu,
    MessageScreen,
    ProfileScreen,
    PromptScreen,
    QuarterReportScreen,
    ReplayScreen,
    RewindScreen,
    SaveAsScreen,
    ScenarioBrowser,
    SettingsScreen,
)


class Listener(Widget):
    """Stands in for a screen that asked for a quarter: keeps what it hears."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[Message] = []

    def on_quarter_played(self, message: QuarterPlayed) -> None:
        self.heard.append(message)
        message.stop()

    def on_quarter_failed(self, message: QuarterFailed) -> None:
        self.heard.append(message)
        message.stop()


async def heard(pilot, listener: Listener) -> Message:
    """Wait for the one message the listener is to hear, and return it."""
    for _ in range(100):
        if listener.heard:
            [message] = listener.heard
            return message
        await pilot.pause(0.05)
    raise AssertionError("the controller never answered")


async def listening_dashboard(pilot) -> tuple[Dashboard, Listener]:
    await wait_for_screen(pilot, BriefingScreen)
    await pilot.press("enter")
    dashboard = await wait_for_screen(pilot, Dashboard)
    listener = Listener()
    await dashboard.mount(listener)
    return dashboard, listener


async def test_a_submitted_quarter_is_played_saved_and_announced(goingdark_home: Path) -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        _, listener = await listening_dashboard(pilot)
        controller = app.controller
        controller.submit_quarter(["call-round"], {}, reply_to=listener)
        assert controller.busy
        message = await heard(pilot, listener)
        assert isinstance(message, QuarterPlayed) and message.report.quarter == 1
        assert not controller.busy
        session = controller.session
        assert session is not None and session.quarter == 1
        assert session.decisions[1].interventions == ("call-round",)
        # Autosaved before the result was announced, in the file the controller holds.
        assert controller.autosave_path is not None
        assert read_save(controller.autosave_path).quarter == 1


async def test_a_failed_quarter_is_announced_and_nothing_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(self, interventions=(), choices=None):
        raise PolicyError("not this quarter")

    monkeypatch.setattr(GameSession, "play", fail)
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        _, listener = await listening_dashboard(pilot)
        app.controller.submit_quarter([], {}, reply_to=listener)
        message = await heard(pilot, listener)
        assert isinstance(message, QuarterFailed) and message.text == "not this quarter"
        assert not app.controller.busy and app.controller.session.quarter == 0
        assert app.controller.autosave_path is None


async def test_a_failed_autosave_is_reported_and_the_quarter_still_arrives(
    goingdark_home: Path,
) -> None:
    (goingdark_home / "saves").write_text("a file where the saves folder should be")
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        _, listener = await listening_dashboard(pilot)
        app.controller.submit_quarter([], {}, reply_to=listener)
        message = await heard(pilot, listener)
        assert isinstance(message, QuarterPlayed)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and errors[0].startswith("The game could not be saved: ")
        assert app.controller.autosave_path is None


async def test_the_local_controller_offers_saving_rewinding_and_loading() -> None:
    controller = GoingDarkApp().controller
    assert isinstance(controller, GameController)
    capabilities = controller.capabilities
    assert capabilities.can_save_as and capabilities.can_rewind and capabilities.can_load


# --- the command registry ------------------------------------------------------------------------
def test_every_command_names_an_action_its_screen_has() -> None:
    contexts = {screen.COMMAND_CONTEXT: screen for screen in SCREENS}
    assert set(contexts) | {"everywhere"} == set(CONTEXTS)
    for name, context in CONTEXTS.items():
        for command in context.commands:
            target = GoingDarkApp if name == "everywhere" else contexts[name]
            action = command.action
            if action.startswith("app."):
                target, action = GoingDarkApp, action.removeprefix("app.")
            method = f"action_{action.split('(')[0]}"
            assert hasattr(target, method), f"{name}: {command.keys} runs {method}"


def test_the_debrief_keys_open_its_tabs_in_order() -> None:
    tab_commands = [
        (c.keys, c.action, c.description)
        for c in CONTEXTS["debrief"].commands
        if c.action.startswith("show_tab")
    ]
    assert tab_commands == [
        (str(number), f"show_tab('{pane}')", f"{label} tab")
        for number, (pane, label) in enumerate(TABS, start=1)
    ]


# --- help prose ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "tab", "words"),
    [("3", "model", "Mediocrity drift"), ("4", "play", "Before you start")],
)
async def test_help_prose_is_shown_from_its_markdown_file(key: str, tab: str, words: str) -> None:
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        tabs = help_screen.query_one(TabbedContent)
        assert tabs.active == tab
        [page] = tabs.get_pane(tab).query(Markdown)
        assert words in page.source


def test_every_key_says_what_it_does_and_the_palette_offers_only_commands() -> None:
    """Help's Keys tab prints each command's description: none may be blank (it would
    show the raw action, e.g. "scroll(1)"); movement keys stay out of the palette and
    out of the per-screen lists (help's "Moving around" covers them)."""
    blank = [
        f"{name}: {command.keys}"
        for name, context in CONTEXTS.items()
        for command in context.commands
        if not command.description.strip()
    ]
    assert blank == []
    for name in CONTEXTS:
        offered = [command for command, _ in palette_commands(name)]
        assert not any(command.movement for command in offered)
    listed = {binding.action for binding in help_bindings("briefing")}
    assert "scroll(1)" not in listed and "begin" in listed
