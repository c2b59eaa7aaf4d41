"""The one error type of group sessions."""

from __future__ import annotations

from engine.errors import GoingDarkError


class RoomError(GoingDarkError):
    """A user-facing problem: its str() is a complete sentence for the terminal."""
