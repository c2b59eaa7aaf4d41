"""The round and its countdown, one line on every screen of a group session's apps.

``round_words`` says where the room's round stands; ``RoomBar`` shows it, floating
over the bottom right corner of whatever screen is up, where the footer keeps the
command palette's hint (it takes no room from the screen's own layout, which is made
to fit 80x24, and leaves every footer key in sight).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Static

from engine.rooms import RoomInfo


def seconds_left(info: RoomInfo, now: float) -> float | None:
    """Seconds until the open round closes by itself (frozen while paused); None when
    the facilitator closes it by hand or no round is open."""
    if info.state == "paused":
        return info.remaining
    if info.state == "open" and info.deadline is not None:
        return max(0.0, info.deadline - now)
    return None


def clock_text(seconds: float) -> str:
    """Seconds as a countdown: ``4:05``, or ``1:02:03`` past an hour."""
    whole = int(seconds + 0.999)  # 0.2 s left still shows 0:01, never 0:00 too early
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def round_words(info: RoomInfo, now: float) -> str:
    """Where the round stands, in a few words (they share the footer's last line at 80
    columns): ``Q2/8 · 4:05 left``, ``Q2/8 paused · 4:05``, ``Q3/8 opens soon``."""
    if info.state == "finished":
        return "Session over"
    quarter = f"Q{info.quarter}/{info.quarters}"
    if info.state == "waiting":
        return f"{quarter} opens soon"
    left = seconds_left(info, now)
    if info.state == "paused":
        return f"{quarter} paused" + ("" if left is None else f" · {clock_text(left)}")
    return f"{quarter} open" if left is None else f"{quarter} · {clock_text(left)} left"


class RoomBar(Static):
    """The round's words in the bottom right corner, over the screen underneath."""

    DEFAULT_CSS = """
    RoomBar {
        position: absolute;
        overlay: screen;
        width: auto;
        height: 1;
        padding: 0 1;
        background: $accent;
        color: $text;
        text-style: bold;
    }
    RoomBar.-paused {
        background: $warning;
    }
    """

    def show_round(self, info: RoomInfo, now: float, size: Size) -> None:
        """Show where ``info``'s round stands at time ``now``, in the bottom right
        corner of a screen of ``size`` (the bar may not be mounted yet)."""
        words = round_words(info, now)
        self.update(words)
        self.set_class(info.state == "paused", "-paused")
        self.styles.offset = (max(size.width - len(words) - 2, 0), max(size.height - 1, 0))
