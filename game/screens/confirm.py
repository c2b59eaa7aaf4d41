"""Small modal dialogs: a yes/no question and a message."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game.commands import bindings


class ConfirmScreen(ModalScreen[bool]):
    """Ask a question; dismisses with True for yes."""

    CSS_PATH = "../styles/confirm.tcss"
    COMMAND_CONTEXT = "confirm"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, title: str, text: str, yes: str = "Yes", no: str = "No"):
        super().__init__()
        self.title_text, self.text, self.yes, self.no = title, text, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.text)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="warning")
                yield Button(self.no, id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one(".dialog").border_title = self.title_text
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class MessageScreen(ModalScreen[None]):
    """Show a message (an error, a notice) until dismissed."""

    CSS_PATH = "../styles/confirm.tcss"
    COMMAND_CONTEXT = "message"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, title: str, text: str):
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.text)
            with Horizontal(classes="buttons"):
                yield Button("OK", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one(".dialog").border_title = self.title_text
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
