"""Projector mode: the round, its countdown and the top of the leaderboard in large
text, for the room's screen."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Static

from engine.rooms import RoomInfo, Standing
from game.widgets.room_bar import clock_text, seconds_left

TOP_TEAMS = 8  # as many as read well from the back of a room


class ProjectorView(Vertical):
    """Big digits for the countdown, the round in words, the leaders in bold."""

    DEFAULT_CSS = """
    ProjectorView {
        height: 1fr;
        align: center top;
        padding: 1 2;
    }
    ProjectorView #projector-round {
        text-style: bold;
        text-align: center;
        width: 100%;
        color: $primary;
    }
    ProjectorView Digits {
        width: 100%;
        text-align: center;
        margin: 1 0;
    }
    ProjectorView #projector-board {
        width: 100%;
        text-align: center;
        text-style: bold;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="projector-round")
        yield Digits(id="projector-clock")
        yield Static(id="projector-board")

    def show(
        self, info: RoomInfo, now: float, standings: Sequence[Standing], submitted: str
    ) -> None:
        """Show the round at ``now`` and the leaders of ``standings``."""
        left = seconds_left(info, now)
        if info.state == "finished":
            words = "The session is over"
        elif info.state == "waiting":
            words = f"Quarter {info.quarter} of {info.quarters} opens soon"
        else:
            paused = " (paused)" if info.state == "paused" else ""
            words = f"Quarter {info.quarter} of {info.quarters}{paused} · {submitted}"
        self.query_one("#projector-round", Static).update(words)
        digits = self.query_one(Digits)
        digits.display = left is not None
        digits.update(clock_text(left) if left is not None else "")
        lines = [
            f"{s.rank:>2}. {s.team:<24} {s.score:>5.0f}  {'★' * s.stars}{'☆' * (3 - s.stars)}"
            for s in standings[:TOP_TEAMS]
        ]
        self.query_one("#projector-board", Static).update("\n\n".join(lines))
