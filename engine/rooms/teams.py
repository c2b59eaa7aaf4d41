"""Team names and seats: what a team may be called, and who may play it."""

from __future__ import annotations

import sqlite3

from engine.rooms.errors import RoomError
from engine.rooms.records import SEAT_FREE_AFTER
from engine.textfile import has_control_characters

NAME_MAX = 24


def check_team_name(name: str) -> str:
    """The name without outer spaces; RoomError when it is empty, too long or holds
    control characters."""
    stripped = name.strip()
    if not stripped:
        raise RoomError("A team needs a name.")
    if len(stripped) > NAME_MAX:
        raise RoomError(
            f"A team name is at most {NAME_MAX} characters; '{stripped}' has {len(stripped)}."
        )
    if has_control_characters(stripped):
        raise RoomError("A team name cannot hold tabs, line breaks or other control characters.")
    return stripped


def refuse_second_client(team: sqlite3.Row, client: str, now: float) -> None:
    """RoomError when another client is playing the team right now (heard from in the
    last ``SEAT_FREE_AFTER`` seconds) and the facilitator has not allowed a takeover."""
    other = team["client"] not in (None, client)
    last = team["last_seen"] if team["last_seen"] is not None else team["joined_at"]
    if other and now - last <= SEAT_FREE_AFTER and not team["takeover_allowed"]:
        raise RoomError(
            f"Team {team['name']} is already playing on another screen: close it, or ask "
            "the facilitator to allow a takeover."
        )
