"""Group sessions ("rooms" in code): teams playing one scenario and seed in lock-step.

One SQLite file per session (:mod:`engine.rooms.store`, the only SQL), rounds
(:mod:`engine.rooms.rounds`), each team's game rebuilt by replay
(:mod:`engine.rooms.games`) and the leaderboard (:mod:`engine.rooms.standings`),
behind :class:`Room`, whose public names below are what the game and the class
report build on.
"""

from __future__ import annotations

from engine.rooms.codes import CODE_ALPHABET, normalise_code
from engine.rooms.errors import PinRefused, RoomError
from engine.rooms.location import rooms_folder
from engine.rooms.records import (
    Decision,
    RoomEvent,
    RoomInfo,
    RoundState,
    Standing,
    TeamInfo,
    TeamStatus,
)
from engine.rooms.room import Room, scan_rooms
from engine.rooms.schema import SCHEMA_VERSION

__all__ = [
    "CODE_ALPHABET",
    "SCHEMA_VERSION",
    "Decision",
    "PinRefused",
    "Room",
    "RoomError",
    "RoomEvent",
    "RoomInfo",
    "RoundState",
    "Standing",
    "TeamInfo",
    "TeamStatus",
    "normalise_code",
    "rooms_folder",
    "scan_rooms",
]
