"""Colours come from the theme: no colour names in game/, and the dashboard reads in every
theme and without colour (NO_COLOR), its good and bad changes told apart by glyphs."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from pilot_helpers import SIZE, TUTORIAL_PLAN, wait_for_screen
from rich.color import ANSI_COLOR_NAMES
from textual.color import Color, ColorParseError

from engine.presentation import COLOUR_ROLES, HIGHER, METRIC_PRESENTATION, change_role
from game.app import GoingDarkApp
from game.colour_roles import ROLE_VARIABLES
from game.screens.briefing import BriefingScreen
from game.screens.dashboard import TILE_ROWS, Dashboard
from game.themes import THEMES
from game.widgets.metric_tile import MetricTile

GAME = Path(__file__).parent.parent / "game"
# The themes themselves are where colours are defined.
PALETTE_FILES = {GAME / "themes.py"}
# Words of a Rich or Textual style that are not colours.
STYLE_WORDS = {
    *["b", "d", "i", "u", "s", "r", "o"],
    *[
        "bold",
        "dim",
        "italic",
        "underline",
        "underline2",
        "uu",
        "strike",
        "reverse",
        "blink",
        "blink2",
    ],
    *["conceal", "overline", "frame", "encircle", "not", "on", "none", "link"],
}
CSS_DECLARATION = re.compile(r"([a-z-]+)\s*:\s*([^;{}]+);")
MARKUP_TAG = re.compile(r"\[([^\[\]/][^\[\]]*)\]")


def is_colour(token: str) -> bool:
    """A colour written out: a name, #hex, rgb(), color(n)... (theme variables are not)."""
    if token.startswith("$"):
        return False
    if token in ANSI_COLOR_NAMES or re.fullmatch(r"color\(\d+\)", token):
        return True
    try:
        Color.parse(token)
    except ColorParseError:
        return False
    return True


def style_colours(text: str) -> list[str]:
    """The colours a string names if it is a style ("bold red", "white on blue")."""
    tokens = text.split()
    if tokens and all(t in STYLE_WORDS or t.startswith("$") or is_colour(t) for t in tokens):
        return [t for t in tokens if is_colour(t)]
    return []


def css_colours(css: str) -> list[str]:
    """Colours named in CSS declarations (``color: red;``), theme variables allowed."""
    return [
        token
        for _, value in CSS_DECLARATION.findall(css)
        for token in value.replace(",", " ").split()
        if is_colour(token)
    ]


def python_colours(source: str) -> list[tuple[int, str]]:
    """(line, colour) for every colour a Python source's strings name: as a style, in
    markup tags, or in CSS (``DEFAULT_CSS``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            colours = style_colours(node.value) + css_colours(node.value)
            for tag in MARKUP_TAG.findall(node.value):
                colours += style_colours(tag)
            found += [(node.lineno, colour) for colour in colours]
    return sorted(found)


def stylesheet_colours(source: str) -> list[tuple[int, str]]:
    """(line, colour) for every colour a stylesheet's declarations name."""
    return [
        (number, colour)
        for number, line in enumerate(source.splitlines(), 1)
        for colour in css_colours(line if line.rstrip().endswith(";") else line + ";")
    ]


def test_the_scanner_finds_colour_names() -> None:
    source = (
        'a = ("x", "bold red")\nb = "[green]ok[/]"\nc = "Widget { color: #ff0000; }"\n'
        'd = ("x", "bold $error")\ne = "Red sky at night"\nf = "color: $text-muted;"\n'
    )
    assert python_colours(source) == [(1, "red"), (2, "green"), (3, "#ff0000")]
    assert stylesheet_colours("A {\n  background: $panel 40%;\n  border: tall white;\n}") == [
        (3, "white")
    ]


def test_no_colour_is_named_in_game() -> None:
    found = []
    for path in sorted(GAME.rglob("*.py")):
        if path not in PALETTE_FILES:
            found += [f"{path}:{n}: {c}" for n, c in python_colours(path.read_text("utf-8"))]
    for path in sorted(GAME.rglob("*.tcss")):
        found += [f"{path}:{n}: {c}" for n, c in stylesheet_colours(path.read_text("utf-8"))]
    assert found == [], "use a colour role (game/colour_roles.py) or a theme variable"


def test_every_colour_role_has_a_theme_variable() -> None:
    assert set(ROLE_VARIABLES) == set(COLOUR_ROLES)
    for theme in THEMES:
        variables = theme.to_color_system().generate()
        assert all(variable in variables for variable in ROLE_VARIABLES.values()), theme.name


# --- the dashboard in every theme ------------------------------------------------------------
def text_colours(svg: str) -> dict[str, set[str]]:
    """Each text run of a screenshot -> the fill colours it is drawn in."""
    rules = dict(re.findall(r"\.(terminal-[\w-]+)\s*\{[^}]*?fill:\s*(#[0-9a-fA-F]{6})", svg))
    runs: dict[str, set[str]] = {}
    for style, body in re.findall(r'<text class="([^"]+)"[^>]*>(.*?)</text>', svg, re.S):
        runs.setdefault(html.unescape(body).replace("\xa0", " "), set()).add(rules.get(style, ""))
    return runs


def close(colour: str, expected: str, tolerance: int = 3) -> bool:
    """Same colour up to the rounding of the renderer."""
    a, b = Color.parse(colour), Color.parse(expected)
    return all(abs(x - y) <= tolerance for x, y in zip(a.rgb, b.rgb, strict=True))


async def dashboard_after_a_quarter(
    app: GoingDarkApp, theme: str | None = None
) -> tuple[dict[str, tuple[str, str]], str]:
    """The tutorial's dashboard after its first quarter (played directly): its tiles'
    changes (``tile_changes``) and its picture."""
    async with app.run_test(size=SIZE) as pilot:
        if theme is not None:  # the app registers its themes once mounted
            app.theme = theme
        await wait_for_screen(pilot, BriefingScreen)
        await pilot.press("enter")
        dashboard = await wait_for_screen(pilot, Dashboard)
        interventions, answers = TUTORIAL_PLAN[1]
        app.controller.session.play(interventions, answers)
        dashboard.refresh_view()
        await pilot.pause()
        return tile_changes(dashboard), app.export_screenshot()


def tile_changes(dashboard: Dashboard) -> dict[str, tuple[str, str]]:
    """metric -> (arrow shown, colour role of its change), for tiles that changed."""
    changes = {}
    for tile in dashboard.query(MetricTile):
        shown = str(tile.query_one(".tile-value").content)
        values = dashboard.session.series(tile.id)
        change = float(values[-1] - values[-2])
        arrows = [glyph for glyph in "▲▼" if glyph in shown]
        if arrows:
            changes[tile.id] = (arrows[0], change_role(METRIC_PRESENTATION[tile.id].good, change))
    return changes


def assert_glyphs_tell_good_from_bad(changes: dict[str, tuple[str, str]], svg: str) -> None:
    # Every tile's figure is better when higher, so ▲ is good news and ▼ bad: the glyph
    # alone carries what the colour does. A tile where lower is better would need more.
    assert all(METRIC_PRESENTATION[m].good == HIGHER for row in TILE_ROWS for m in row)
    assert {role for _, role in changes.values()} == {"good", "bad"}, changes
    for metric, (arrow, role) in changes.items():
        assert (arrow == "▲") == (role == "good"), metric
    assert "▲" in svg and "▼" in svg


@pytest.mark.parametrize("theme", [theme.name for theme in THEMES])
async def test_the_dashboard_in_every_theme(theme: str) -> None:
    app = GoingDarkApp(start="first-quarter")
    app.animation_level = "none"
    changes, svg = await dashboard_after_a_quarter(app, theme)
    assert app.theme == theme
    assert_glyphs_tell_good_from_bad(changes, svg)
    # The arrows take the theme's own success and error colours.
    variables = app.get_css_variables()
    good, bad = variables["success"], variables["error"]
    assert not close(good, bad)
    runs = text_colours(svg)
    up = [colours for text, colours in runs.items() if "▲" in text]
    down = [colours for text, colours in runs.items() if "▼" in text]
    assert up and all(close(c, good) for colours in up for c in colours), (up, good)
    assert down and all(close(c, bad) for colours in down for c in colours), (down, bad)


async def test_the_dashboard_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = GoingDarkApp(start="first-quarter")
    app.animation_level = "none"
    assert app.no_color
    changes, svg = await dashboard_after_a_quarter(app)
    assert_glyphs_tell_good_from_bad(changes, svg)
