"""Ask for the name of a save slot."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from engine.saves import AUTOSAVE
from game.commands import bindings


class SaveAsScreen(ModalScreen[str | None]):
    """Dismisses with the slot name, or None when cancelled."""

    CSS_PATH = "../styles/save_as.tcss"
    COMMAND_CONTEXT = "save-as"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, suggestion: str):
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save this game under a name (Enter to save, Esc to cancel).")
            yield Input(value=self.suggestion, placeholder="e.g. lunch break", id="slot")
            yield Static("Saving under an existing name replaces that save.", classes="muted")

    def on_mount(self) -> None:
        self.query_one(".dialog").border_title = "Save game"
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.notify("Give the save a name.", severity="warning")
            return
        if name.lower() == AUTOSAVE:
            self.notify(
                "'autosave' is the game's own save: choose another name.", severity="warning"
            )
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
