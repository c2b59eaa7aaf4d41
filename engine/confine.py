"""Served mode: the files a game may touch when strangers drive it from a browser.

``goingdark serve`` runs the game once per browser connection with
``GOINGDARK_CONFINE=1`` in its environment. Then every path a player could name (a
scenario file, a save, the scenario a save points at) must lie inside the player's
data folder (:func:`engine.folders.data_dir`: progress, saves, the user's scenarios,
the sessions) or a folder its reader allows besides (the built-in scenarios). Save
slot names are already made into plain file names (``engine.saves.slot_file_name``).
A leaf module: the readers ask it, it imports none of them.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.folders import data_dir

__all__ = ["CONFINE_VARIABLE", "OUTSIDE", "confined", "outside"]

CONFINE_VARIABLE = "GOINGDARK_CONFINE"
# What a refused path is told, after the path itself (no folder of the server is named).
OUTSIDE = "outside the folders a served game may use"


def confined() -> bool:
    """Whether this process is a served game (``GOINGDARK_CONFINE=1``)."""
    return os.environ.get(CONFINE_VARIABLE) == "1"


def outside(path: Path | str, *also: Path) -> bool:
    """In a served game, whether ``path`` lies outside the data folder and ``also``
    (after following '..' and symbolic links); never, outside a served game."""
    if not confined():
        return False
    resolved = Path(path).expanduser().resolve()
    roots = (data_dir(), *also)
    return not any(resolved.is_relative_to(Path(root).expanduser().resolve()) for root in roots)
