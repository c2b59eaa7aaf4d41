"""A dilemma: an event that needs the player's choice before the quarter is played."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Markdown, Static

from engine.scenario.schema import Event
from engine.session import GameSession
from game.commands import bindings
from game.screens.confirm import move_button_focus


class DilemmaScreen(ModalScreen[str | None]):
    """Returns the id of the chosen option (None if the player steps back)."""

    CSS_PATH = "../styles/dilemma.tcss"
    COMMAND_CONTEXT = "dilemma"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, event: Event, session: GameSession):
        super().__init__()
        self.event = event
        self.session = session

    def compose(self) -> ComposeResult:
        money = self.session.scenario.company.currency
        with Vertical(id="dilemma"):
            with VerticalScroll(id="story"):
                yield Markdown(self.event.text)
            for number, choice in enumerate(self.event.choices, start=1):
                label = f"{number}. {choice.label}"
                if choice.cost:
                    label += f"  ({money}{choice.cost:,.0f})"
                yield Button(label, id=f"choice-{number - 1}", classes="choice")
                if choice.text:
                    yield Static(choice.text, classes="choice-text muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#dilemma").border_title = self.event.title
        self.query_one("#choice-0", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(int(event.button.id.removeprefix("choice-")))

    def action_choose(self, index: int) -> None:
        if index < len(self.event.choices):
            self.dismiss(self.event.choices[index].id)

    def action_move_focus(self, step: int) -> None:
        move_button_focus(self, step)

    def action_back(self) -> None:
        self.dismiss(None)
