"""Rewind: choose an earlier quarter to branch the game from (a new game; the old one stays)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.session import GameSession
from game.commands import bindings


class RewindScreen(ModalScreen[int | None]):
    """Dismisses with the number of quarters to keep (0: from the start), or None."""

    CSS_PATH = "../styles/rewind.tcss"
    COMMAND_CONTEXT = "rewind"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, session: GameSession):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        options = [Option("From the very start (quarter 1)", id="0")]
        for quarter in range(1, session.quarter):
            decisions = session.decisions.get(quarter)
            names = (
                [session.scenario.intervention(i).name for i in decisions.interventions]
                if decisions
                else []
            )
            answers = []
            if decisions:
                events = {event.id: event for event in session.scenario.events}
                for event_id, choice_id in decisions.choices.items():
                    choice = next(c for c in events[event_id].choices if c.id == choice_id)
                    answers.append(f"'{choice.label}'")
            what = ", ".join(names + answers) if names or answers else "no interventions"
            options.append(Option(f"After quarter {quarter} (you chose: {what})", id=str(quarter)))
        with Vertical(classes="dialog"):
            yield Static(
                "Play on from an earlier point. This starts a new game with the "
                "same seed and your decisions up to there; the current game "
                "stays saved as it is."
            )
            # Newest first, the latest point highlighted: Down goes further back in time
            # (oldest first, Down from the highlighted latest point wrapped to the start).
            yield OptionList(*reversed(options), id="rewind-to")

    def on_mount(self) -> None:
        self.query_one(".dialog").border_title = "Rewind"
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
