"""Loading scenarios: find, read, parse, validate and cross-check, reporting every problem.

The loader is the validator: ``goingdark check``, the game's scenario browser and
the engine all call :func:`load_scenario`, which either returns a :class:`Scenario`
or raises :class:`ScenarioError` listing every problem in the file, each with the
file, the line where it can be found, the key path (list items named by their
``id``), what was expected in TOML words and what was found. :func:`find_scenario`
is the one place that decides whether a name is a path, a built-in id or an id in
the player's own scenarios folder.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.confine import OUTSIDE, outside
from engine.errors import GoingDarkError, Problem, ScenarioError
from engine.folders import user_scenario_dir
from engine.levers import LEVER_NAMES
from engine.memory import MEMORY_BUDGET, MIB, estimate_state_bytes
from engine.scenario.checks import check_across_keys
from engine.scenario.locate import KeyLocator
from engine.scenario.rules import CROSS_KEY_ERROR
from engine.scenario.schema import Scenario
from engine.textfile import (
    BOUND_ERRORS,
    FileIssue,
    RawPath,
    TomlSyntaxError,
    UnreadableFile,
    did_you_mean,
    display_path,
    one_line,
    parse_toml,
    read_text,
    validation_message,
)
from engine.world import World

MAX_FILE_BYTES = 2 * MIB


# --- schema problems ----------------------------------------------------------------------
def _pydantic_problems(
    exc: ValidationError, data: Any, path: Path | None, locator: KeyLocator
) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if error["type"] == CROSS_KEY_ERROR:
            continue  # engine.scenario.checks states the rule at its key
        if (
            error["type"] in BOUND_ERRORS
            and len(loc) == 2
            and loc[0] == "practices"
            and loc[1] in LEVER_NAMES
            and math.isfinite(error["input"])
        ):
            continue  # engine.scenario.checks names the lever's own, narrower range
        line = locator.line(loc)
        if line is None and error["type"] == "missing":
            # The key is absent, so point at the table it is missing from.
            line = locator.line(loc[:-1]) if loc[:-1] else None
        problems.append(
            Problem(path, line, display_path(loc, data), validation_message(error, Scenario))
        )
    return problems


def _non_finite(node: Any, raw: RawPath = ()) -> Iterator[tuple[RawPath, float]]:
    """Key paths of the nan and inf values in a parsed document."""
    if isinstance(node, float) and not math.isfinite(node):
        yield raw, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _non_finite(value, (*raw, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _non_finite(value, (*raw, index))


# --- reading ------------------------------------------------------------------------------
def unreadable_scenario(exc: UnreadableFile) -> ScenarioError:
    """A scenario file that cannot be read as text, in a scenario author's words."""
    match exc.issue:
        case FileIssue.MISSING:
            message = "file not found"
        case FileIssue.FOLDER:
            message = "is a folder, not a scenario file"
        case FileIssue.TOO_LARGE:
            message = (
                f"file is {exc.size / MIB:.1f} MiB; a scenario file is at most "
                f"{MAX_FILE_BYTES // MIB} MiB"
            )
        case FileIssue.UTF16:
            message = "is UTF-16 text; save the file as UTF-8"
        case FileIssue.BINARY:
            message = "is a binary file, not TOML text"
        case FileIssue.NOT_UTF8:
            message = (
                f"is not UTF-8 text (byte 0x{exc.byte:02x} cannot be decoded); "
                "save the file as UTF-8"
            )
        case _:
            message = f"cannot be read: {exc.reason}"
    return ScenarioError([Problem(exc.path, exc.line, "", message)])


def read_scenario_text(path: Path) -> str:
    """The text of a scenario file; raises ScenarioError saying why it cannot be read."""
    try:
        return read_text(path, max_bytes=MAX_FILE_BYTES)
    except UnreadableFile as exc:
        raise unreadable_scenario(exc) from exc


def parse_scenario(text: str, path: Path | None = None) -> Scenario:
    """Validate a scenario given as TOML text; raises ScenarioError with every problem."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ScenarioError(
            [
                Problem(
                    path,
                    None,
                    "",
                    "the file is empty; a scenario needs at "
                    "least [meta], [briefing], [company], [[segments]], "
                    "[[interventions]] and [scoring]",
                )
            ]
        )
    try:
        data = parse_toml(text)
    except TomlSyntaxError as exc:
        message, line = exc.message, exc.line
        if exc.too_deep:
            message = (
                "TOML nested too deeply to read (arrays or tables "
                "inside each other hundreds of levels deep)"
            )
        overwrite = "Cannot overwrite" in (exc.message or "")
        misplaced = sub_table_before_its_item(text, exc.line) if overwrite else None
        if misplaced is not None:
            line, message = misplaced
        raise ScenarioError([Problem(path, line, "", message)]) from None

    locator = KeyLocator(text)
    problems: list[Problem] = []
    scenario = None
    reported: list[RawPath] = []
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        reported = [tuple(error["loc"]) for error in exc.errors(include_url=False)]
        problems.extend(_pydantic_problems(exc, data, path, locator))
    # TOML has nan and inf, but no scenario number means anything as either; the
    # schema only refuses them where a key has bounds.
    for raw, value in _non_finite(data):
        if not any(raw[: len(loc)] == loc for loc in reported):
            problems.append(
                Problem(
                    path,
                    locator.line(raw),
                    display_path(raw, data),
                    f"expected a finite number, found {value}",
                )
            )
    problems.extend(check_across_keys(data, path, locator))
    if scenario is not None and not problems:
        problems.extend(_size_problems(scenario, path, locator))
    if problems:
        problems = [Problem(p.path, p.line, one_line(p.key), one_line(p.message)) for p in problems]
        problems.sort(key=lambda p: (p.line is None, p.line or 0, p.key))
        raise ScenarioError(_unique(problems))
    if scenario is None:  # every schema problem must have been reported above
        raise ScenarioError([Problem(path, None, "", "the scenario could not be loaded")])
    return scenario


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\s-]+?)\s*\]\]?\s*(#.*)?$")


def sub_table_before_its_item(text: str, error_line: int | None) -> tuple[int, str] | None:
    """For TOML's "Cannot overwrite a value" at an ``[[events]]`` header: the line and a
    plain message when the cause is an ``[[events.choices]]`` (or ``[events.x]``) written
    before any ``[[events]]``, which made ``events`` a table. None for any other error."""
    if error_line is None:
        return None
    lines = text.splitlines()
    found = _HEADER.match(lines[error_line - 1]) if error_line <= len(lines) else None
    if found is None or found.group(1) != "[[":
        return None
    name = re.sub(r"\s+", "", found.group(2))
    for number, line in enumerate(lines[: error_line - 1], start=1):
        header = _HEADER.match(line)
        if header is None:
            continue
        key = re.sub(r"\s+", "", header.group(2))
        if key == name:
            return None  # an [[events]] came first: some other clash
        if key.startswith(f"{name}."):
            written = f"{header.group(1)}{key}{']' * len(header.group(1))}"
            return (
                number,
                f"{written} comes before any [[{name}]]: it belongs to the [[{name}]] item "
                f"above it, so move it below the [[{name}]] it is part of",
            )
    return None


def _unique(problems: list[Problem]) -> list[Problem]:
    seen = set()
    result = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            result.append(problem)
    return result


def _size_problems(scenario: Scenario, path: Path | None, locator: KeyLocator) -> list[Problem]:
    if scenario.customer_count == 0:
        return [
            Problem(
                path,
                locator.line(("segments",)),
                "segments",
                "the segments have no customers at all",
            )
        ]
    try:
        world = World.from_scenario(scenario)
    except GoingDarkError as exc:
        return [Problem(path, locator.line(("segments",)), "segments", str(exc))]
    estimate = estimate_state_bytes(world, 1, scenario.meta.quarters)
    if estimate > MEMORY_BUDGET:
        # Said in the author's terms: check_size's advice ("use fewer runs") is for run.
        return [
            Problem(
                path,
                locator.line(("segments",)),
                "segments",
                f"too large to simulate: {world.initial_customers:,} customers and "
                f"{world.employees:,} employees need about {estimate / MIB:,.0f} MiB for "
                f"one run, over the {MEMORY_BUDGET / MIB:,.0f} MiB budget; use fewer customers",
            )
        ]
    return []


# --- finding scenarios --------------------------------------------------------------------
def builtin_dir() -> Path:
    """The folder of the built-in scenarios shipped with the package."""
    return Path(str(resources.files("scenarios")))


def builtin_paths() -> list[Path]:
    """The built-in scenario files, sorted by name."""
    return sorted(builtin_dir().glob("*.toml"))


def is_builtin(path: Path) -> bool:
    """Whether ``path`` is one of the built-in scenario files."""
    return Path(path).resolve().parent == builtin_dir().resolve()


def find_scenario(name: str | Path) -> Path:
    """The scenario file a name means, decided in one place for every command and the game.

    A name that looks like a path (ends in ``.toml``, contains a ``/``, or exists) is
    that path, returned even if missing so that reading it says "file not found".
    Anything else is an id: a built-in scenario first, then one in the player's
    scenarios folder (:func:`engine.folders.user_scenario_dir`). An unknown id raises
    ScenarioError with a "did you mean" over every known id.
    """
    candidate = Path(name)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in str(name):
        if outside(candidate, builtin_dir()):  # a served game (engine.confine)
            raise ScenarioError([Problem(candidate, None, "", OUTSIDE)])
        return candidate
    builtin = builtin_dir() / f"{name}.toml"
    if builtin.is_file():
        return builtin
    folder = user_scenario_dir()
    own = folder / f"{name}.toml"
    if own.is_file():
        return own
    known = [p.stem for p in builtin_paths()]
    yours = sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []
    listed = f"built-in: {', '.join(known)}" if known else "there are no built-in scenarios"
    if yours:
        listed += f"; in {folder}: {', '.join(yours)}"
    raise ScenarioError(
        [
            Problem(
                candidate,
                None,
                "",
                "no such scenario file, built-in scenario or scenario in your folder"
                f"{did_you_mean(str(name), [*known, *yours])} ({listed})",
            )
        ]
    )


def load_scenario(name: str | Path) -> Scenario:
    """Load a scenario from a path, a built-in id or an id in the player's folder;
    raises ScenarioError."""
    path = find_scenario(name)
    return parse_scenario(read_scenario_text(path), path)
