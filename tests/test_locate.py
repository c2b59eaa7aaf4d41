"""Tests for the scenario key locator (engine/scenario/locate.py)."""

from __future__ import annotations

import contextlib
import time
import tomllib

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.scenario.locate import KeyLocator, _ScanError, _Scanner

EXAMPLE = """\
#:schema ./schema.json
[meta]
id = "tutorial"
title = \"\"\"
A title
id = "not a key"
\"\"\"
[company]
budget.start = 120_000
departments = [
  { id = "sales", headcount = 5 },
  { id = "support",
    headcount = 7 },
]
[[interventions]]
id = "coaching"
cost = 10
[[interventions]]
id = "mandate"
effects = [{ lever = "leadership_attention", amount = 0.3 }]
[interventions.extra]
x = 1
"quoted key" = 2
[segments.smb]
count = 10
"""

EXAMPLE_LINES = [
    (("meta",), 2),
    (("meta", "id"), 3),
    (("meta", "title"), 4),
    (("company", "budget", "start"), 9),
    (("company", "budget"), 9),
    (("company", "departments"), 10),
    (("company", "departments", 0), 11),
    (("company", "departments", 0, "headcount"), 11),
    (("company", "departments", 1, "headcount"), 13),
    (("interventions", 0), 15),
    (("interventions", 1, "cost"), None),
    (("interventions", 0, "cost"), 17),
    (("interventions", 1, "effects", 0, "lever"), 20),
    (("interventions", 1, "extra", "quoted key"), 23),
    (("segments", "smb", "count"), 25),
    (("segments",), 24),
    (("nope",), None),
    # Content lines of a multi-line string are never keys.
    (("id",), None),
    (("meta", "title", "id"), None),
]


@pytest.mark.parametrize(("path", "line"), EXAMPLE_LINES)
def test_example(path, line):
    assert KeyLocator(EXAMPLE).line(path) == line


@pytest.mark.parametrize(("path", "line"), EXAMPLE_LINES)
def test_example_with_crlf_line_endings(path, line):
    assert KeyLocator(EXAMPLE.replace("\n", "\r\n")).line(path) == line


def test_paths_may_be_any_sequence():
    assert KeyLocator(EXAMPLE).line(["meta", "id"]) == 3


# Each case: a document (valid TOML 1.0, checked below) and expected lines.
CONSTRUCTS = {
    "comments": (
        '# a = 1\nb = 2 # c = 3\nd = "# e = 4" # f = 5\n',
        {("a",): None, ("b",): 2, ("c",): None, ("d",): 3, ("e",): None, ("f",): None},
    ),
    "basic strings with escapes": (
        'a = "say \\"# b = 1\\" \\\\"\nc = "\\u00e9\\t"\n"d\\u0065\\"f" = 1\n',
        {("a",): 1, ("b",): None, ("c",): 2, ('de"f',): 3},
    ),
    "literal strings, where a backslash is no escape": (
        "a = 'C:\\dir\\'\n'b\\n' = 1\nc = '\"'\n",
        {("a",): 1, ("b\\n",): 2, ("c",): 3},
    ),
    "multi-line basic strings": (
        'a = """\nb = \\""" not the end\nc = 1 \\\n"""\nd = """"x"""""\ne = 1\n',
        {("a",): 1, ("b",): None, ("c",): None, ("d",): 5, ("e",): 6},
    ),
    "multi-line literal strings": (
        "a = '''\nb = ''\\'\n'''\nc = '''x''y'''''\nd = 1\n",
        {("a",): 1, ("b",): None, ("c",): 4, ("d",): 5},
    ),
    "quoted and dotted keys with whitespace around dots": (
        '[t]\na . "b.c" . \'d e\' = 1\n"" = 2\n3.14 = 3\n',
        {("t", "a", "b.c", "d e"): 2, ("t", "a", "b.c"): 2, ("t", ""): 3, ("t", "3", "14"): 4},
    ),
    "table headers with quoted parts and whitespace": (
        "[ x . \"y z\" . 'w' ]\nk = 1\n[[ q . r ]]\n",
        {("x",): 1, ("x", "y z", "w"): 1, ("x", "y z", "w", "k"): 2, ("q", "r", 0): 3},
    ),
    "super-table defined after its sub-table": (
        "[x.y]\na = 1\n[x]\nb = 2\n",
        {("x",): 3, ("x", "y"): 1, ("x", "b"): 4},
    ),
    "nested arrays of tables count per parent": (
        "[[a]]\n[[a.b]]\nk = 1\n[[a.b]]\n[[a]]\n[[a.b]]\nk = 2\n[a.c]\n[[a.c.d]]\n",
        {
            ("a",): 1,
            ("a", 0, "b", 0, "k"): 3,
            ("a", 0, "b", 1): 4,
            ("a", 1): 5,
            ("a", 1, "b", 0): 6,
            ("a", 1, "b", 0, "k"): 7,
            ("a", 1, "b", 1): None,
            ("a", 1, "c"): 8,
            ("a", 1, "c", "d", 0): 9,
        },
    ),
    "nested inline tables": (
        "p = { q = { r = 1, 's' = 2 }, t.u = [ { v = 3 } ], w = {} }\nx = 1\n",
        {
            ("p", "q", "r"): 1,
            ("p", "q", "s"): 1,
            ("p", "t", "u", 0, "v"): 1,
            ("p", "w"): 1,
            ("x",): 2,
        },
    ),
    "multi-line arrays with comments and trailing commas": (
        "a = [ # [x = 1\n  1, # 2,\n  # 3,\n  [ 'x]',\n    \"y\" ],\n\n  { k = 1 } ,\n]\nb = []\n",
        {
            ("a", 0): 2,
            ("a", 1): 4,
            ("a", 1, 1): 5,
            ("a", 2, "k"): 7,
            ("a", 3): None,
            ("b",): 9,
            ("b", 0): None,
        },
    ),
    "dates, times and other bare values": (
        "a = 1979-05-27 07:32:00Z\nb = 07:32:00\nc = [inf, -nan, 0x1F, 1e+3, true]\nd = 1\n",
        {("a",): 1, ("b",): 2, ("c", 4): 3, ("d",): 4},
    ),
}


@pytest.mark.parametrize("name", CONSTRUCTS)
def test_construct(name):
    text, expected = CONSTRUCTS[name]
    tomllib.loads(text)  # the case itself must be valid TOML
    locator = KeyLocator(text)
    assert {path: locator.line(path) for path in expected} == expected


def test_multi_line_inline_tables_as_in_toml_1_1():
    text = "t = {\n  a = 1, # note\n  b = { c = 2 },\n}\nd = 3\n"
    locator = KeyLocator(text)
    assert [locator.line(p) for p in [("t",), ("t", "a"), ("t", "b", "c"), ("d",)]] == [1, 2, 3, 5]


@pytest.mark.parametrize("path", [(), ("meta", ["id"]), ("meta", {}), (None,)])
def test_odd_paths_are_not_found(path):
    assert KeyLocator(EXAMPLE).line(path) is None


INVALID = [
    "",
    "=",
    "[",
    "[[a]",
    "[]\nx = 1",
    'a = "unterminated\nb = 1',
    'a = """never closed\nb = 1',
    "a = [1, 2\nb = 1",
    "a = { b = 1\n",
    "a = 1 b = 2",
    'a = "\\uD800"',
    '"\\UFFFFFFFF" = 1',
    "a = " + "[" * 100_000,
    "a = " + "{ b = " * 100_000,
    "\x00\r\r\n\ufeff[\udc00]",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_text_never_raises(text):
    locator = KeyLocator(text)
    assert locator.line(("b",)) is None


def test_invalid_text_keeps_only_what_came_before():
    locator = KeyLocator("a = 1\nb = [\nc = 2\n")
    assert (locator.line(("a",)), locator.line(("b",)), locator.line(("c",))) == (1, 2, None)


@pytest.mark.parametrize("cut", range(EXAMPLE.count("\n") + 1))
def test_a_truncated_file_never_moves_a_line(cut):
    """Whatever is found in the first lines of a file is found where the whole file
    has it: the scanner does not guess past what it has read."""
    head = "".join(EXAMPLE.splitlines(keepends=True)[:cut])
    whole, part = KeyLocator(EXAMPLE), KeyLocator(head)
    for path, line in EXAMPLE_LINES:
        assert part.line(path) in (None, line)
        assert whole.line(path) == line


# Text made of the characters that steer the scanner, so it gets deep often.
_toml_soup = st.lists(
    st.sampled_from([*"[]{}=.,#\"'\\ \t\r\nab01-:", "'''", '"""', "\\u00"]), max_size=60
).map("".join)


@given(st.one_of(st.text(), _toml_soup))
def test_arbitrary_text_never_raises(text):
    KeyLocator(text).line(("a",))


@settings(max_examples=500)
@given(st.one_of(st.text(), _toml_soup), st.integers(0, len(EXAMPLE)))
def test_the_scanner_fails_only_the_planned_way(text, at):
    """KeyLocator swallows every exception, so check the scanner itself: on any
    text it may only give up as planned, never crash on a bug of its own."""
    for candidate in (text, EXAMPLE[:at] + text + EXAMPLE[at:]):
        with contextlib.suppress(_ScanError, RecursionError):
            _Scanner(candidate).document()


def test_a_thousand_line_file_takes_milliseconds():
    text = "".join(
        f'[[item]]\nid = "i{i}"\nvalues = [\n  {i},  # n\n  {{ x = {i} }},\n]\n\n'
        for i in range(143)
    )
    assert text.count("\n") > 1000
    best = min(_timed(KeyLocator, text) for _ in range(5))
    assert KeyLocator(text).line(("item", 142, "values", 1, "x")) == 143 * 7 - 2
    assert best < 0.05  # typically ~2 ms; generous so a busy CI machine does not flake


def _timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


# -- generated documents -----------------------------------------------------

_keys = st.text(st.characters(codec="utf-8"), max_size=6)
_scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(st.characters(codec="utf-8"), max_size=8),
    st.dates(),
    st.times(),
    st.datetimes(),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=12,
)
_documents = st.dictionaries(_keys, _values, max_size=5)


def _all_paths(value, prefix=()):
    """Every key path of a parsed document, containers before their contents."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        path = (*prefix, key)
        yield path
        if isinstance(child, dict | list):
            yield from _all_paths(child, path)


def _rendered_key(name):
    return tomli_w.dumps({name: 0}).rsplit(" = ", 1)[0]


@settings(max_examples=300)
@given(_documents)
def test_every_key_of_a_tomli_w_document_is_found(document):
    text = tomli_w.dumps(document)
    parsed = tomllib.loads(text)
    lines = text.split("\n")  # not splitlines(): TOML lines end at \n only, not at \x85
    locator = KeyLocator(text)
    for path in _all_paths(parsed):
        line = locator.line(path)
        assert line is not None, path
        if isinstance(path[-1], str):
            assert _rendered_key(path[-1]) in lines[line - 1], (path, line)


@settings(max_examples=200)
@given(_documents, st.data())
def test_comments_blank_lines_and_crlf_only_shift_lines(document, data):
    """Decorating a document with comments (full-line and trailing, full of TOML
    look-alikes), blank lines and CRLF keeps every key, moved by the lines added."""
    original = tomli_w.dumps(document).split("\n")[:-1]
    decorated, shift = [], []
    for text in original:
        added = data.draw(st.lists(st.sampled_from(["", "# x = 1", '  # [y] "z'])))
        decorated.extend(added)
        shift.append(len(decorated) - len(shift))
        decorated.append(text + data.draw(st.sampled_from(["", ' # w = "', "\t#]"])))
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(decorated) + newline
    assert tomllib.loads(text) == tomllib.loads("\n".join(original))
    before, after = KeyLocator("\n".join(original)), KeyLocator(text)
    for path in _all_paths(document):
        line = before.line(path)
        assert after.line(path) == line + shift[line - 1], path
