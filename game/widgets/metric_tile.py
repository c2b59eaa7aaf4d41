"""A dashboard tile: one metric's value, its change, and a sparkline of its history."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from engine.presentation import HIGHER, change_role
from game.colour_roles import ROLE_VARIABLES, role_style


def sparkline_css(role: str, variable: str) -> str:
    """Rules that draw a tile's sparkline in a colour role's theme variable."""
    return (
        f"MetricTile Sparkline.-{role} > .sparkline--max-color {{ color: ${variable}; }}\n"
        f"MetricTile Sparkline.-{role} > .sparkline--min-color {{ color: ${variable} 40%; }}\n"
    )


class MetricTile(Vertical):
    """Title, value (with change since last quarter) and a sparkline in the metric's
    colour role."""

    DEFAULT_CSS = """
    MetricTile {
        height: 3;
        width: 1fr;
        padding: 0 1;
        border-left: tall $panel;
    }
    MetricTile .tile-title {
        color: $text-muted;
        height: 1;
    }
    MetricTile .tile-value {
        height: 1;
        text-style: bold;
    }
    MetricTile Sparkline {
        height: 1;
    }
    MetricTile Sparkline > .sparkline--max-color {
        color: $primary;
    }
    MetricTile Sparkline > .sparkline--min-color {
        color: $primary 40%;
    }
    """ + "".join(sparkline_css(role, variable) for role, variable in ROLE_VARIABLES.items())

    def __init__(
        self,
        title: str,
        *,
        id: str | None = None,
        reported: bool = False,
        role: str = "primary",
    ):
        super().__init__(id=id)
        self.title = title
        self.reported = reported
        self.role = role
        # (value, arrow, change text, arrow style) as last shown, refitted on resize.
        self.value_parts: tuple[str, str, str, str] = ("", "", "", "")

    def fit_value(self) -> None:
        """Show the value with its change: in full when it fits the tile, else the
        arrow alone, so a narrow tile drops the change's figure, never cuts a number."""
        value, arrow, change_text, style = self.value_parts
        width = self.query_one(".tile-value", Static).size.width or 200
        text = Content(value)
        if arrow:
            full = f"  {arrow} {change_text}".rstrip()
            short = f" {arrow}"
            tail = full if len(value) + len(full) <= width else short
            text = text.append_text(tail, style)
        self.query_one(".tile-value", Static).update(text)

    def on_resize(self) -> None:
        self.fit_value()

    def compose(self) -> ComposeResult:
        title = Text(self.title)
        if self.reported:
            title.append(" (reported)", style="italic")
        yield Static(title, classes="tile-title")
        yield Static("", classes="tile-value")
        yield Sparkline([], summary_function=max, classes=f"-{self.role}")

    def show(
        self,
        value: str,
        change: float | None,
        history: Sequence[float],
        *,
        good: str = HIGHER,
        change_text: str = "",
    ) -> None:
        """Set the value text, the change arrow and the sparkline data. ``good`` is the
        direction that is good (engine.presentation): it colours the arrow by role; the
        arrow itself says which way the figure went, with or without colour."""
        # No arrow for a change that shows as nothing ("-0.00"), or has no text at all.
        shown = any(digit in change_text for digit in "123456789")
        self.value_parts = (value, "", "", "")
        if change is not None and abs(change) > 1e-9 and (shown or not change_text):
            arrow = "▲" if change > 0 else "▼"
            self.value_parts = (value, arrow, change_text, role_style(change_role(good, change)))
        self.fit_value()
        # One point is no trend: the sparkline waits for a second quarter.
        self.query_one(Sparkline).data = list(history) if len(history) > 1 else []
