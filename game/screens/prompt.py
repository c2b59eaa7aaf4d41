"""A one-line question: ``PromptScreen`` dismisses with the text typed, or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from game.commands import bindings


class PromptScreen(ModalScreen[str | None]):
    """Ask for a line of text; Enter answers (blank answers are refused), Escape cancels."""

    CSS_PATH = "../styles/prompt.tcss"
    COMMAND_CONTEXT = "prompt"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(
        self,
        title: str,
        question: str,
        value: str = "",
        *,
        password: bool = False,
        max_length: int = 200,
    ):
        super().__init__()
        self.title_text, self.question, self.value = title, question, value
        self.password, self.max_length = password, max_length

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            yield Input(self.value, password=self.password, max_length=self.max_length, id="answer")
            yield Static("Enter to confirm, Escape to cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(".dialog").border_title = self.title_text
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
