"""The scenario a session plays, pinned by its sha256 when the session was made.

A built-in scenario is found again by id; any other scenario's text is copied into the
session file, so the session replays even if the file moves. A file that has changed
since is refused unless the caller allows it: its games might not replay the same.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from engine.rooms.errors import RoomError
from engine.saves.format import file_hash
from engine.scenario.loader import (
    builtin_dir,
    find_scenario,
    is_builtin,
    parse_scenario,
    read_scenario_text,
)
from engine.scenario.schema import Scenario


@dataclass
class RoomScenario:
    """Where a session's scenario comes from: a file, or the text kept in the session."""

    path: str
    sha256: str
    text: str | None  # the copy kept in the session; None for a built-in
    _loaded: Scenario | None = field(default=None, repr=False)

    def load(self) -> Scenario:
        """The scenario, parsed once."""
        if self._loaded is None:
            path = Path(self.path)
            text = self.text if self.text is not None else read_scenario_text(path)
            self._loaded = parse_scenario(text, path)
        return self._loaded

    @classmethod
    def of_room(cls, room: sqlite3.Row, *, allow_changed: bool) -> RoomScenario:
        """The scenario of a session's row; RoomError when a built-in is missing, or the
        file changed since the session was made (unless ``allow_changed``, which then
        plays the file as it is now)."""
        scenario_id, stored = room["scenario_id"], room["scenario_sha256"]
        if room["scenario_text"] is None:
            path = builtin_dir() / f"{scenario_id}.toml"
            if not path.is_file():
                raise RoomError(
                    f"Session {room['code']} plays the built-in scenario '{scenario_id}', "
                    "which this version of Going Dark does not have."
                )
        else:
            path = Path(room["scenario_path"])
            if not path.is_file():
                return cls(str(path), stored, room["scenario_text"])
        current = file_hash(path)
        if current == stored:
            return cls(str(path), stored, room["scenario_text"])
        if not allow_changed:
            raise RoomError(
                f"The scenario '{scenario_id}' ({path}) has changed since session "
                f"{room['code']} was made: its games may not replay the same. Open it "
                "anyway only if the change is harmless."
            )
        return cls(str(path), current, read_scenario_text(path))


def scenario_for_new_room(name: str | Path) -> RoomScenario:
    """The scenario a new session will play, as :func:`find_scenario` finds it."""
    path = find_scenario(name)
    text = read_scenario_text(path)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    scenario = RoomScenario(str(path.resolve()), sha256, None if is_builtin(path) else text)
    scenario._loaded = parse_scenario(text, path)
    return scenario
