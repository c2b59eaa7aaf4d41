"""Where the player's own files live: progress, settings, saves and scenarios.

A leaf (no pydantic, no model): the game reads these folders before its first frame.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_VARIABLE = "GOINGDARK_HOME"
SAVES_VARIABLE = "GOINGDARK_SAVES"


def data_dir() -> Path:
    """Where progress, settings, saves and the user's scenarios live (not created here).

    ``$GOINGDARK_HOME`` when set (facilitators, tests), else the platform's user data
    folder.
    """
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("going-dark", appauthor=False))


def user_scenario_dir() -> Path:
    """The folder of the player's own scenarios (``goingdark play ID`` finds them)."""
    return data_dir() / "scenarios"


def saves_dir(override: Path | None = None) -> Path:
    """Where saves live (not created here): ``override`` (``--saves DIR``), else
    ``$GOINGDARK_SAVES``, else the ``saves`` folder of the user's data folder."""
    if override is not None:
        return Path(override).expanduser()
    variable = os.environ.get(SAVES_VARIABLE)
    if variable:
        return Path(variable).expanduser()
    return data_dir() / "saves"
