"""Find the line where a key of a TOML document is defined.

``tomllib`` parses scenarios but keeps no positions, and validation problems must
name the line of the offending key (STYLE.md, "Scenario loading"). This module is
the project's own small scanner for that: one pass over the text, tokenising just
enough TOML (keys, headers, strings, arrays, inline tables) to know which key path
each line defines, and remembering the first line per path. It is deliberately
not a parser: values are skipped, not decoded, and nothing is validated beyond
what is needed to stay in step with the text.

The rule is "never guess". The scan stops at the first thing it does not
understand, so on invalid TOML only the paths before that point are known and
everything else is ``None``; a wrong line would send an author to the wrong place,
a missing one only costs them a search.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

__all__ = ["KeyLocator"]

KeyPath = tuple[str | int, ...]

# Compiled tokens. Regexes only recognise single tokens; the structure (which
# table or array a key belongs to) is tracked by the scanner below.
_BLANK = re.compile(r"[ \t]*")
# Whitespace, newlines and comments, as allowed between array items (and, as in
# TOML 1.1, inside inline tables). A lone "\r" is tolerated as whitespace.
_FILLER = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")
_LINE_END = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
# Multi-line strings may end with up to two extra quotes that belong to the
# content (""""a""""" is the text 'a""'), so a run of 3-5 quotes closes them.
_ML_BASIC = re.compile(r'"""(?:[^"\\]|\\[\s\S]|"{1,2}(?!"))*"{3,5}')
_ML_LITERAL = re.compile(r"'''(?:[^']|'{1,2}(?!'))*'{3,5}")
# Numbers, booleans, inf/nan and dates; the optional second part is the time of
# a date-time written with a space instead of "T".
_SCALAR = re.compile(r"[A-Za-z0-9_+\-.:]+(?: [0-9][0-9:.+\-Zz]*)?")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    '"': '"',
    "\\": "\\",
}


class _ScanError(Exception):
    """The text stops looking like TOML here; keep what was found before it."""


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[code]
    if len(code) > 1:
        point = int(code[1:], 16)
        # tomllib rejects surrogates and values past U+10FFFF; so must we, or a
        # key would decode to a name that the parsed document cannot contain.
        if point <= 0x10FFFF and not 0xD800 <= point <= 0xDFFF:
            return chr(point)
    raise _ScanError(f"invalid escape {match.group(0)!r}")


class KeyLocator:
    """Map key paths of a TOML document to the 1-based line that defines them.

    A path is what the parsed document sees: table and key names as strings, and
    ints for positions in arrays (``[[x]]`` arrays of tables and ordinary arrays
    alike). Building the locator scans the text once; :meth:`line` is a lookup.
    Construction never raises, whatever the text.
    """

    def __init__(self, text: str):
        scanner = _Scanner(text)
        try:
            scanner.document()
        except (_ScanError, RecursionError):
            pass  # Invalid (or absurdly nested) TOML: what came before is still right.
        except Exception:
            # A scanner bug: nothing found so far can be trusted, and a locator
            # must never hide the real validation error behind one of its own.
            scanner.lines.clear()
            scanner.implied.clear()
        self._lines = scanner.lines
        self._implied = scanner.implied

    def line(self, path: Sequence[str | int]) -> int | None:
        """1-based line where the key at ``path`` is defined, or None if it cannot
        be found with certainty."""
        try:
            key = tuple(path)
            found = self._lines.get(key)
            return found if found is not None else self._implied.get(key)
        except TypeError:  # unhashable path parts: certainly not in the file
            return None


class _Scanner:
    """One pass over the text, recording the first line of every key path."""

    def __init__(self, text: str):
        self._text = text
        self._pos = 0
        self._newlines = [found.start() for found in re.finditer("\n", text)]
        # Explicit definitions: a header, a key = value, or an array item.
        self.lines: dict[KeyPath, int] = {}
        # Tables that exist only because something below them was defined
        # (`[a.b]` creates `a`, `a.b = 1` creates `a`): their first such line.
        self.implied: dict[KeyPath, int] = {}
        # Items so far in each array of tables, keyed by its resolved path, so
        # `[[a.b]]` counts afresh inside every `[[a]]` item.
        self._tables_in_array: dict[KeyPath, int] = {}

    # -- recording -----------------------------------------------------------

    def _line_at(self, pos: int) -> int:
        return bisect_left(self._newlines, pos) + 1  # newlines before pos, plus one

    def _record(self, path: KeyPath, pos: int) -> None:
        line = self._line_at(pos)
        self.lines.setdefault(path, line)
        for end in range(1, len(path)):
            self.implied.setdefault(path[:end], line)

    # -- tokens --------------------------------------------------------------

    def _match(self, pattern: re.Pattern[str]) -> str | None:
        found = pattern.match(self._text, self._pos)
        if found is None:
            return None
        self._pos = found.end()
        return found.group(0)

    def _skip(self, pattern: re.Pattern[str]) -> None:
        self._pos = pattern.match(self._text, self._pos).end()  # type: ignore[union-attr]

    def _peek(self, token: str) -> bool:
        return self._text.startswith(token, self._pos)

    def _expect(self, token: str) -> None:
        if not self._peek(token):
            raise _ScanError(f"expected {token!r}")
        self._pos += len(token)

    def _key(self) -> list[tuple[str, int]]:
        """A dotted key as (part, position) pairs, whitespace allowed around dots."""
        parts = []
        while True:
            self._skip(_BLANK)
            start = self._pos
            if (raw := self._match(_BASIC)) is not None:
                part = _ESCAPE.sub(_unescape, raw[1:-1])
            elif (raw := self._match(_LITERAL)) is not None:
                part = raw[1:-1]
            elif (raw := self._match(_BARE_KEY)) is not None:
                part = raw
            else:
                raise _ScanError("expected a key")
            parts.append((part, start))
            self._skip(_BLANK)
            if not self._peek("."):
                return parts
            self._pos += 1

    # -- structure -----------------------------------------------------------

    def document(self) -> None:
        table: KeyPath = ()
        while True:
            self._skip(_FILLER)
            if self._pos >= len(self._text):
                return
            if self._peek("["):
                table = self._header()
            else:
                self._key_value(table)
            if self._match(_LINE_END) is None:
                raise _ScanError("expected the end of the line")

    def _header(self) -> KeyPath:
        """Read `[a.b]` or `[[a.b]]`; return the path of the table it opens."""
        start = self._pos
        is_array = self._peek("[[")
        self._pos += 2 if is_array else 1
        parts = [part for part, _ in self._key()]
        self._expect("]]" if is_array else "]")
        # Earlier parts that name an array of tables mean its latest item, which
        # is how `[x.extra]` after `[[x]]` extends that item.
        resolved: list[str | int] = []
        for part in parts[:-1]:
            resolved.append(part)
            count = self._tables_in_array.get(tuple(resolved))
            if count is not None:
                resolved.append(count - 1)
        resolved.append(parts[-1])
        path = tuple(resolved)
        if is_array:
            count = self._tables_in_array.get(path, 0)
            self._tables_in_array[path] = count + 1
            self._record(path, start)
            path = (*path, count)
        self._record(path, start)
        return path

    def _key_value(self, table: KeyPath) -> None:
        parts = self._key()
        path = (*table, *(part for part, _ in parts))
        self._record(path, parts[0][1])
        self._skip(_BLANK)
        self._expect("=")
        self._skip(_BLANK)
        self._value(path)

    def _value(self, path: KeyPath) -> None:
        char = self._text[self._pos : self._pos + 1]
        if char == "[":
            self._array(path)
        elif char == "{":
            self._inline_table(path)
        elif char == '"':
            if self._match(_ML_BASIC) is None and self._match(_BASIC) is None:
                raise _ScanError("unterminated string")
        elif char == "'":
            if self._match(_ML_LITERAL) is None and self._match(_LITERAL) is None:
                raise _ScanError("unterminated string")
        elif self._match(_SCALAR) is None:
            raise _ScanError("expected a value")

    def _array(self, path: KeyPath) -> None:
        self._pos += 1
        index = 0
        while True:
            self._skip(_FILLER)
            if self._peek("]"):
                break
            item = (*path, index)
            self._record(item, self._pos)
            self._value(item)
            index += 1
            self._skip(_FILLER)
            if not self._peek(","):
                break
            self._pos += 1
        self._expect("]")

    def _inline_table(self, path: KeyPath) -> None:
        # Newlines, comments and a trailing comma are TOML 1.1 here; accepting
        # them costs nothing and keeps such files locatable.
        self._pos += 1
        while True:
            self._skip(_FILLER)
            if self._peek("}"):
                break
            self._key_value(path)
            self._skip(_FILLER)
            if not self._peek(","):
                break
            self._pos += 1
        self._expect("}")
