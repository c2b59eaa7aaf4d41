"""The error types of group sessions."""

from __future__ import annotations

from engine.errors import GoingDarkError


class RoomError(GoingDarkError):
    """A user-facing problem: its str() is a complete sentence for the terminal."""


class PinRefused(RoomError):
    """The PIN given is not the team's (a wrong PIN, or one the facilitator has reset
    since): a client that was playing can ask for the new PIN and go on."""
