"""Messages that travel between the game controller and the screens.

The controller posts them to the screen that asked for the work (``reply_to``); a
screen handles them with ``on_quarter_played`` and ``on_quarter_failed``. Both are
plain data, so a controller that gets its results from elsewhere (a team's shared
session) posts the same messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # names for annotations only: the game's start loads neither
    from engine.narrative import QuarterReport
    from engine.rooms import RoomEvent, RoomInfo


class QuarterPlayed(Message):
    """A quarter submitted with ``GameController.submit_quarter`` has been played.

    The game in progress already includes it, is autosaved and has its achievements
    recorded by the time this arrives; ``report`` explains the quarter."""

    def __init__(self, report: QuarterReport):
        super().__init__()
        self.report = report


class QuarterFailed(Message):
    """A submitted quarter could not be played; nothing of it was kept.

    ``text`` says why, in words for the player (shown in a modal)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class QuarterSubmitted(Message):
    """A submitted quarter was handed in to a group session and is played when the
    facilitator closes the round: until then the team may change its plan and submit
    again. ``text`` says so, for the screen to show."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class RoomChanged(Message):
    """A group session was read again (every second): its round and countdown in
    ``info``, and ``events`` logged since the last reading (broadcasts among them).
    ``refusal`` says why this client may no longer follow the room (another screen
    took the team over, or the team was removed), or is empty."""

    def __init__(self, info: RoomInfo, events: Sequence[RoomEvent], refusal: str = ""):
        super().__init__()
        self.info = info
        self.events = list(events)
        self.refusal = refusal
