"""Who a team's client is in a group session (``TeamSeat``), and asking for the PIN
again when the facilitator reset it while the team was playing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from textual.app import App

from engine.rooms import PinRefused, Room, RoomError


@dataclass(frozen=True)
class TeamSeat:
    """Who this client is in the room: the team's name and PIN, and the client id
    that tells this terminal from a second one playing the same team."""

    team: str
    pin: str
    client: str


def pin_changed_words(seat: TeamSeat) -> str:
    """Why a playing team is asked for its PIN again: the room refused the one it
    joined with, which only a reset by the facilitator changes."""
    return f"Team {seat.team}'s PIN has changed since you joined."


def ask_new_pin(
    app: App, room: Room, seat: TeamSeat, answered: Callable[[TeamSeat | None], None]
) -> None:
    """Ask for the team's new PIN until the room accepts one (each refusal is shown
    above the question); ``answered`` gets the seat with it, or None on Escape."""
    from game.screens.prompt import PromptScreen

    def ask(problem: str) -> None:
        question = f"{problem}{pin_changed_words(seat)} Type the new PIN the facilitator gave you:"
        app.push_screen(PromptScreen("New PIN", question, password=True, max_length=12), typed)

    def typed(pin: str | None) -> None:
        if pin is None:
            answered(None)
            return
        try:
            room.check_pin(seat.team, pin)
        except PinRefused:
            ask(f"That is not Team {seat.team}'s new PIN. ")
            return
        except RoomError as exc:  # not a PIN at all, or the team was removed meanwhile
            ask(f"{exc} ")
            return
        answered(replace(seat, pin=pin))

    ask("")
