"""Settings: colour theme, unlocking every scenario, and where the player's files live."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, RadioButton, RadioSet, Static, Switch

from engine.catalog import HOME_VARIABLE, user_scenario_dir
from game.commands import bindings
from game.themes import THEME_LABELS


class SettingsScreen(Screen):
    """Changes apply at once and are saved with the player's progress; Escape returns."""

    CSS_PATH = "../styles/settings.tcss"
    COMMAND_CONTEXT = "settings"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def compose(self) -> ComposeResult:
        progress = self.app.controller.progress
        with VerticalScroll(id="settings"):
            with Vertical(id="theme-box", classes="settings-box"):
                with RadioSet(id="themes", compact=True):
                    for name, label in THEME_LABELS.items():
                        yield RadioButton(label, value=name == self.app.theme, name=name)
                yield Static(self.colour_text(), id="colour", classes="settings-note")
            with Vertical(id="unlock-box", classes="settings-box"):
                with Horizontal(id="unlock-row"):
                    yield Switch(progress.unlock_all, id="unlock")
                    yield Static(id="unlock-label")
                yield Static(self.unlock_note(), id="unlock-note", classes="settings-note")
            with Vertical(id="files-box", classes="settings-box"):
                yield Static(self.files_text(), id="files")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#theme-box").border_title = "Colour theme"
        self.query_one("#unlock-box").border_title = "Campaign"
        self.query_one("#files-box").border_title = "Where your files live"
        self.show_theme(self.app.theme)
        self.show_unlock()
        self.query_one("#themes", RadioSet).focus()
        # A theme chosen from the command palette shows here too.
        self.watch(self.app, "theme", self.show_theme, init=False)

    # --- text -----------------------------------------------------------------------------
    # States are also written out in words: with NO_COLOR, switches and radio buttons
    # look the same on and off.
    def colour_text(self) -> str:
        text = ""
        if self.app.theme not in THEME_LABELS:
            text = f"In use: {escape(self.app.theme)}, chosen from the command palette. "
        text += (
            "Applies at once. NO_COLOR is respected: start the game with NO_COLOR=1 in the "
            "environment for no colours."
        )
        if self.app.no_color:
            text += " [b]NO_COLOR is set: colours are off.[/b]"
        return text

    def unlock_note(self) -> str:
        note = (
            "The campaign opens one scenario at a time. Switch this on to open every "
            "scenario, for a workshop or to try a later case."
        )
        if self.app.unlock_all:
            note += " [b]This run was started with --unlock-all: every scenario is open.[/b]"
        return note

    def files_text(self) -> str:
        return (
            f"[b]Progress [/b] {escape(str(self.app.controller.progress.path))}\n"
            f"[b]Scenarios[/b] {escape(str(user_scenario_dir()))} (your own .toml files)\n"
            f"[$foreground-muted]Set {HOME_VARIABLE} to keep them elsewhere; "
            "r in the scenario browser reloads your scenarios.[/]"
        )

    def show_unlock(self) -> None:
        state = "on" if self.app.controller.progress.unlock_all else "off"
        self.query_one("#unlock-label", Static).update(
            f"Unlock every scenario (for facilitators): [b]{state}[/b]"
        )

    # --- changes --------------------------------------------------------------------------
    def show_theme(self, name: str) -> None:
        for button in self.query(RadioButton):
            chosen = button.name == name
            if button.value != chosen:
                button.value = chosen
            label = THEME_LABELS[button.name or ""]
            button.label = f"{label}  (in use)" if chosen else label
        self.query_one("#colour", Static).update(self.colour_text())

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        name = event.pressed.name
        if name is None or (name == self.app.theme and name == self.app.controller.progress.theme):
            return
        try:
            self.app.save_theme(name)
        except OSError as exc:
            self.notify(
                f"The theme is applied but could not be saved: {exc}",
                severity="error",
                timeout=10,
            )

    def on_switch_changed(self, event: Switch.Changed) -> None:
        progress = self.app.controller.progress
        if progress.unlock_all == event.value:
            return
        progress.unlock_all = event.value
        self.show_unlock()
        try:
            progress.save()
        except OSError as exc:
            self.notify(
                f"The change applies now but could not be saved: {exc}",
                severity="error",
                timeout=10,
            )
            return
        self.notify(
            "Every scenario is open." if event.value else "The campaign opens step by step again."
        )

    # --- actions --------------------------------------------------------------------------
    def action_focus_themes(self) -> None:
        self.query_one("#themes", RadioSet).focus()

    def action_toggle_unlock(self) -> None:
        self.query_one("#unlock", Switch).toggle()

    def action_back(self) -> None:
        self.dismiss()
