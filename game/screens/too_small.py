"""Shown while the terminal is smaller than 80x24; leaves by itself once it grows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

# The smallest terminal the game's screens are laid out for.
MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallScreen(Screen):
    CSS_PATH = "../styles/too_small.tcss"

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self.show_size()

    def show_size(self) -> None:
        width, height = self.app.size
        self.query_one("#too-small", Static).update(
            f"Please enlarge the terminal.\n\nGoing Dark needs at least {MIN_WIDTH} x "
            f"{MIN_HEIGHT}; this one is {width} x {height}.\n\nThe game continues as soon "
            "as it is large enough."
        )
