"""Round logic on top of the store: the state machine of a session's rounds, and how
a team's status reads from the rows.

waiting --open--> open --pause--> paused --resume--> open
open/paused --close--> waiting (next quarter), or finished after the last quarter.
"""

from __future__ import annotations

import sqlite3

from engine.rooms.errors import RoomError
from engine.rooms.records import OFFLINE_AFTER, TeamStatus
from engine.rooms.store import RoomStore


def plural(count: int, word: str) -> str:
    """``1 team``, ``3 teams``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def refuse_unless_open(room: sqlite3.Row, quarter: int) -> None:
    """RoomError unless the session takes decisions for ``quarter`` right now."""
    current, state = room["quarter"], room["state"]
    if state == "finished":
        raise RoomError(f"Session {room['code']} is finished: it takes no more decisions.")
    if quarter < current:
        raise RoomError(f"Quarter {quarter} is closed: the session is deciding quarter {current}.")
    if quarter > current:
        raise RoomError(
            f"Quarter {quarter} is not open yet: the session is deciding quarter {current}."
        )
    if state == "waiting":
        raise RoomError(f"Round {current} is not open yet: wait for the facilitator to open it.")
    if state == "paused":
        raise RoomError(
            "The facilitator paused the round: submissions are refused until it resumes."
        )


def open_round(store: RoomStore, now: float) -> None:
    """waiting -> open; starts the countdown when the session has a deadline."""
    with store.write():
        room = store.room()
        if room["state"] != "waiting":
            raise RoomError(_cannot("open a round", room))
        minutes = room["deadline_minutes"]
        deadline = now + 60 * minutes if minutes else None
        store.update_room(state="open", deadline=deadline, paused_remaining=None)
        limit = f" with {plural(minutes, 'minute')} to decide" if minutes else ""
        store.add_event("opened", None, f"Round {room['quarter']} opened{limit}.", now)


def pause_round(store: RoomStore, now: float) -> None:
    """open -> paused; the countdown stops where it is."""
    with store.write():
        room = store.room()
        if room["state"] != "open":
            raise RoomError(_cannot("pause the round", room))
        left = max(0.0, room["deadline"] - now) if room["deadline"] is not None else None
        store.update_room(state="paused", deadline=None, paused_remaining=left)
        store.add_event("paused", None, f"Round {room['quarter']} paused.", now)


def resume_round(store: RoomStore, now: float) -> None:
    """paused -> open; the countdown goes on from where it stopped."""
    with store.write():
        room = store.room()
        if room["state"] != "paused":
            raise RoomError(_cannot("resume the round", room))
        left = room["paused_remaining"]
        deadline = now + left if left is not None else None
        store.update_room(state="open", deadline=deadline, paused_remaining=None)
        store.add_event("resumed", None, f"Round {room['quarter']} resumed.", now)


def remaining(room: sqlite3.Row, now: float) -> float | None:
    """Seconds left in the round: counting down while open, frozen while paused."""
    if room["state"] == "open" and room["deadline"] is not None:
        return max(0.0, room["deadline"] - now)
    if room["state"] == "paused":
        return room["paused_remaining"]
    return None


def is_due(room: sqlite3.Row, now: float) -> bool:
    """Whether an open round's deadline has passed."""
    return room["state"] == "open" and room["deadline"] is not None and now >= room["deadline"]


def team_status(
    team: sqlite3.Row,
    room: sqlite3.Row,
    kinds: set[str],
    last_source: str | None,
    now: float,
) -> TeamStatus:
    """A team's status for the roster. ``kinds``: its decision rows of the current
    quarter; ``last_source``: how its final decision of the last closed round came about.

    A team that has handed in the open round stays "submitted" when it goes quiet: its
    plan counts at the close, so neither the roster nor the "2 of 3 submitted" count
    may lose it (a command-line team is heard only when it submits)."""
    round_open = room["state"] in ("open", "paused")
    if round_open and "submission" in kinds:
        return "submitted"
    if not is_live(team, now):
        return "offline"
    if round_open:
        return "deciding"
    if last_source is None:
        return "joined"
    return "submitted" if last_source == "team" else "defaulted"


def is_live(team: sqlite3.Row, now: float) -> bool:
    """Whether the team was heard from (joined, beat, submitted) in the last 30 s."""
    last = team["last_seen"] if team["last_seen"] is not None else team["joined_at"]
    return now - last <= OFFLINE_AFTER


def _cannot(action: str, room: sqlite3.Row) -> str:
    state = room["state"]
    if state == "finished":
        return f"Cannot {action}: session {room['code']} is finished."
    where = {
        "waiting": f"round {room['quarter']} is not open yet",
        "open": f"round {room['quarter']} is open",
        "paused": f"round {room['quarter']} is paused",
    }[state]
    return f"Cannot {action}: {where}."
