"""Writing saves: a game's snapshot, slot file names, and atomic writes.

Saves are written with :func:`engine.files.write_atomic` (a temporary file in the
same folder, fsync, rename, fsync of the folder), so a process killed at any
instant leaves the old save or the new one, whole. A game's autosave file belongs
to whoever owns the game in progress: :func:`save_session` returns it, and the owner
passes it back for the next autosave so that every autosave of one game replaces
the last one.
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from engine.files import write_atomic
from engine.saves.format import (
    AUTOSAVE,
    RECORDED,
    SAVE_FORMAT,
    SLOT_MAX_CHARS,
    SaveError,
    SaveGame,
    file_hash,
    game_version,
    now,
    render,
)
from engine.saves.reading import read_save
from engine.scenario.loader import builtin_dir
from engine.scenario.schema import Scenario
from engine.session import GameSession
from engine.textfile import has_control_characters

# Temporary files older than this, left by a writer that was killed, are swept away
# by the next save of the same slot (younger ones may belong to a writer at work).
STALE_TEMPORARY_SECONDS = 60.0


def snapshot(
    session: GameSession,
    *,
    slot: str,
    scenario_path: Path | None = None,
    player: str | None = None,
    created: str | None = None,
) -> SaveGame:
    """The save of a game as it stands (nothing is written)."""
    scenario = session.scenario
    path, builtin = _scenario_file(scenario, scenario_path)
    try:
        digest = file_hash(path)
    except OSError as exc:
        raise SaveError(
            f"cannot save: the scenario file {path} cannot be read: {exc.strerror or exc}"
        ) from None
    stamp = now()
    score = float(session.outcome().score[0]) if session.quarter > 0 else None
    return SaveGame(
        format=SAVE_FORMAT,
        game_version=game_version(),
        scenario_id=scenario.meta.id,
        scenario_hash=digest,
        scenario_path=None if builtin else str(path.resolve()),
        seed=int(session.seed),
        player=session.player if player is None else player,
        slot=slot,
        created=created or stamp,
        updated=stamp,
        quarter=session.quarter,
        quarters=session.quarters,
        policy=session.policy(),
        recorded={name: [float(v) for v in session.series(name)] for name in RECORDED},
        score=score,
    )


def _scenario_file(scenario: Scenario, given: Path | None) -> tuple[Path, bool]:
    """The scenario's file and whether it is the built-in one."""
    builtin = builtin_dir() / f"{scenario.meta.id}.toml"
    if given is None:
        if not builtin.is_file():
            raise SaveError(
                f"cannot save: '{scenario.meta.id}' is not a built-in scenario, so the save "
                "needs the path of its scenario file"
            )
        return builtin, True
    given = Path(given)
    return given, builtin.is_file() and given.resolve() == builtin.resolve()


def slot_file_name(slot: str) -> str:
    """A safe, portable file name for a slot: lower-case ASCII letters, digits and '-'.

    Names that differ only in case or punctuation share a file (they are the same
    slot to a player); a name with no Latin letters at all gets a short hash. Names
    starting with "autosave" are kept apart from the autosaves' own.
    """
    ascii_name = unicodedata.normalize("NFKD", slot).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLOT_MAX_CHARS]
    name = name.strip("-")
    if not name:
        name = "save-" + hashlib.sha256(slot.encode("utf-8")).hexdigest()[:8]
    if name.startswith(AUTOSAVE):
        name = f"slot-{name}"
    if name in _RESERVED_NAMES:
        name = f"{name}-save"
    return f"{name}.toml"


_RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)]
)


def save_session(
    session: GameSession,
    *,
    folder: Path,
    slot: str,
    scenario_path: Path | None = None,
    player: str | None = None,
    autosave_path: Path | None = None,
) -> Path:
    """Write the game to ``folder`` and return the file.

    ``slot`` names a manual save (file: :func:`slot_file_name`); ``"autosave"`` writes
    the game's autosave: ``autosave_path``, the file this game's last autosave
    returned (or the autosave it was restored from), when it is in ``folder``, else
    a new ``autosave-<scenario>-<time>.toml``. The owner of the game keeps the
    returned path for its next autosave. ``scenario_path`` is needed for a scenario
    that is not built in. Overwriting a slot keeps its ``created`` time; a file in
    the way that is not a readable save is set aside (renamed), never overwritten.
    """
    folder = Path(folder)
    slot = slot.strip()
    if not slot:
        raise SaveError("a save needs a name")
    if len(slot) > SLOT_MAX_CHARS:
        raise SaveError(f"a save's name has at most {SLOT_MAX_CHARS} characters, not {len(slot)}")
    if has_control_characters(slot):
        raise SaveError("a save's name cannot contain control characters (tabs, line breaks)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"cannot create the saves folder {folder}: {exc.strerror or exc}") from None
    if slot == AUTOSAVE:
        path = autosave_path
        if path is None or Path(path).parent != folder:
            path = _free_name(folder, f"{AUTOSAVE}-{session.scenario.meta.id}-{_stamp()}")
    else:
        path = folder / slot_file_name(slot)
    path = Path(path)
    created = _existing_created(path)
    save = snapshot(session, slot=slot, scenario_path=scenario_path, player=player, created=created)
    write_save(save, path)
    return path


def write_save(save: SaveGame, path: Path) -> None:
    """Write ``save`` to ``path`` atomically: the old file or the new one, never half."""
    path = Path(path)
    _sweep_temporaries(path)
    try:
        write_atomic(path, render(save))
    except OSError as exc:
        raise SaveError(f"{path}: cannot write the save: {exc.strerror or exc}") from None


def _existing_created(path: Path) -> str | None:
    """The created time of the save at ``path``; a file there that is not a readable
    save is renamed out of the way so that nothing is lost."""
    if not path.exists():
        return None
    try:
        return read_save(path, check_scenario=False).created
    except SaveError:
        aside = _free_name(path.parent, f"{path.stem}.replaced-{_stamp()}")
        try:
            path.replace(aside)
        except OSError as exc:
            raise SaveError(
                f"{path}: is not a readable save and cannot be moved aside to make room: "
                f"{exc.strerror or exc}"
            ) from None
        return None


def _free_name(folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.toml"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}.toml"
    return path


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def _temporaries(path: Path) -> list[Path]:
    """Temporary files write_atomic leaves behind for ``path`` when killed mid-write."""
    escaped = re.sub(r"([*?\[])", r"[\1]", path.name)
    return sorted(path.parent.glob(f".{escaped}.*.tmp"))


def _sweep_temporaries(path: Path) -> None:
    if not path.parent.is_dir():
        return
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    for temporary in _temporaries(path):
        try:
            if temporary.stat().st_mtime < cutoff:
                temporary.unlink()
        except FileNotFoundError:
            continue  # another writer's sweep got there first
