"""Loading scenarios: read, parse, validate and cross-check, reporting every problem.

The loader is the validator: ``goingdark check``, the game's scenario browser and
the engine all call :func:`load_scenario`, which either returns a :class:`Scenario`
or raises :class:`ScenarioError` listing every problem in the file, each with the
file, the line where it can be found, the key path (list items named by their
``id``), what was expected in TOML words and what was found.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.errors import GoingDarkError, Problem, ScenarioError
from engine.levers import LEVER_NAMES, LEVERS
from engine.scenario.locate import KeyLocator
from engine.scenario.schema import Scenario
from engine.vocabulary import METRIC_INFO, METRIC_NAMES

MAX_FILE_BYTES = 2 * 1024 * 1024
RawPath = tuple[str | int, ...]


# --- describing TOML values -------------------------------------------------------------
def toml_type(value: Any) -> str:
    """The TOML word for a parsed value's type, with its article."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    return "a value"


def describe(value: Any) -> str:
    """A found value in TOML words: ``a string ("ten")``, ``an array of 3 items``."""
    kind = toml_type(value)
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return kind
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f'{kind} ("{shown}")'
    if isinstance(value, bool):
        return f"{kind} ({'true' if value else 'false'})"  # as TOML writes it
    return f"{kind} ({value})"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for a near miss, else an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


# --- key paths --------------------------------------------------------------------------
def display_path(raw: RawPath, data: Any) -> str:
    """A dotted key path with list items named by their ``id`` (else ``[#n]``, 1-based)."""
    parts: list[str] = []
    node = data
    for part in raw:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            item_id = item.get("id") if isinstance(item, dict) else None
            # Only an id that reads as one key: "segments.Small Biz.id" would not.
            if isinstance(item_id, str) and re.fullmatch(r"[A-Za-z0-9_-]+", item_id):
                parts.append(item_id)
            elif parts:
                parts[-1] += f"[#{part + 1}]"
            else:
                parts.append(f"[#{part + 1}]")
            node = item
        else:
            parts.append(part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else f'"{part}"')
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def _model_fields_at(model: type[BaseModel], loc: RawPath) -> list[str] | None:
    """Field names of the model found at ``loc`` inside ``model`` (for did-you-mean)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _inner_model(annotation: Any) -> Any:
    """The model class inside list[...], X | None and Annotated[...] annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner_model(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    return annotation


# --- pydantic errors in TOML words ------------------------------------------------------
_EXPECTED_TYPE = {
    "int_type": "an integer",
    "int_from_float": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "a string",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "list_type": "an array",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
    "greater_than": ("greater than", "gt"),
    "less_than": ("less than", "lt"),
}


def _message(error: dict[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    found = error.get("input")
    loc = tuple(error["loc"])
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        fields = _model_fields_at(model, loc[:-1]) or []
        hint = did_you_mean(str(loc[-1]), fields)
        if not hint and fields:
            hint = f" (expected one of: {', '.join(fields)})"
        return f"unknown key{hint}"
    if kind in _EXPECTED_TYPE:
        return f"expected {_EXPECTED_TYPE[kind]}, found {describe(found)}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, found {describe(found)}"
    if kind == "string_pattern_mismatch":
        return (
            "expected an identifier of lower-case letters, digits, '_' and '-' "
            f"(starting with a letter or digit), found {describe(found)}"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters, found {len(found)}"
    if kind == "too_short":
        needed = ctx.get("min_length")
        return (
            f"needs at least {needed} item{'s' if needed != 1 else ''}, found "
            f"{ctx.get('actual_length', len(found) if isinstance(found, list) else 0)}"
        )
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} items, found {ctx.get('actual_length')}"
    if kind in _BOUNDS:
        if isinstance(found, float) and not math.isfinite(found):
            return f"expected a finite number, found {found}"
        words, key = _BOUNDS[kind]
        return f"must be {words} {_number(ctx.get(key))}, found {_number(found)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"]).lower()


def _pydantic_problems(
    exc: ValidationError, data: Any, path: Path | None, locator: KeyLocator
) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if (
            error["type"] in _BOUNDS
            and len(loc) == 2
            and loc[0] == "practices"
            and loc[1] in LEVER_NAMES
            and math.isfinite(error["input"])
        ):
            continue  # _Checker names the lever's own, narrower range
        line = locator.line(loc)
        if line is None and error["type"] == "missing":
            # The key is absent, so point at the table it is missing from.
            line = locator.line(loc[:-1]) if loc[:-1] else None
        problems.append(Problem(path, line, display_path(loc, data), _message(error, Scenario)))
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


# --- cross-references -------------------------------------------------------------------
# Rules across keys. The schema's validators say the same, but only once a table's own
# keys are valid; the checker says them at once, at the key, and the schema's copy of
# the message is then dropped (see parse_scenario).
ONE_BOUND = "give exactly one of 'at_least' or 'at_most'"
ONE_TIMING = "give exactly one of 'quarter' (scheduled) or 'chance' (random)"
WINDOW_ORDER = "'first_quarter' must not be after 'last_quarter'"
BEST_WORST = "'best' and 'worst' must differ"
STARS_ORDER = "'stars' must be three increasing scores"
ACHIEVEMENT_CRITERION = "give a 'condition', 'adopted' or 'never_adopted'"
CROSS_KEY_RULES = {
    ONE_BOUND,
    ONE_TIMING,
    WINDOW_ORDER,
    BEST_WORST,
    STARS_ORDER,
    ACHIEVEMENT_CRITERION,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Checker:
    """Checks that only make sense across keys: ids, references, cycles."""

    def __init__(self, data: dict, path: Path | None, locator: KeyLocator):
        self.data = data
        self.path = path
        self.locator = locator
        self.problems: list[Problem] = []

    def add(self, raw: RawPath, message: str) -> None:
        self.problems.append(
            Problem(self.path, self.locator.line(raw), display_path(raw, self.data), message)
        )

    def node(self, *keys: str) -> Any:
        node: Any = self.data
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        return node

    def items(self, *keys: str) -> list[tuple[RawPath, dict]]:
        node = self.node(*keys)
        if not isinstance(node, list):
            return []
        return [((*keys, i), item) for i, item in enumerate(node) if isinstance(item, dict)]

    def ids(self, items: list[tuple[RawPath, dict]], what: str) -> list[str]:
        seen: dict[str, RawPath] = {}
        for raw, item in items:
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                first = self.locator.line((*seen[item_id], "id"))
                also = f" (first used on line {first})" if first else ""
                self.add((*raw, "id"), f"duplicate {what} id '{item_id}'{also}")
            else:
                seen[item_id] = raw
        return list(seen)

    def reference(self, raw: RawPath, value: Any, known: list[str] | None, what: str) -> None:
        # known is None when the ids' array is missing or no array: the schema reports
        # that once, and every reference into it would only repeat it.
        if isinstance(value, str) and known is not None and value not in known:
            self.add(raw, f"unknown {what} '{value}'{did_you_mean(value, known)}")

    def lever(self, raw: RawPath, name: Any) -> None:
        if isinstance(name, str) and name not in LEVER_NAMES:
            hint = did_you_mean(name, LEVER_NAMES) or " (see the lever list in the docs)"
            self.add(raw, f"unknown lever '{name}'{hint}")

    def metric(self, raw: RawPath, name: Any) -> None:
        if isinstance(name, str) and name not in METRIC_NAMES:
            hint = did_you_mean(name, METRIC_NAMES) or " (see the metric list in the docs)"
            self.add(raw, f"unknown metric '{name}'{hint}")

    def effects(self, raw: RawPath, item: dict) -> None:
        effects = item.get("effects")
        if isinstance(effects, list):
            for index, effect in enumerate(effects):
                if isinstance(effect, dict):
                    self.lever((*raw, "effects", index, "lever"), effect.get("lever"))

    def condition(self, raw: RawPath, condition: Any) -> None:
        """A condition's metric, its single bound (within the metric's unit) and window."""
        if not isinstance(condition, dict):
            return
        metric = condition.get("metric")
        self.metric((*raw, "metric"), metric)
        bounds = [key for key in ("at_least", "at_most") if key in condition]
        if len(bounds) != 1:
            self.add(raw, ONE_BOUND)
        info = METRIC_INFO.get(metric) if isinstance(metric, str) else None
        for key in bounds:
            value = condition[key]
            if info is None or info.unit not in ("share", "level") or not _is_number(value):
                continue
            low = -1.0 if condition.get("measure") == "change" else 0.0
            if not low <= value <= 1.0:
                what = "a change in" if low < 0 else "a value of"
                self.add(
                    (*raw, key),
                    f"{metric} is a {info.unit} from 0 to 1, so {what} it lies between "
                    f"{_number(low)} and 1; found {_number(value)}",
                )
        self.within_game((*raw, "for_quarters"), condition.get("for_quarters"))

    def within_game(self, raw: RawPath, value: Any, what: str = "for_quarters") -> None:
        quarters = self.node("meta", "quarters")
        if _is_number(value) and _is_number(quarters) and value > quarters:
            self.add(raw, f"{_number(value)} is more than the scenario's {quarters} quarters")

    def event_rules(self, raw: RawPath, event: dict) -> None:
        if ("quarter" in event) == ("chance" in event):
            self.add(raw, ONE_TIMING)
        first, last = event.get("first_quarter", 1), event.get("last_quarter", 40)
        if _is_number(first) and _is_number(last) and first > last:
            self.add((*raw, "first_quarter"), WINDOW_ORDER)
        if "chance" in event:
            self.within_game((*raw, "first_quarter"), event.get("first_quarter"))

    def run(self) -> list[Problem]:
        departments = self.ids(self.items("company", "departments"), "department")
        if not isinstance(self.node("company", "departments"), list):
            departments = None
        self.ids(self.items("segments"), "segment")
        interventions = self.items("interventions")
        intervention_ids = self.ids(interventions, "intervention")
        if not isinstance(self.node("interventions"), list):
            intervention_ids = None
        events = self.items("events")
        self.ids(events, "event")
        for kind in ("goals", "achievements", "lessons"):
            self.ids(self.items(kind), kind.rstrip("s"))

        for raw, segment in self.items("segments"):
            served = segment.get("served_by")
            if isinstance(served, list):
                for index, name in enumerate(served):
                    self.reference((*raw, "served_by", index), name, departments, "department")

        practices = self.data.get("practices")
        if isinstance(practices, dict):
            ranges = {lever.name: lever for lever in LEVERS}
            for name, level in practices.items():
                self.lever(("practices", name), name)
                lever = ranges.get(name)
                if (
                    lever
                    and isinstance(level, int | float)
                    and not isinstance(level, bool)
                    and math.isfinite(level)
                    and not lever.low <= level <= lever.high
                ):
                    self.add(
                        ("practices", name),
                        f"must be between {_number(lever.low)} and {_number(lever.high)} "
                        f"for lever '{name}', found {_number(level)}",
                    )

        requires: dict[str, list[str]] = {}
        for raw, intervention in interventions:
            self.effects(raw, intervention)
            needed = intervention.get("requires")
            if isinstance(needed, list):
                for index, name in enumerate(needed):
                    self.reference(
                        (*raw, "requires", index), name, intervention_ids, "intervention"
                    )
                if isinstance(intervention.get("id"), str):
                    requires[intervention["id"]] = [n for n in needed if isinstance(n, str)]
        self._cycles(requires)

        meta = self.data.get("meta")
        quarters = meta.get("quarters") if isinstance(meta, dict) else None
        for raw, event in events:
            self.effects(raw, event)
            self.condition((*raw, "condition"), event.get("condition"))
            self.event_rules(raw, event)
            listed = event.get("choices")
            choices = (
                [((*raw, "choices", i), c) for i, c in enumerate(listed) if isinstance(c, dict)]
                if isinstance(listed, list)
                else []
            )
            choice_ids = self.ids(choices, "choice")
            if listed is not None and not isinstance(listed, list):
                choice_ids = None
            for choice_raw, choice in choices:
                self.effects(choice_raw, choice)
            if "default_choice" in event:
                self.reference(
                    (*raw, "default_choice"), event["default_choice"], choice_ids, "choice"
                )
            when = event.get("quarter")
            if (
                isinstance(when, int)
                and isinstance(quarters, int)
                and not isinstance(when, bool)
                and when > quarters
            ):
                self.add(
                    (*raw, "quarter"),
                    f"quarter {when} is after the scenario's last quarter ({quarters})",
                )

        scoring = self.data.get("scoring")
        if isinstance(scoring, dict) and isinstance(scoring.get("terms"), list):
            for index, term in enumerate(scoring["terms"]):
                if isinstance(term, dict):
                    self.metric(("scoring", "terms", index, "metric"), term.get("metric"))
                    if "best" in term and term.get("best") == term.get("worst"):
                        self.add(("scoring", "terms", index, "best"), BEST_WORST)
        stars = scoring.get("stars") if isinstance(scoring, dict) else None
        if (
            isinstance(stars, list)
            and len(stars) == 3
            and all(map(_is_number, stars))
            and not stars[0] < stars[1] < stars[2]
        ):
            self.add(("scoring", "stars"), STARS_ORDER)
        for raw, goal in self.items("goals"):
            self.condition(raw, goal)
        for raw, achievement in self.items("achievements"):
            # An empty list names nothing: it counts as missing, as the schema says.
            if not any(achievement.get(key) for key in ("condition", "adopted", "never_adopted")):
                self.add(raw, ACHIEVEMENT_CRITERION)
            self.condition((*raw, "condition"), achievement.get("condition"))
            for key in ("adopted", "never_adopted"):
                names = achievement.get(key)
                if isinstance(names, list):
                    for index, name in enumerate(names):
                        self.reference((*raw, key, index), name, intervention_ids, "intervention")
        for raw, lesson in self.items("lessons"):
            self.condition((*raw, "when"), lesson.get("when"))
            for key in ("adopted", "never_adopted"):
                names = lesson.get(key)
                if isinstance(names, list):
                    for index, name in enumerate(names):
                        self.reference((*raw, key, index), name, intervention_ids, "intervention")
        return self.problems

    def _cycles(self, requires: dict[str, list[str]]) -> None:
        """Report each prerequisite cycle once, at the intervention that closes it."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        index = {
            item["id"]: raw
            for raw, item in self.items("interventions")
            if isinstance(item.get("id"), str)
        }
        reported: set[frozenset[str]] = set()

        def visit(node: str, trail: list[str]) -> None:
            state[node] = 1
            for nxt in requires.get(node, []):
                if state.get(nxt) == 1:
                    cycle = [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        self.add(
                            (*index[node], "requires"), "prerequisite cycle: " + " -> ".join(cycle)
                        )
                elif state.get(nxt) is None and nxt in requires:
                    visit(nxt, [*trail, nxt])
            state[node] = 2

        for node in requires:
            if state.get(node) is None:
                visit(node, [node])


# --- reading ----------------------------------------------------------------------------
_TOML_POSITION = re.compile(r"^(?P<message>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def toml_syntax_error(exc: tomllib.TOMLDecodeError) -> tuple[int | None, str]:
    """The line of a TOML syntax error (when the parser gives one) and its message,
    ``TOML syntax error at column N: ...``, as every reader of TOML files reports it."""
    match = _TOML_POSITION.match(str(exc))
    if match is None:
        return None, f"TOML syntax error: {exc}"
    return int(match["line"]), f"TOML syntax error at column {match['col']}: {match['message']}"


def _read_text(path: Path) -> str:
    def fail(message: str) -> ScenarioError:
        return ScenarioError([Problem(path, None, "", message)])

    if not path.exists():
        raise fail("file not found")
    if path.is_dir():
        raise fail("is a folder, not a scenario file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(
                f"file is {size / 1048576:.1f} MiB; a scenario file is at most "
                f"{MAX_FILE_BYTES // 1048576} MiB"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail("is UTF-16 text; save the file as UTF-8")
    if b"\x00" in raw:
        raise fail("is a binary file, not TOML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            [
                Problem(
                    path,
                    line,
                    "",
                    f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} "
                    "cannot be decoded); save the file as UTF-8",
                )
            ]
        ) from exc


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
        data = tomllib.loads(text)
    except RecursionError:
        raise ScenarioError(
            [
                Problem(
                    path,
                    None,
                    "",
                    "TOML nested too deeply to read (arrays or tables "
                    "inside each other hundreds of levels deep)",
                )
            ]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        line, message = toml_syntax_error(exc)
        raise ScenarioError([Problem(path, line, "", message)]) from exc

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
    checked = _Checker(data, path, locator).run()
    # The checker states cross-key rules at the key; drop the schema's copies.
    problems = [p for p in problems if p.message not in CROSS_KEY_RULES]
    problems.extend(checked)
    if scenario is not None and not problems:
        problems.extend(_size_problems(scenario, path, locator))
    if problems:
        problems = [
            Problem(p.path, p.line, _one_line(p.key), _one_line(p.message)) for p in problems
        ]
        problems.sort(key=lambda p: (p.line is None, p.line or 0, p.key))
        raise ScenarioError(_unique(problems))
    if scenario is None:  # every schema problem must have been reported above
        raise ScenarioError([Problem(path, None, "", "the scenario could not be loaded")])
    return scenario


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _one_line(text: str) -> str:
    """``text`` with control characters escaped as TOML writes them, so that a key or a
    value quoted from the file cannot split a problem over several lines."""
    return _CONTROL.sub(lambda found: _ESCAPES.get(found[0], f"\\u{ord(found[0]):04x}"), text)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen = set()
    result = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            result.append(problem)
    return result


def _size_problems(scenario: Scenario, path: Path | None, locator: KeyLocator) -> list[Problem]:
    from engine.setup import MEMORY_BUDGET, MIB, estimate_state_bytes
    from engine.world import World

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


# --- finding scenarios ------------------------------------------------------------------
def builtin_dir() -> Path:
    """The folder of the built-in scenarios shipped with the package."""
    return Path(str(resources.files("scenarios")))


def builtin_paths() -> list[Path]:
    return sorted(builtin_dir().glob("*.toml"))


def resolve(name: str | Path) -> Path:
    """A path as given, or the built-in scenario with that id."""
    candidate = Path(name)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in str(name):
        return candidate
    builtin = builtin_dir() / f"{name}.toml"
    if builtin.exists():
        return builtin
    known = [p.stem for p in builtin_paths()]
    listed = f"built-in: {', '.join(known)}" if known else "there are no built-in scenarios"
    raise ScenarioError(
        [
            Problem(
                candidate,
                None,
                "",
                "no such scenario file or built-in scenario"
                f"{did_you_mean(str(name), known)} ({listed})",
            )
        ]
    )


def load_scenario(name: str | Path) -> Scenario:
    """Load a scenario from a path or a built-in id; raises ScenarioError."""
    path = resolve(name)
    return parse_scenario(_read_text(path), path)
