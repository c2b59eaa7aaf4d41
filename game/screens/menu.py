"""The main menu."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

LOGO = r"""
  ___  ___  ___ _  _  ___   ___   _   ___ _  __
 / __|/ _ \|_ _| \| |/ __| |   \ /_\ | _ \ |/ /
| (_ | (_) || || .` | (_ | | |) / _ \|   / ' <
 \___|\___/|___|_|\_|\___| |___/_/ \_\_|_\_|\_\
"""


class MainMenu(Screen):
    """New game, continue, load, profile, help, settings, quit."""

    CSS_PATH = "../styles/menu.tcss"
    BINDINGS = [
        Binding("n", "new_game", "New game", id="new-game"),
        Binding("p", "profile", "Profile", id="profile"),
        Binding("s", "settings", "Settings", id="settings"),
        Binding("q", "app.quit_game", "Quit", id="menu-quit", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="menu-box"):
            yield Static(LOGO, id="logo")
            yield Static("Why customers quietly leave.", id="tagline")
            with Center():
                yield OptionList(
                    Option("New game", id="new"),
                    Option("Continue", id="continue", disabled=True),
                    Option("Load a saved game", id="load", disabled=True),
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

    def action_profile(self) -> None:
        from game.screens.profile import ProfileScreen

        self.app.push_screen(ProfileScreen())

    def action_settings(self) -> None:
        from game.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())
