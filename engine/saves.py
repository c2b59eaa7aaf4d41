"""Saved games: write, read, migrate, restore, verify, list and branch.

A save is a small TOML file (docs/saves.md describes every key). Its heart is the
decision log: the scenario id and the ``[[decisions]]`` of every quarter played, in
the very format of ``goingdark run --policy``. Replaying that log from the scenario
and the seed rebuilds the game bit for bit, so a save needs nothing else to be
restored; the ``[save]`` table says what the game is and the ``[recorded]`` figures
let a replay prove that it rebuilt the same game.

Saves are written atomically (a temporary file in the same folder, fsync, rename),
so a process killed at any instant leaves the old save or the new one, whole. Reading
never changes a file, and anything wrong with one is a :class:`SaveError` that names
the file and the problem.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import time
import tomllib
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.catalog import data_dir, user_scenario_dir
from engine.errors import GoingDarkError, PolicyError, ScenarioError
from engine.policy import Policy, QuarterDecisions
from engine.scenario.authoring import write_atomic
from engine.scenario.loader import (
    _message,
    _one_line,
    builtin_dir,
    describe,
    did_you_mean,
    display_path,
    parse_scenario,
    toml_syntax_error,
)
from engine.scenario.locate import KeyLocator
from engine.scenario.schema import Scenario, Slug
from engine.session import GameSession
from engine.vocabulary import METRIC_NAMES

if TYPE_CHECKING:
    from engine.simulate import Results

SAVE_FORMAT = 2
SAVES_VARIABLE = "GOINGDARK_SAVES"
AUTOSAVE = "autosave"  # the slot of autosaves; a player's own slot never maps onto it
HEADER_START = "# Going Dark saved game"  # a save's first line starts so
END_MARKER = "# end of save"  # and its last line is this
MAX_SAVE_BYTES = 4 * 1024 * 1024
# Relative tolerance of verify(): replays are bit-identical, so this only forgives the
# last digit of a figure someone retyped.
TOLERANCE = 1e-9
# The figures a save records for verification: the quarter table's columns and
# the ones the game's dashboard leads with.
RECORDED = (
    "active_customers",
    "logo_retention",
    "revenue",
    "revenue_retention",
    "defections",
    "new_customers",
    "csat_reported",
    "csat_true",
    "thrill",
    "dark_share",
    "engagement",
    "quality",
    "quality_norm",
    "profit",
    "budget",
)
SLOT_MAX_CHARS = 60
# Temporary files older than this, left by a writer that was killed, are swept away
# by the next save of the same slot (younger ones may belong to a writer at work).
STALE_TEMPORARY_SECONDS = 60.0


class SaveError(GoingDarkError):
    """A save that cannot be written, read or restored; the message names the file."""


def saves_dir(override: Path | None = None) -> Path:
    """Where saves live (not created here): ``override`` (``--saves DIR``), else
    ``$GOINGDARK_SAVES``, else the ``saves`` folder of the user's data folder."""
    if override is not None:
        return Path(override).expanduser()
    variable = os.environ.get(SAVES_VARIABLE)
    if variable:
        return Path(variable).expanduser()
    return data_dir() / "saves"


def game_version() -> str:
    """The installed package's version, or "dev" when running from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("going-dark")
    except PackageNotFoundError:
        return "dev"


def now() -> str:
    """The current time as a save writes it: ISO 8601, UTC, whole seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes, in hex (how a save pins its scenario)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- the saved game -----------------------------------------------------------------------
@dataclass
class SaveGame:
    """A saved game as the current format describes it (older files are migrated)."""

    format: int  # the format of the file it was read from (SAVE_FORMAT for new saves)
    game_version: str
    scenario_id: str
    scenario_hash: str  # sha256 of the scenario file's bytes, hex
    scenario_path: str | None  # only for scenarios that are not built in
    seed: int
    player: str
    slot: str
    created: str  # ISO 8601 UTC: when the slot was first written
    updated: str  # ISO 8601 UTC: when it was last written
    quarter: int  # quarters played
    quarters: int  # the scenario's length
    policy: Policy  # the decision log
    recorded: dict[str, list[float]]  # metric -> values of quarters 0..quarter
    score: float | None  # None before the first quarter
    path: Path | None = field(default=None, compare=False)  # where it was read from

    @property
    def is_autosave(self) -> bool:
        return self.slot == AUTOSAVE

    @property
    def is_over(self) -> bool:
        return self.quarter >= self.quarters

    @property
    def migrated(self) -> bool:
        """Read from an older format (saving it again writes the current one)."""
        return self.format < SAVE_FORMAT

    @property
    def name(self) -> str:
        """How messages name this save: its file, else its slot."""
        return str(self.path) if self.path is not None else f'save "{self.slot}"'

    def to_table(self) -> dict[str, Any]:
        """The TOML-ready table of the current format; the decision log comes first
        and the recorded figures last."""
        policy = self.policy.to_table()
        header: dict[str, Any] = {
            "format": SAVE_FORMAT,
            "game_version": self.game_version,
            "slot": self.slot,
            "player": self.player,
            "seed": self.seed,
            "quarter": self.quarter,
            "quarters": self.quarters,
        }
        if self.score is not None:
            header["score"] = self.score
        header |= {"created": self.created, "updated": self.updated}
        header["scenario_hash"] = self.scenario_hash
        if self.scenario_path is not None:
            header["scenario_path"] = self.scenario_path
        return {
            "scenario": self.scenario_id,
            "decisions": policy["decisions"],
            "save": header,
            "recorded": {name: list(values) for name, values in self.recorded.items()},
        }


def render(save: SaveGame) -> str:
    """The save as the text of its file: a header comment, the TOML, the end marker."""
    where = f"quarter {save.quarter} of {save.quarters}"
    who = f', player "{save.player}"' if save.player else ""
    lines = [
        f'{HEADER_START} "{save.slot}": {save.scenario_id}, {where}{who}.',
        "# Replay it with: goingdark replay FILE --verify",
        "# `scenario` and `decisions` are the decision log, as goingdark run --policy reads",
        "# it; [recorded] holds the figures the game showed, to check replays against.",
        f"# The last line, '{END_MARKER}', shows the file was written whole: keep it.",
    ]
    header = "\n".join(_one_line(line) for line in lines)
    return f"{header}\n\n{tomli_w.dumps(save.to_table())}\n{END_MARKER}\n"


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


# --- writing ------------------------------------------------------------------------------
# Each game's autosave file, so that every autosave of one game replaces the last one.
_autosave_files: weakref.WeakKeyDictionary[GameSession, Path] = weakref.WeakKeyDictionary()


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
) -> Path:
    """Write the game to ``folder`` and return the file.

    ``slot`` names a manual save (file: :func:`slot_file_name`); ``"autosave"`` writes
    the game's own autosave, ``autosave-<scenario>-<time>.toml``, the same file every
    time for one game. ``scenario_path`` is needed for a scenario that is not built
    in. Overwriting a slot keeps its ``created`` time; a file in the way that is not
    a readable save is set aside (renamed), never overwritten.
    """
    folder = Path(folder)
    slot = slot.strip()
    if not slot:
        raise SaveError("a save needs a name")
    if len(slot) > SLOT_MAX_CHARS:
        raise SaveError(f"a save's name has at most {SLOT_MAX_CHARS} characters, not {len(slot)}")
    if _CONTROL.search(slot):
        raise SaveError("a save's name cannot contain control characters (tabs, line breaks)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"cannot create the saves folder {folder}: {exc.strerror or exc}") from None
    if slot == AUTOSAVE:
        path = _autosave_files.get(session)
        if path is None or path.parent != folder:
            path = _free_name(folder, f"{AUTOSAVE}-{session.scenario.meta.id}-{_stamp()}")
    else:
        path = folder / slot_file_name(slot)
    created = _existing_created(path)
    save = snapshot(session, slot=slot, scenario_path=scenario_path, player=player, created=created)
    write_save(save, path)
    if slot == AUTOSAVE:
        _autosave_files[session] = path
    return path


def write_save(save: SaveGame, path: Path) -> None:
    """Write ``save`` to ``path`` atomically: the old file or the new one, never half."""
    path = Path(path)
    _sweep_temporaries(path)
    try:
        write_atomic(path, render(save))
        _sync_folder(path.parent)
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


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename itself survives a power cut (POSIX only)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- the file formats -----------------------------------------------------------------------
class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Quarter = Annotated[int, Field(ge=0, le=40)]


class _SaveHeader(_Model):
    format: int
    game_version: str
    slot: Annotated[str, Field(min_length=1, max_length=200)]
    player: str = ""
    seed: Annotated[int, Field(ge=0, lt=2**63)]
    quarter: Quarter
    quarters: Annotated[int, Field(ge=1, le=40)]
    score: float | None = None
    created: str
    updated: str
    scenario_hash: Sha256
    scenario_path: Annotated[str, Field(min_length=1)] | None = None


class SaveFile(_Model):
    """Format 2 (current)."""

    scenario: Slug
    decisions: list[QuarterDecisions] = Field(default_factory=list)
    save: _SaveHeader
    recorded: dict[str, list[float]]


class _TurnV1(_Model):
    quarter: Annotated[int, Field(ge=1, le=40)]
    adopt: list[str] = Field(default_factory=list)
    dilemmas: dict[str, str] = Field(default_factory=dict)


class _HistoryV1(_Model):
    customers: list[int]
    revenue: list[float]
    retention: list[float]


class SaveFileV1(_Model):
    """Format 1 (Going Dark 0.0.x): a flat table marked by ``kind``, decisions as
    ``[[turns]]`` of ``adopt``/``dilemmas``, a ``digest`` prefixed with its algorithm, a
    TOML date-time, and three figures in ``[history]``."""

    kind: Literal["going-dark save"]
    format: Literal[1]
    version: str
    scenario: Slug
    digest: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]
    seed: Annotated[int, Field(ge=0, lt=2**63)]
    team: str = ""
    name: Annotated[str, Field(min_length=1, max_length=200)]
    saved: datetime
    played: Quarter
    length: Annotated[int, Field(ge=1, le=40)]
    turns: list[_TurnV1] = Field(default_factory=list)
    history: _HistoryV1


def _v1_to_v2(old: dict[str, Any]) -> dict[str, Any]:
    """Format 1 -> 2: the decision log moves to the policy format, the header to [save],
    the digest loses its prefix, times become UTC strings, [history] becomes [recorded]."""
    saved = old["saved"]
    if saved.tzinfo is None:  # format 1 wrote UTC, sometimes without the offset
        saved = saved.replace(tzinfo=UTC)
    stamp = saved.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    history = old["history"]
    return {
        "scenario": old["scenario"],
        "decisions": [
            {
                "quarter": turn["quarter"],
                "interventions": list(turn.get("adopt", [])),
                **({"choices": dict(turn["dilemmas"])} if turn.get("dilemmas") else {}),
            }
            for turn in old.get("turns", [])
        ],
        "save": {
            "format": 2,
            "game_version": old["version"],
            "slot": old["name"],
            "player": old.get("team", ""),
            "seed": old["seed"],
            "quarter": old["played"],
            "quarters": old["length"],
            "created": stamp,
            "updated": stamp,
            "scenario_hash": old["digest"].removeprefix("sha256:"),
        },
        "recorded": {
            "active_customers": [float(v) for v in history["customers"]],
            "revenue": list(history["revenue"]),
            "logo_retention": list(history["retention"]),
        },
    }


# Format -> (its schema, the migration to the next format). The current format has none.
FORMATS: dict[int, tuple[type[BaseModel], Callable[[dict[str, Any]], dict[str, Any]] | None]] = {
    1: (SaveFileV1, _v1_to_v2),
    2: (SaveFile, None),
}


def migrate(data: dict[str, Any], found: int) -> dict[str, Any]:
    """A parsed save of format ``found`` in the current format, through the chain."""
    while found < SAVE_FORMAT:
        step = FORMATS[found][1]
        assert step is not None
        data = step(data)
        found += 1
    return data


# --- reading --------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def read_save(path: Path | str, *, check_scenario: bool = True) -> SaveGame:
    """Read, check and (if older) migrate a save; the file itself is never changed.

    Raises :class:`SaveError` naming the file for a missing, empty, binary, damaged,
    cut-off or foreign file, wrong keys, a newer format, or (with ``check_scenario``)
    a scenario this installation does not have.
    """
    path = Path(path)
    text = _read_text(path)
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


def _read_text(path: Path) -> str:
    try:
        if path.is_dir():
            raise SaveError(f"{path}: is a folder, not a save file")
        size = path.stat().st_size
        if size > MAX_SAVE_BYTES:
            raise SaveError(
                f"{path}: is {size / 1048576:.1f} MiB, too large for a save "
                f"(at most {MAX_SAVE_BYTES // 1048576} MiB)"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"{path}: file not found") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise SaveError(f"{path}: the file is empty, not a save")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SaveError(f"{path}: is UTF-16 text; a save is UTF-8")
    if b"\x00" in raw:
        raise SaveError(f"{path}: is a binary file, not a save")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SaveError(
            f"{path}:{line}: is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be decoded)"
        ) from None
    if not text.strip():  # a byte-order mark and nothing else
        raise SaveError(f"{path}: the file is empty, not a save")
    return text


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise SaveError(f"{path}: damaged save: nested too deeply to read") from None
    except tomllib.TOMLDecodeError as exc:
        line, message = toml_syntax_error(exc)
        where = f"{path}:{line}" if line is not None else str(path)
        raise SaveError(f"{where}: damaged save: {message}") from None


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
                message = _message(error, model)
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
        if _parse_time(getattr(header, key)) is None:
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


def _parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# --- restoring ------------------------------------------------------------------------------
def locate_scenario(save: SaveGame, scenario: Path | str | None = None) -> Path:
    """The scenario file to replay ``save`` on: ``scenario`` if given (a file or a
    built-in id), else the built-in one, else ``scenario_path`` (tried as stored,
    then by its name beside the save and in the user's scenarios folder)."""
    if scenario is not None:
        candidate = Path(scenario)
        if not candidate.suffix and "/" not in str(scenario) and not candidate.exists():
            candidate = builtin_dir() / f"{scenario}.toml"
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


def restore(
    save: SaveGame, scenario: Path | str | None = None, *, allow_changed: bool = False
) -> GameSession:
    """Rebuild the saved game by replaying its decision log; returns the session.

    ``scenario`` replaces the scenario file the save names (a moved custom scenario).
    A scenario whose file changed since the save is refused unless ``allow_changed``:
    its decisions may then not replay the same game.
    """
    session = _replay(save, save.quarter, scenario, allow_changed)
    # A finished game was entered in the player's progress when it ended.
    session.recorded = session.is_over
    if save.is_autosave and save.path is not None:
        _autosave_files[session] = save.path  # continuing it autosaves to the same file
    return session


def _replay(
    save: SaveGame, quarters: int, scenario: Path | str | None, allow_changed: bool
) -> GameSession:
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
        loaded = parse_scenario(raw.decode("utf-8"), path)
    except UnicodeDecodeError:
        raise SaveError(f"{save.name}: the scenario file {path} is not UTF-8 text") from None
    except ScenarioError as exc:
        raise SaveError(f"{save.name}: its scenario cannot be loaded:\n{exc}".rstrip()) from None
    if loaded.meta.id != save.scenario_id:
        raise SaveError(
            f"{save.name}: the save is for scenario '{save.scenario_id}', "
            f"not '{loaded.meta.id}' ({path})"
        )
    if quarters > loaded.meta.quarters:
        raise SaveError(
            f"{save.name}: {quarters} quarters were played, but the scenario has only "
            f"{loaded.meta.quarters}"
        )
    session = GameSession(loaded, seed=save.seed, player=save.player)
    because = " (the scenario changed since the save)" if changed else ""
    for quarter in range(1, quarters + 1):
        decisions = save.policy.for_quarter(quarter)
        try:
            decisions.validate(session.world)
            session.play(decisions.interventions, decisions.choices)
        except PolicyError as exc:
            raise SaveError(
                f"{save.name}: quarter {quarter} does not replay: {exc}{because}"
            ) from None
    return session


def verify(save: SaveGame, session: GameSession) -> list[str]:
    """Differences between the figures recorded in the save and the rebuilt game's,
    as ``quarter 3, revenue: saved 1234.0, replayed 1250.5``; empty when they match."""
    differences = []
    if session.quarter != save.quarter:
        differences.append(f"quarters played: saved {save.quarter}, replayed {session.quarter}")
    for name, saved_values in save.recorded.items():
        replayed_values = session.series(name)
        for quarter, saved in enumerate(saved_values):
            if quarter >= len(replayed_values):
                break
            replayed = float(replayed_values[quarter])
            if not math.isclose(saved, replayed, rel_tol=TOLERANCE, abs_tol=1e-12):
                differences.append(
                    f"quarter {quarter}, {name}: saved {saved!r}, replayed {replayed!r}"
                )
    if save.score is not None and session.quarter > 0:
        replayed = float(session.outcome().score[0])
        if not math.isclose(save.score, replayed, rel_tol=TOLERANCE, abs_tol=1e-12):
            differences.append(f"score: saved {save.score!r}, replayed {replayed!r}")
    return differences


def branch(
    save_or_session: SaveGame | GameSession,
    quarter: int,
    *,
    scenario: Path | str | None = None,
    allow_changed: bool = False,
) -> GameSession:
    """A new game that replays only the first ``quarter`` quarters of a saved game or a
    game in progress, to play on differently. Nothing is written; the original save
    and session are left as they are."""
    if isinstance(save_or_session, GameSession):
        original = save_or_session
        played = original.quarter
        if not 0 <= quarter <= played:
            raise SaveError(
                f"cannot rewind to quarter {quarter}: the game has played {played} "
                f"quarter{'s' if played != 1 else ''}"
            )
        session = GameSession(original.scenario, seed=original.seed, player=original.player)
        for number in range(1, quarter + 1):
            decisions = original.decisions.get(number)
            if decisions is None:
                session.play()
            else:
                session.play(decisions.interventions, decisions.choices)
        return session
    save = save_or_session
    if not 0 <= quarter <= save.quarter:
        raise SaveError(
            f"{save.name}: cannot rewind to quarter {quarter}: the game has played "
            f"{save.quarter} quarter{'s' if save.quarter != 1 else ''}"
        )
    return _replay(save, quarter, scenario, allow_changed)


# --- listing --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SaveSummary:
    """One file of a saves folder, readable or not (a broken save is listed with its
    problem, never hidden)."""

    path: Path
    slot: str
    scenario_id: str | None
    title: str | None  # the scenario's title, when it loads
    quarter: int | None
    quarters: int | None
    score: float | None
    player: str
    updated: str | None
    problem: str | None = None  # why it cannot be loaded
    warning: str | None = None  # loadable only anyway: the scenario changed since

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def is_autosave(self) -> bool:
        return self.slot == AUTOSAVE


def list_saves(folder: Path) -> list[SaveSummary]:
    """Every save in ``folder``, newest first (none if the folder does not exist).

    Temporary files of interrupted writes are not saves and are not listed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    scenarios: dict[Path, tuple[str | None, str | None, str | None]] = {}
    entries: list[tuple[datetime, SaveSummary]] = []
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            save = read_save(path, check_scenario=False)
        except SaveError as exc:
            entries.append((_mtime(path), _broken(path, str(exc))))
            continue
        try:
            scenario_file = locate_scenario(save)
        except SaveError as exc:
            title, digest, problem = None, None, str(exc)
        else:
            key = scenario_file.resolve()
            if key not in scenarios:
                scenarios[key] = _scenario_facts(scenario_file)
            title, digest, problem = scenarios[key]
        warning = None
        if problem is None and digest != save.scenario_hash:
            warning = (
                f"the scenario '{save.scenario_id}' has changed since this game was saved; "
                "loading it anyway may not replay the same game"
            )
        summary = SaveSummary(
            path=path,
            slot=save.slot,
            scenario_id=save.scenario_id,
            title=title,
            quarter=save.quarter,
            quarters=save.quarters,
            score=save.score,
            player=save.player,
            updated=save.updated,
            problem=problem,
            warning=warning,
        )
        entries.append((_parse_time(save.updated) or _mtime(path), summary))
    # Saved times have whole seconds: within one, the file written last is the newest.
    entries.sort(
        key=lambda item: (item[0], _written_ns(item[1].path), item[1].path.name), reverse=True
    )
    return [summary for _, summary in entries]


def _written_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _scenario_facts(path: Path) -> tuple[str | None, str | None, str | None]:
    """(title, hash, problem) of a scenario file."""
    try:
        raw = path.read_bytes()
        scenario = parse_scenario(raw.decode("utf-8"), path)
    except OSError as exc:
        return None, None, f"{path}: the scenario cannot be read: {exc.strerror or exc}"
    except UnicodeDecodeError:
        return None, None, f"{path}: the scenario is not UTF-8 text"
    except ScenarioError as exc:
        return None, None, f"its scenario cannot be loaded:\n{exc}"
    return scenario.meta.title, hashlib.sha256(raw).hexdigest(), None


def _broken(path: Path, problem: str) -> SaveSummary:
    return SaveSummary(
        path=path,
        slot=path.stem,
        scenario_id=None,
        title=None,
        quarter=None,
        quarters=None,
        score=None,
        player="",
        updated=None,
        problem=problem,
    )


def _mtime(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return datetime.fromtimestamp(0, UTC)


def latest_autosave(folder: Path) -> SaveSummary | None:
    """The newest autosave in ``folder`` (the game to "Continue"), or None.

    Check its ``problem`` before loading: a damaged autosave is returned, not skipped,
    so that the player hears about it rather than silently getting an older game.
    """
    for summary in list_saves(folder):
        if summary.is_autosave or (
            summary.problem is not None and summary.path.name.startswith(f"{AUTOSAVE}-")
        ):
            return summary
    return None


# --- replays as results ---------------------------------------------------------------------
def session_results(session: GameSession) -> Results:
    """A single-run :class:`engine.simulate.Results` of a game so far (for the quarter
    table and anything else that reads simulation results)."""
    import numpy as np

    from engine.simulate import Results

    history = {name: np.stack(values) for name, values in session.state.history.items()}
    adopted = session.state.organisation.adopted_quarter >= 0
    return Results(session.scenario.meta.id, session.seed, history, adopted)
