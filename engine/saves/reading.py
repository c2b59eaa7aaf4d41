"""Reading saves: the file's text, its format, its keys, and the checks across keys.

Reading never changes a file, and anything wrong with one is a :class:`SaveError`
that names the file (and the line, when it can be found) and the problem.
"""

from __future__ import annotations

import math
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.confine import OUTSIDE, outside
from engine.decision_log import Policy
from engine.errors import PolicyError
from engine.folders import SAVES_VARIABLE
from engine.saves.format import (
    END_MARKER,
    FORMATS,
    HEADER_START,
    MAX_SAVE_BYTES,
    RECORDED,
    SAVE_FORMAT,
    SaveError,
    SaveFile,
    SaveGame,
    migrate,
)
from engine.saves.scenario_file import locate_scenario
from engine.scenario.locate import KeyLocator
from engine.textfile import (
    MIB,
    FileIssue,
    TomlSyntaxError,
    UnreadableFile,
    describe,
    did_you_mean,
    display_path,
    parse_toml,
    read_text,
    validation_message,
)
from engine.vocabulary import METRIC_NAMES


def read_save(path: Path | str, *, check_scenario: bool = True) -> SaveGame:
    """Read, check and (if older) migrate a save; the file itself is never changed.

    Raises :class:`SaveError` naming the file for a missing, empty, binary, damaged,
    cut-off or foreign file, wrong keys, a newer format, or (with ``check_scenario``)
    a scenario this installation does not have.
    """
    path = Path(path)
    # A served game reads saves only in its own folders (engine.confine).
    if outside(path, *(Path(v) for v in [os.environ.get(SAVES_VARIABLE)] if v)):
        raise SaveError(f"{path}: {OUTSIDE}")
    text = read_save_text(path)
    lines = text.rstrip().splitlines()
    complete = lines[-1].strip() == END_MARKER
    # A file that starts like one of ours but lacks its last line was cut short: say so
    # rather than report the syntax error or missing keys the cut happens to cause.
    ours = text.startswith(HEADER_START) or HEADER_START.startswith(text.rstrip())
    if ours and not complete:
        raise _cut_off(path, len(lines))
    data = _parse(path, text)
    found = _format_of(path, data)
    if found == SAVE_FORMAT and not complete:
        raise _cut_off(path, len(lines))
    locator = KeyLocator(text)
    _validate(path, FORMATS[found][0], data, locator)
    native = found == SAVE_FORMAT
    save = _build(path, migrate(data, found), found, locator if native else None)
    if check_scenario:
        locate_scenario(save)
    return save


def _cut_off(path: Path, lines: int) -> SaveError:
    return SaveError(
        f"{path}: the save is cut off after line {lines}: its last line should be "
        f"'{END_MARKER}' (the file was not written or copied whole)"
    )


def read_save_text(path: Path) -> str:
    """The text of a save file; raises SaveError saying why it cannot be one."""
    try:
        text = read_text(path, max_bytes=MAX_SAVE_BYTES)
    except UnreadableFile as exc:
        raise SaveError(f"{_where(exc)}: {_unreadable(exc)}") from None
    if not text.strip():  # nothing, or a byte-order mark and nothing else
        raise SaveError(f"{path}: the file is empty, not a save")
    return text


def _where(exc: UnreadableFile) -> str:
    return f"{exc.path}:{exc.line}" if exc.line is not None else str(exc.path)


def _unreadable(exc: UnreadableFile) -> str:
    """Why a file cannot be read as text, in the words of a save."""
    match exc.issue:
        case FileIssue.MISSING:
            return "file not found"
        case FileIssue.FOLDER:
            return "is a folder, not a save file"
        case FileIssue.TOO_LARGE:
            return (
                f"is {exc.size / MIB:.1f} MiB, too large for a save "
                f"(at most {MAX_SAVE_BYTES // MIB} MiB)"
            )
        case FileIssue.UTF16:
            return "is UTF-16 text; a save is UTF-8"
        case FileIssue.BINARY:
            return "is a binary file, not a save"
        case FileIssue.NOT_UTF8:
            return f"is not UTF-8 text (byte 0x{exc.byte:02x} cannot be decoded)"
        case _:
            return f"cannot be read: {exc.reason}"


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return parse_toml(text)
    except TomlSyntaxError as exc:
        if exc.too_deep:
            raise SaveError(f"{path}: damaged save: nested too deeply to read") from None
        where = f"{path}:{exc.line}" if exc.line is not None else str(path)
        raise SaveError(f"{where}: damaged save: {exc.message}") from None


def _format_of(path: Path, data: dict[str, Any]) -> int:
    """The save format of a parsed file, or a SaveError saying what the file is."""
    header = data.get("save")
    if isinstance(header, dict):
        found, key = header.get("format"), "save.format"
    elif data.get("kind") == "going-dark save":
        found, key = data.get("format"), "format"
    elif "meta" in data and "company" in data:
        raise SaveError(
            f"{path}: is a scenario file, not a save (play it with: goingdark play {path})"
        )
    elif "decisions" in data:
        raise SaveError(
            f"{path}: is a decision log (policy), not a save: it has no [save] table "
            f"(run it with: goingdark run SCENARIO --policy {path})"
        )
    else:
        raise SaveError(f"{path}: is not a Going Dark save (it has no [save] table)")
    if found is None:
        raise SaveError(f"{path}: {key}: required key is missing")
    if not isinstance(found, int) or isinstance(found, bool):
        raise SaveError(f"{path}: {key}: expected an integer, found {describe(found)}")
    if found > SAVE_FORMAT:
        raise SaveError(
            f"{path}: made by a newer Going Dark (format {found}); this version reads up to "
            f"{SAVE_FORMAT}"
        )
    # Format 1 kept its header at the top level; every later format has a [save] table.
    first = 1 if key == "format" else 2
    last = 1 if key == "format" else SAVE_FORMAT
    if not first <= found <= last:
        expected = str(first) if first == last else f"{first} to {last}"
        raise SaveError(f"{path}: {key}: expected {expected}, found {found}")
    return found


_HASH_KEYS = {
    "scenario_hash": "a sha256 of 64 hexadecimal digits",
    "digest": "'sha256:' and 64 hexadecimal digits",
}


def _validate(
    path: Path, model: type[BaseModel], data: dict[str, Any], locator: KeyLocator | None
) -> Any:
    """``data`` validated by ``model``, or a SaveError with a line per problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            line = None
            if locator is not None:
                line = locator.line(loc) or (locator.line(loc[:-1]) if loc[:-1] else None)
            where = f"{path}:{line}" if line else str(path)
            if error["type"] == "string_pattern_mismatch" and loc[-1] in _HASH_KEYS:
                message = f"expected {_HASH_KEYS[loc[-1]]}, found {describe(error['input'])}"
            else:
                message = validation_message(error, model)
            lines.append(f"{where}: {display_path(loc, data)}: {message}")
        raise SaveError("\n".join(dict.fromkeys(lines))) from None


def _build(path: Path, data: dict[str, Any], found: int, locator: KeyLocator | None) -> SaveGame:
    """The SaveGame of a valid current-format table, after the checks across keys."""
    parsed = _validate(path, SaveFile, data, locator)
    header = parsed.save
    problems: list[str] = []

    def problem(raw: tuple[str | int, ...], message: str) -> None:
        line = locator.line(raw) if locator else None
        where = f"{path}:{line}" if line else str(path)
        problems.append(f"{where}: {display_path(raw, data)}: {message}")

    if header.quarter > header.quarters:
        problem(
            ("save", "quarter"),
            f"{header.quarter} quarters played, but the game has {header.quarters}",
        )
    for key in ("created", "updated"):
        if parse_time(getattr(header, key)) is None:
            problem(
                ("save", key),
                "expected an ISO 8601 date-time such as 2025-03-01T14:05:09Z, found "
                f"{describe(getattr(header, key))}",
            )
    for index, entry in enumerate(parsed.decisions):
        if entry.quarter > header.quarter:
            problem(
                ("decisions", index, "quarter"),
                f"quarter {entry.quarter} is after the last quarter played ({header.quarter})",
            )
    for name, values in parsed.recorded.items():
        if name not in METRIC_NAMES:
            problem(("recorded", name), f"unknown metric '{name}'{did_you_mean(name, RECORDED)}")
        elif len(values) != header.quarter + 1:
            problem(
                ("recorded", name),
                f"expected {header.quarter + 1} values (quarters 0 to {header.quarter}), "
                f"found {len(values)}",
            )
        for index, value in enumerate(values):
            if not math.isfinite(value):
                problem(("recorded", name, index), f"expected a finite number, found {value}")
    if header.score is not None and not math.isfinite(header.score):
        problem(("save", "score"), f"expected a finite number, found {header.score}")
    try:
        policy = Policy.from_table(
            {"scenario": parsed.scenario, "decisions": data.get("decisions", [])},
            source=str(path),
        )
    except PolicyError as exc:
        problems.append(str(exc))
        policy = Policy()
    if problems:
        raise SaveError("\n".join(problems))
    return SaveGame(
        format=found,
        game_version=header.game_version,
        scenario_id=parsed.scenario,
        scenario_hash=header.scenario_hash,
        scenario_path=header.scenario_path,
        seed=header.seed,
        player=header.player,
        slot=header.slot,
        created=header.created,
        updated=header.updated,
        quarter=header.quarter,
        quarters=header.quarters,
        policy=policy,
        recorded={name: list(values) for name, values in parsed.recorded.items()},
        score=header.score,
        path=path,
    )


def parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
