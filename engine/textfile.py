"""Reading the files a person wrote: scenarios, saves, policies and progress.

Every such file can be missing, a folder, too large, binary, UTF-16, not UTF-8,
start with a byte-order mark, or have a TOML syntax error; its keys can be wrong
in ways pydantic reports. This module owns those checks and the TOML words the
problems are described in (``a string ("ten")``, dotted key paths with list items
named by their ``id``, "did you mean"). It raises plain exceptions carrying what
went wrong; each kind of file words the problem its own way (a scenario says "save
the file as UTF-8", a save says "a save is UTF-8").
"""

from __future__ import annotations

import difflib
import enum
import math
import re
import tomllib
import types
import typing
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

MIB = 1024 * 1024
RawPath = tuple[str | int, ...]


# --- bytes to text ------------------------------------------------------------------------
class FileIssue(enum.Enum):
    """Why a file's text could not be read."""

    MISSING = "missing"
    FOLDER = "folder"
    TOO_LARGE = "too large"
    UNREADABLE = "unreadable"  # an OSError other than the above: permissions, I/O
    UTF16 = "UTF-16"
    BINARY = "binary"
    NOT_UTF8 = "not UTF-8"


class UnreadableFile(Exception):
    """A file whose text cannot be read; callers word ``issue`` for their kind of file.

    ``size`` is set for TOO_LARGE, ``reason`` (the OS's words) for UNREADABLE, and
    ``line`` and ``byte`` for NOT_UTF8 (the line of the first byte that is not UTF-8).
    """

    def __init__(
        self,
        path: Path,
        issue: FileIssue,
        *,
        size: int = 0,
        reason: str = "",
        line: int | None = None,
        byte: int | None = None,
    ):
        self.path = path
        self.issue = issue
        self.size = size
        self.reason = reason
        self.line = line
        self.byte = byte
        super().__init__(f"{path}: {issue.value}")

    @property
    def cause_name(self) -> str:
        """The name of the error underneath (``UnicodeDecodeError``), else the issue."""
        cause = self.__cause__
        return type(cause).__name__ if cause is not None else self.issue.value


def read_text(path: Path, *, max_bytes: int | None = None) -> str:
    """The UTF-8 text of a file a person wrote, without a leading byte-order mark.

    Raises :class:`UnreadableFile` for a missing file, a folder, a file over
    ``max_bytes``, an unreadable one, then as :func:`decode_text` does.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise UnreadableFile(path, FileIssue.FOLDER)
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise UnreadableFile(path, FileIssue.TOO_LARGE, size=size)
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFile(path, FileIssue.MISSING) from exc
    except IsADirectoryError as exc:
        raise UnreadableFile(path, FileIssue.FOLDER) from exc
    except OSError as exc:
        raise UnreadableFile(path, FileIssue.UNREADABLE, reason=str(exc.strerror or exc)) from exc
    return decode_text(raw, path)


def decode_text(raw: bytes, path: Path) -> str:
    """The text of a file's bytes (read already, to hash them too), without a leading
    byte-order mark; raises :class:`UnreadableFile` for UTF-16 text, a binary file or
    bytes that are not UTF-8 (in that order of checking)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(path, FileIssue.UTF16)
    if b"\x00" in raw:
        raise UnreadableFile(path, FileIssue.BINARY)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnreadableFile(path, FileIssue.NOT_UTF8, line=line, byte=raw[exc.start]) from exc
    return text.removeprefix("\ufeff")


# --- text to TOML -------------------------------------------------------------------------
class TomlSyntaxError(Exception):
    """TOML that cannot be parsed. ``line`` is 1-based when the parser gave one;
    ``message`` reads ``TOML syntax error at column N: ...``; ``too_deep`` marks a
    document nested too deeply for the parser (``message`` is then empty)."""

    def __init__(self, line: int | None, message: str, *, too_deep: bool = False):
        self.line = line
        self.message = message
        self.too_deep = too_deep
        super().__init__(message or "TOML nested too deeply to read")


_TOML_POSITION = re.compile(r"^(?P<message>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def parse_toml(text: str) -> dict[str, Any]:
    """The parsed document; raises :class:`TomlSyntaxError` with the line and column."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise TomlSyntaxError(None, "", too_deep=True) from None
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.match(str(exc))
        if match is None:
            raise TomlSyntaxError(None, f"TOML syntax error: {exc}") from exc
        message = f"TOML syntax error at column {match['col']}: {match['message']}"
        raise TomlSyntaxError(int(match["line"]), message) from exc


# --- values in TOML words -----------------------------------------------------------------
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


def plain_number(value: Any) -> str:
    """A number as a problem quotes it: whole floats without their ``.0``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for a near miss, else an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a tab, a line break or another control character."""
    return _CONTROL.search(text) is not None


def one_line(text: str) -> str:
    """``text`` with control characters escaped as TOML writes them, so that a key or a
    value quoted from a file cannot split a problem over several lines."""
    return _CONTROL.sub(lambda found: _ESCAPES.get(found[0], f"\\u{ord(found[0]):04x}"), text)


# --- key paths ----------------------------------------------------------------------------
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def display_path(raw: RawPath, data: Any) -> str:
    """A dotted key path with list items named by their ``id`` (else ``[#n]``, 1-based)."""
    parts: list[str] = []
    node = data
    for part in raw:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            item_id = item.get("id") if isinstance(item, dict) else None
            # Only an id that reads as one key: "segments.Small Biz.id" would not.
            if isinstance(item_id, str) and _BARE.fullmatch(item_id):
                parts.append(item_id)
            elif parts:
                parts[-1] += f"[#{part + 1}]"
            else:
                parts.append(f"[#{part + 1}]")
            node = item
        else:
            parts.append(part if _BARE.fullmatch(part) else f'"{part}"')
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def is_model_class(value: Any) -> bool:
    """Whether ``value`` is a pydantic model class (not an instance)."""
    # pydantic is imported on first use, not with this module: the game reads the
    # player's progress through this module before its first frame, without pydantic.
    from pydantic import BaseModel

    return isinstance(value, type) and issubclass(value, BaseModel)


def inner_model(annotation: Any) -> Any:
    """The model class inside ``list[...]``, ``X | None`` and ``Annotated[...]``
    annotations (the annotation itself when there is none)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return inner_model(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = inner_model(arg)
            if is_model_class(inner):
                return inner
        return None
    return annotation


def model_fields_at(model: type[BaseModel], loc: RawPath) -> list[str] | None:
    """Field names of the model found at ``loc`` inside ``model`` (for did-you-mean)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not is_model_class(current):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = inner_model(field.annotation)
    if is_model_class(current):
        return list(current.model_fields)
    return None


# --- pydantic errors in TOML words --------------------------------------------------------
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

# pydantic's bound errors: their words and the key of the bound in the error's context.
BOUND_ERRORS = {
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
    "greater_than": ("greater than", "gt"),
    "less_than": ("less than", "lt"),
}


def validation_message(error: dict[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error of validating against ``model``, in TOML words (without
    the file and key path, which the caller adds)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    found = error.get("input")
    loc = tuple(error["loc"])
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        fields = model_fields_at(model, loc[:-1]) or []
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
    if kind in BOUND_ERRORS:
        if isinstance(found, float) and not math.isfinite(found):
            return f"expected a finite number, found {found}"
        words, key = BOUND_ERRORS[kind]
        return f"must be {words} {plain_number(ctx.get(key))}, found {plain_number(found)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"]).lower()
