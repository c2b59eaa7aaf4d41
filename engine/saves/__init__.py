"""Saved games: write, read, migrate, restore, verify, list and branch.

One module per job; this package re-exports their public names, so callers write
``from engine.saves import read_save``:

- :mod:`engine.saves.format`: what a save holds, the schemas of every format and
  the migrations between them (a new format version starts here);
- :mod:`engine.saves.reading`: reading and validating a file;
- :mod:`engine.saves.writing`: snapshots of a game, slot file names, atomic writes;
- :mod:`engine.saves.scenario_file`: finding and loading the scenario of a save;
- :mod:`engine.saves.replay`: the one replay loop, and restore, branch, verify;
- :mod:`engine.saves.listing`: the saves folder and what is in it;
- :mod:`engine.saves.results`: a game as simulation results.
"""

from __future__ import annotations

from engine.folders import SAVES_VARIABLE, saves_dir
from engine.saves.format import (
    AUTOSAVE,
    END_MARKER,
    FORMATS,
    HEADER_START,
    MAX_SAVE_BYTES,
    RECORDED,
    SAVE_FORMAT,
    SLOT_MAX_CHARS,
    SaveError,
    SaveFile,
    SaveFileV1,
    SaveGame,
    SaveHeader,
    file_hash,
    game_version,
    migrate,
    now,
    render,
)
from engine.saves.listing import SaveSummary, latest_autosave, list_saves
from engine.saves.reading import read_save, read_save_text
from engine.saves.replay import TOLERANCE, branch, replay_decisions, restore, verify
from engine.saves.results import session_results
from engine.saves.scenario_file import load_saved_scenario, locate_scenario, scenario_changed
from engine.saves.writing import save_session, slot_file_name, snapshot, write_save

__all__ = [
    "AUTOSAVE",
    "END_MARKER",
    "FORMATS",
    "HEADER_START",
    "MAX_SAVE_BYTES",
    "RECORDED",
    "SAVES_VARIABLE",
    "SAVE_FORMAT",
    "SLOT_MAX_CHARS",
    "TOLERANCE",
    "SaveError",
    "SaveFile",
    "SaveFileV1",
    "SaveGame",
    "SaveHeader",
    "SaveSummary",
    "branch",
    "file_hash",
    "game_version",
    "latest_autosave",
    "list_saves",
    "load_saved_scenario",
    "locate_scenario",
    "migrate",
    "now",
    "read_save",
    "read_save_text",
    "render",
    "replay_decisions",
    "restore",
    "save_session",
    "saves_dir",
    "scenario_changed",
    "session_results",
    "slot_file_name",
    "snapshot",
    "verify",
    "write_save",
]
