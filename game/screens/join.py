"""Joining a group session: the code the facilitator gave, the team's name and PIN."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from game.commands import bindings

INTRO = (
    "Type the six-character code your facilitator gave you, your team's name and a PIN. "
    "A new name joins as a new team with that PIN; to come back after closing the "
    "game, type the same name and PIN: you carry on where you were."
)


class JoinScreen(Screen):
    """Three fields and a Join button; the app's ``join_room`` says whether it worked."""

    CSS_PATH = "../styles/join.tcss"
    COMMAND_CONTEXT = "join"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, code: str = "", team: str = "", pin: str = ""):
        super().__init__()
        self.code, self.team, self.pin = code, team, pin
        # The cursor starts in the first field still to fill, from the very first key
        # (keys typed while the screen comes up must not overwrite the code given).
        given = {"#join-code": code, "#join-team": team}
        self.AUTO_FOCUS = next((field for field, value in given.items() if not value), "#join-pin")

    def compose(self) -> ComposeResult:
        with Vertical(id="join-dialog"):
            yield Static(INTRO, id="join-intro")
            yield Label("Session code", classes="join-label")
            yield Input(
                self.code, placeholder="e.g. K7M2QX", id="join-code", max_length=12, compact=True
            )
            yield Label("Team name", classes="join-label")
            yield Input(
                self.team, placeholder="e.g. Blue team", id="join-team", max_length=24, compact=True
            )
            yield Label(
                "PIN: 4 to 12 letters or digits (you need it to rejoin)", classes="join-label"
            )
            yield Input(
                self.pin,
                placeholder="e.g. 4821",
                id="join-pin",
                password=True,
                max_length=12,
                compact=True,
            )
            yield Static(id="join-problem")
            yield Button("Join the session", id="join", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#join-dialog").border_title = "Join a group session"
        self.focus_first_empty()
        if self.code and self.team and self.pin:
            self.action_join()

    def focus_first_empty(self) -> None:
        """Put the cursor in the first field still to fill (the PIN when all are)."""
        for field in ("#join-code", "#join-team", "#join-pin"):
            entry = self.query_one(field, Input)
            if not entry.value.strip():
                entry.focus()
                return
        self.query_one("#join-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter in a filled field moves on to the next empty one; once all are filled
        # (or in an empty one) it tries to join, which says what is missing.
        if all(self.fields()) or not event.value.strip():
            self.action_join()
        else:
            self.focus_first_empty()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_join()

    def fields(self) -> tuple[str, str, str]:
        """The code, team name and PIN as typed (outer spaces dropped)."""
        return tuple(  # type: ignore[return-value]
            self.query_one(field, Input).value.strip()
            for field in ("#join-code", "#join-team", "#join-pin")
        )

    def show_problem(self, text: str) -> None:
        """Say why joining did not work, under the fields."""
        self.query_one("#join-problem", Static).update(text)

    def action_join(self) -> None:
        code, team, pin = self.fields()
        missing = [
            name
            for name, value in (("the code", code), ("a team name", team), ("a PIN", pin))
            if not value
        ]
        if missing:
            self.show_problem(f"Please type {' and '.join(missing)}.")
            self.focus_first_empty()
            return
        problem = self.app.join_room(code, team, pin)
        if problem:
            self.show_problem(problem)

    def action_quit(self) -> None:
        self.app.exit(0)
