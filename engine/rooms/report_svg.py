"""Line charts as inline SVG text for the class debrief's HTML report: one line per team,
reported figures solid and true figures dashed, with no script, font or file outside it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from engine.formatting import format_value

__all__ = ["TEAM_COLOURS", "TRUE_DASH", "line_chart", "team_colour"]

# Colours told apart in print and by most colour-blind readers (Okabe and Ito's set,
# then darker tones); past them the colours repeat, and the table names each line.
TEAM_COLOURS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#d55e00",
    "#56b4e9",
    "#000000",
    "#f0e442",
    "#7f3c8d",
    "#11a579",
    "#3969ac",
    "#e73f74",
)
# The true lines' dash pattern (reported lines are solid).
TRUE_DASH = "6 4"

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 14, 34


def team_colour(index: int) -> str:
    """The colour of the team at ``index`` (in result order)."""
    return TEAM_COLOURS[index % len(TEAM_COLOURS)]


def _bounds(values: Sequence[float], unit: str) -> tuple[float, float]:
    """The value axis: the values' range with a little room, not past a share's 0..1
    nor below zero for figures that never went negative."""
    low, high = min(values), max(values)
    pad = (high - low) * 0.05 if high - low > 1e-9 else abs(high) * 0.05 or 0.05
    bottom = low - pad if low < 0 else max(low - pad, 0.0)
    top = min(high + pad, 1.0) if unit == "share" and high <= 1.0 else high + pad
    return bottom, max(top, bottom + 1e-9)


def line_chart(
    title: str,
    unit: str,
    currency: str,
    quarters: int,
    lines: Sequence[tuple[str, str, Sequence[float]]],
    colours: Mapping[str, str],
) -> str:
    """An SVG chart of ``lines`` = (team, kind, values for quarters 0..quarters), kind
    "reported" (solid) or "true" (dashed); ``colours``: team -> colour."""
    every = [value for _, _, values in lines for value in values]
    low, high = _bounds(every, unit) if every else (0.0, 1.0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(quarters, 1)

    def x(quarter: int) -> float:
        return LEFT + plot_w * quarter / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" class="plot"/>',
    ]
    for step in range(5):
        value = low + (high - low) * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" class="axis" text-anchor="end">'
            f"{escape(format_value(value, unit, currency))}</text>"
        )
    for quarter in range(quarters + 1):
        parts.append(
            f'<text x="{x(quarter):.1f}" y="{HEIGHT - BOTTOM + 16}" class="axis" '
            f'text-anchor="middle">Q{quarter}</text>'
        )
    for team, kind, values in lines:
        points = " ".join(f"{x(q):.1f},{y(v):.1f}" for q, v in enumerate(values))
        dashed = f' stroke-dasharray="{TRUE_DASH}"' if kind == "true" else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colours[team]}" '
            f'stroke-width="2"{dashed}><title>{escape(team)}, {kind}</title></polyline>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
