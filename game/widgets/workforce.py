"""The workforce by department: one cell per employee (or group), by engagement."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from game.colour_roles import role_colour

# (glyph, colour role, label): glyphs tell the bands apart without colour.
BANDS = (("●", "good", "engaged"), ("◐", "warning", "lukewarm"), ("○", "bad", "disengaged"))


class WorkforceMap(Widget):
    """A row per department: name, then cells for engaged, lukewarm, disengaged staff."""

    DEFAULT_CSS = """
    WorkforceMap {
        height: auto;
    }
    """

    rows: reactive[list[tuple[str, int, int, int]]] = reactive(list, always_update=True)

    def render(self) -> Text:
        text = Text()
        if not self.rows:
            return text
        label_width = min(max(len(name) for name, *_ in self.rows), 14)
        cells = max(self.size.width - label_width - 2, 5)
        variables = self.app.theme_variables
        for name, *counts in self.rows:
            total = sum(counts) or 1
            scale = min(1.0, cells / total)
            text.append(f"{name[:label_width]:<{label_width}}  ")
            used = 0
            for (glyph, role, _), count in zip(BANDS, counts, strict=True):
                width = round(count * scale) if scale < 1 else count
                width = min(width, cells - used)
                used += width
                text.append(glyph * width, style=role_colour(variables, role))
            text.append("\n")
        for glyph, role, label in BANDS:
            text.append(f"{glyph} ", style=role_colour(variables, role))
            text.append(f"{label}   ")
        return text

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows) + 1
