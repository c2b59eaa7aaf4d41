"""The main menu."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.commands import bindings

LOGO = r"""
  ___  ___  ___ _  _  ___   ___   _   ___ _  __
 / __|/ _ \|_ _| \| |/ __| |   \ /_\ | _ \ |/ /
| (_ | (_) || || .` | (_ | | |) / _ \|   / ' <
 \___|\___/|___|_|\_|\___| |___/_/ \_\_|_\_|\_\
"""


class MainMenu(Screen):
    """New game, continue, load, profile, help, settings, quit."""

    CSS_PATH = "../styles/menu.tcss"
    COMMAND_CONTEXT = "main-menu"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def compose(self) -> ComposeResult:
        with Vertical(id="menu-box"):
            yield Static(LOGO, id="logo")
            yield Static("Why customers quietly leave.", id="tagline")
            with Center():
                yield OptionList(
                    Option("New game", id="new"),
                    Option("Continue", id="continue"),
                    Option("Load a saved game", id="load"),
                    Option("Profile and achievements", id="profile"),
                    Option("Help", id="help"),
                    Option("Settings", id="settings"),
                    Option("Quit", id="quit"),
                    id="menu",
                )
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        actions = {
            "new": self.action_new_game,
            "continue": self.app.action_continue_game,
            "load": self.action_load,
            "profile": self.action_profile,
            "help": self.app.action_help,
            "settings": self.action_settings,
            "quit": self.app.action_quit_game,
        }
        action = actions.get(event.option.id or "")
        if action is not None:
            action()

    def action_new_game(self) -> None:
        from game.screens.browser import ScenarioBrowser

        self.app.push_screen(ScenarioBrowser())

    def on_mount(self) -> None:
        self.refresh_saves()

    def on_screen_resume(self) -> None:
        self.refresh_saves()

    def refresh_saves(self) -> None:
        """Continue and Load are offered only when there is something to load."""
        menu = self.query_one("#menu", OptionList)
        folder = self.app.controller.saves_folder
        has_saves = folder.is_dir() and any(folder.glob("*.toml"))
        for option_id in ("continue", "load"):
            if has_saves:
                menu.enable_option(option_id)
            else:
                menu.disable_option(option_id)

    def action_load(self) -> None:
        from game.screens.load import LoadScreen

        if self.app.controller.saves_folder.is_dir():
            self.app.push_screen(LoadScreen())

    def action_profile(self) -> None:
        from game.screens.profile import ProfileScreen

        self.app.push_screen(ProfileScreen())

    def action_settings(self) -> None:
        from game.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())
