"""The scenario a save was played on: finding its file, and loading it to replay."""

from __future__ import annotations

import hashlib
from pathlib import Path

from engine.confine import OUTSIDE, outside
from engine.errors import ScenarioError
from engine.folders import user_scenario_dir
from engine.saves.format import SaveError, SaveGame, file_hash
from engine.scenario.loader import (
    builtin_dir,
    find_scenario,
    parse_scenario,
    unreadable_scenario,
)
from engine.scenario.schema import Scenario
from engine.textfile import FileIssue, UnreadableFile, decode_text, did_you_mean


def locate_scenario(save: SaveGame, scenario: Path | str | None = None) -> Path:
    """The scenario file to replay ``save`` on: ``scenario`` if given (a file, a
    built-in id or an id in the user's folder, as :func:`find_scenario` decides),
    else the built-in one, else ``scenario_path`` (tried as stored, then by its name
    beside the save and in the user's scenarios folder)."""
    if scenario is not None:
        try:
            candidate = find_scenario(scenario)
        except ScenarioError as exc:
            raise SaveError(f"{save.name}: {exc.problems[0].message}") from None
        if not candidate.is_file():
            raise SaveError(f"{save.name}: no scenario file {candidate}")
        return candidate
    if save.scenario_path is None:
        builtin = builtin_dir() / f"{save.scenario_id}.toml"
        if builtin.is_file():
            return builtin
        known = sorted(path.stem for path in builtin_dir().glob("*.toml"))
        raise SaveError(
            f"{save.name}: the save is for scenario '{save.scenario_id}', which this version "
            f"of Going Dark does not have{did_you_mean(save.scenario_id, known)} "
            f"(built-in: {', '.join(known)})"
        )
    stored = Path(save.scenario_path)
    if not stored.is_absolute() and save.path is not None:
        stored = save.path.parent / stored
    candidates = [stored, user_scenario_dir() / stored.name]
    if save.path is not None:
        candidates.insert(1, save.path.parent / stored.name)
    for candidate in candidates:
        if candidate.is_file():
            # A served game does not follow a save to a scenario elsewhere (engine.confine).
            if outside(candidate, builtin_dir()):
                raise SaveError(f"{save.name}: the scenario file {candidate} is {OUTSIDE}")
            return candidate
    raise SaveError(
        f"{save.name}: the save is for scenario '{save.scenario_id}', whose file "
        f"{save.scenario_path} is not there (nor beside the save or in "
        f"{user_scenario_dir()})"
    )


def scenario_changed(save: SaveGame, scenario: Path | str | None = None) -> bool:
    """Whether the scenario file differs from the one the game was saved with."""
    path = locate_scenario(save, scenario)
    try:
        return file_hash(path) != save.scenario_hash
    except OSError as exc:
        raise SaveError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def load_saved_scenario(
    save: SaveGame, scenario: Path | str | None, *, allow_changed: bool
) -> tuple[Scenario, bool]:
    """The scenario to replay ``save`` on, and whether its file changed since the save.

    A changed file is refused unless ``allow_changed``: the decisions may then not
    replay the same game. A scenario of another id is always refused.
    """
    path = locate_scenario(save, scenario)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SaveError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    changed = hashlib.sha256(raw).hexdigest() != save.scenario_hash
    if changed and not allow_changed:
        raise SaveError(
            f"{save.name}: the scenario '{save.scenario_id}' ({path}) has changed since "
            "this game was saved; loading it anyway may not replay the same game"
        )
    try:
        loaded = parse_scenario(decode_text(raw, path), path)
    except UnreadableFile as exc:
        if exc.issue in (FileIssue.NOT_UTF8, FileIssue.UTF16):
            raise SaveError(f"{save.name}: the scenario file {path} is not UTF-8 text") from None
        problem = unreadable_scenario(exc)
        raise SaveError(f"{save.name}: its scenario cannot be loaded:\n{problem}") from None
    except ScenarioError as exc:
        raise SaveError(f"{save.name}: its scenario cannot be loaded:\n{exc}".rstrip()) from None
    if loaded.meta.id != save.scenario_id:
        raise SaveError(
            f"{save.name}: the save is for scenario '{save.scenario_id}', "
            f"not '{loaded.meta.id}' ({path})"
        )
    return loaded, changed


def scenario_facts(path: Path) -> tuple[str | None, str | None, str | None]:
    """(title, sha256, problem) of a scenario file, for listing saves."""
    try:
        raw = path.read_bytes()
        scenario = parse_scenario(decode_text(raw, path), path)
    except OSError as exc:
        return None, None, f"{path}: the scenario cannot be read: {exc.strerror or exc}"
    except UnreadableFile as exc:
        if exc.issue in (FileIssue.NOT_UTF8, FileIssue.UTF16):
            return None, None, f"{path}: the scenario is not UTF-8 text"
        return None, None, f"its scenario cannot be loaded:\n{unreadable_scenario(exc)}"
    except ScenarioError as exc:
        return None, None, f"its scenario cannot be loaded:\n{exc}"
    return scenario.meta.title, hashlib.sha256(raw).hexdigest(), None
