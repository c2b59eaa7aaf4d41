"""The customer base as a waffle chart: each cell a share of customers, by state.

Glyphs differ as well as colours, so the map reads in monochrome and for
colour-blind players too.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from game.widgets.legend import pack_lines

# state -> (glyph, theme colour variable, legend label)
STATES = {
    "loyal": ("●", "success", "loyal"),
    "active": ("●", "primary", "active (mood unknown)"),
    "bored": ("◐", "warning", "bored"),
    "dark": ("○", "secondary", "gone dark"),
    "defected": ("×", "error", "defected"),
}

SHORT = {"loyal": "loyal", "active": "active", "bored": "bored", "dark": "dark", "defected": "gone"}


def legend_label(state: str, counts: dict[str, int], width: int) -> str:
    """A state's legend word: the full one when the whole legend fits on one line."""
    long = "".join(f"{STATES[s][0]} {STATES[s][2]} {count:,}   " for s, count in counts.items())
    return STATES[state][2] if len(long.rstrip()) <= width else SHORT[state]


class CustomerMap(Widget):
    """Cells fill in state order; the legend gives counts."""

    DEFAULT_CSS = """
    CustomerMap {
        height: 1fr;
        min-height: 5;
    }
    """

    counts: reactive[dict[str, int]] = reactive(dict, always_update=True)

    def render(self) -> Text:
        counts = {k: v for k, v in self.counts.items() if k in STATES}
        width = max(self.size.width, 10)
        legend = self.legend_lines(counts, width)
        rows = max(self.size.height - len(legend), 1)
        cells = width * rows
        total = sum(counts.values())
        text = Text()
        if total == 0:
            return Text("No customers.", style="dim")
        # Largest-remainder rounding so the cells add up exactly.
        raw = {state: count * cells / total for state, count in counts.items()}
        shares = {state: int(value) for state, value in raw.items()}
        for state in sorted(raw, key=lambda s: raw[s] - shares[s], reverse=True)[
            : cells - sum(shares.values())
        ]:
            shares[state] += 1
        foreground = self.app.theme_variables["foreground"]
        sequence = "".join(STATES[state][0] * shares[state] for state in counts)
        colours = [
            self.app.theme_variables.get(STATES[state][1], foreground)
            for state in counts
            for _ in range(shares[state])
        ]
        for row in range(rows):
            for column in range(width):
                index = row * width + column
                text.append(sequence[index], style=colours[index])
            text.append("\n")
        for number, line in enumerate(legend):
            if number:
                text.append("\n")
            for state in line:
                glyph, colour, _ = STATES[state]
                text.append(f"{glyph} ", style=self.app.theme_variables.get(colour, foreground))
                text.append(f"{legend_label(state, counts, width)} {counts[state]:,}  ")
        return text

    @staticmethod
    def legend_lines(counts: dict[str, int], width: int) -> list[list[str]]:
        """The legend's states, line by line: one line in full words when they fit,
        else short words, on as many lines as they need (never cut)."""
        return pack_lines(
            counts,
            lambda state: (
                f"{STATES[state][0]} {legend_label(state, counts, width)} {counts[state]:,}"
            ),
            width,
        )
