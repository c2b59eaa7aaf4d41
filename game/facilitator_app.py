"""``goingdark facilitate``: the facilitator's console of one group session.

The single-player app's frame (themes, help, palette, terminal size) around one
screen, the console; the room holds everything, so the console may be closed and
started again at any time without disturbing the round.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual import events

from engine.rooms import Room
from game.app import GoingDarkApp
from game.screens.facilitator.console import FacilitatorConsole


class FacilitatorApp(GoingDarkApp):
    """The console of ``room``; ``clock`` is the time source (fixed in tests)."""

    TITLE = "Going Dark: facilitator"

    def __init__(
        self,
        room: Room,
        *,
        data_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
    ):
        super().__init__(data_dir=data_dir)
        self.room = room
        self.clock = clock

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # instead of the single-player game's main menu
        self.apply_saved_theme()
        self.push_screen(FacilitatorConsole(self.room, clock=self.clock))
        self.check_size()

    def action_quit_game(self) -> None:
        """Close the console at once: the round goes on in the room."""
        self.room.close()
        self.exit(0)
