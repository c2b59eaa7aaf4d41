"""Where group sessions live: one SQLite file per session in one folder."""

from __future__ import annotations

from pathlib import Path

from engine.folders import data_dir


def rooms_folder(override: Path | None = None) -> Path:
    """The sessions folder: ``override`` (``--sessions DIR``), else
    ``$GOINGDARK_HOME/sessions``, else the user data folder's ``sessions`` (not created
    here)."""
    if override is not None:
        return Path(override).expanduser()
    return data_dir() / "sessions"


def room_path(folder: Path, code: str) -> Path:
    """The file of the session with join code ``code``."""
    return folder / f"{code}.sqlite"
