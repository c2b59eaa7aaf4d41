"""The workforce by department: one cell per employee (or group), by engagement."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from game.colour_roles import role_colour
from game.widgets.legend import pack_lines

# (glyph, colour role, label): glyphs tell the bands apart without colour.
BANDS = (("●", "good", "engaged"), ("◐", "warning", "lukewarm"), ("○", "bad", "disengaged"))
# Cells a row keeps beside its name; fewer, and names go on a line of their own.
MIN_CELLS = 12


def legend_lines(width: int) -> list[list[tuple[str, str, str]]]:
    """The bands' legend, on as many lines as ``width`` needs (never cut)."""
    return pack_lines(BANDS, lambda band: f"{band[0]} {band[2]}", width)


class WorkforceMap(Widget):
    """A row per department: name, then cells for engaged, lukewarm, disengaged staff."""

    DEFAULT_CSS = """
    WorkforceMap {
        height: auto;
    }
    """

    rows: reactive[list[tuple[str, int, int, int]]] = reactive(list, always_update=True)

    def names_above(self, width: int) -> bool:
        """Whether names go on a line of their own: when the longest would leave fewer
        than ``MIN_CELLS`` cells beside it. Names are never cut; they wrap if need be."""
        longest = max((len(name) for name, *_ in self.rows), default=0)
        return longest + 2 + MIN_CELLS > width

    def render(self) -> Text:
        text = Text()
        if not self.rows:
            return text
        width = max(self.size.width, 1)
        above = self.names_above(width)
        label_width = 0 if above else max(len(name) for name, *_ in self.rows)
        cells = max(width - label_width - (0 if above else 2), 5)
        variables = self.app.theme_variables
        for name, *counts in self.rows:
            total = sum(counts) or 1
            scale = min(1.0, cells / total)
            if above:
                text.append(f"{name}\n", style="bold")
            else:
                text.append(f"{name:<{label_width}}  ")
            used = 0
            for (glyph, role, _), count in zip(BANDS, counts, strict=True):
                shown = round(count * scale) if scale < 1 else count
                shown = min(shown, cells - used)
                used += shown
                text.append(glyph * shown, style=role_colour(variables, role))
            text.append("\n")
        for line_number, line in enumerate(legend_lines(width)):
            if line_number:
                text.append("\n")
            for glyph, role, label in line:
                text.append(f"{glyph} ", style=role_colour(variables, role))
                text.append(f"{label}  ")
        return text

    def get_content_height(self, container, viewport, width: int) -> int:
        legend = len(legend_lines(width))
        if not self.names_above(width):
            return len(self.rows) + legend
        # A name line (wrapped: ceil(len / width) lines) above each row of cells.
        name_lines = sum(-(-len(name) // max(width, 1)) for name, *_ in self.rows)
        return name_lines + len(self.rows) + legend
