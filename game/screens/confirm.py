"""Small modal dialogs: a yes/no question and a message."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from game.commands import bindings

# Under a dialog's buttons: how to answer without a mouse.
BUTTON_HINT = "← → choose   Enter presses the highlighted button"


def move_button_focus(screen: Screen, step: int) -> None:
    """Focus the next (``step`` 1) or previous (-1) button of ``screen``, round the ends."""
    buttons = [button for button in screen.query(Button) if button.display]
    if not buttons:
        return
    current = buttons.index(screen.focused) if screen.focused in buttons else -1
    buttons[(current + step) % len(buttons)].focus()


class ConfirmScreen(ModalScreen[bool]):
    """Ask a question; dismisses with True for yes.

    The safe answer (``no``: keep playing, stay, cancel) has the focus at first, so a
    reflexive Enter never does the thing asked about; y answers yes at once, and the
    arrows move to the other button, which Enter then presses."""

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
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no", variant="primary")
            yield Static(BUTTON_HINT, classes="hint muted")

    def on_mount(self) -> None:
        self.query_one(".dialog").border_title = self.title_text
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_move_focus(self, step: int) -> None:
        move_button_focus(self, step)


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
                yield Button("OK (Enter)", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one(".dialog").border_title = self.title_text
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_move_focus(self, step: int) -> None:
        move_button_focus(self, step)
