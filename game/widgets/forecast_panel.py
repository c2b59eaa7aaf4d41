"""The picker's forecast: two small fan charts (logo retention and the score) of the
rest of the game under the plan being chosen, against doing nothing this quarter.

Attributes down: the picker sets ``forecast`` (an ``engine.forecast.Forecast``) and
``note`` (what is going on: "forecasting…", "over budget", a failure). Each chart is
drawn in text cells so it fits a compact terminal: the plan's median ━ over its
5–95% band ░, and doing nothing's median ┄.
"""

from __future__ import annotations

import numpy as np
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from engine.forecast import Band, Forecast
from game.colour_roles import role_style

AXIS = 5  # columns for the y-axis labels ("100%┤")
GAP = 3  # columns between the two charts
PLAN, BAND, NOTHING = "━", "░", "┄"
Cell = tuple[str, str]  # (character, style)


def share(value: float) -> str:
    return f"{value:.0%}"


def points(value: float) -> str:
    return f"{value:.0f}"


def row_of(value: float, low: float, high: float, rows: int) -> int:
    """The chart row (0 at the top) that shows ``value`` on a ``low``..``high`` scale."""
    if high <= low:
        return rows - 1
    fraction = (high - value) / (high - low)
    return min(rows - 1, max(0, round(fraction * (rows - 1))))


def at_column(values: np.ndarray, column: int, width: int) -> float:
    """A series read at one column: the quarters spread evenly over the width, with
    straight lines between them."""
    if len(values) == 1 or width == 1:
        return float(values[-1])
    position = column / (width - 1) * (len(values) - 1)
    return float(np.interp(position, np.arange(len(values)), values))


def scale(plan: Band, nothing: Band, ceiling: float) -> tuple[float, float]:
    """The chart's low and high: both futures' bands with a little air, never past what
    the figure can reach (0 and ``ceiling``)."""
    low = float(min(plan.p05.min(), nothing.p05.min()))
    high = float(max(plan.p95.max(), nothing.p95.max()))
    pad = max((high - low) * 0.05, ceiling * 0.005)
    return max(low - pad, 0.0), min(high + pad, ceiling)


def fan_cells(
    plan: Band, nothing: Band, rows: int, width: int, low: float, high: float
) -> list[list[Cell]]:
    """A ``rows`` x ``width`` grid of cells for one metric on a ``low``..``high`` scale."""
    grid: list[list[Cell]] = [[(" ", "")] * width for _ in range(rows)]
    for column in range(width):
        top = row_of(at_column(plan.p95, column, width), low, high, rows)
        bottom = row_of(at_column(plan.p05, column, width), low, high, rows)
        for row in range(top, bottom + 1):
            grid[row][column] = (BAND, role_style("primary"))
        idle = row_of(at_column(nothing.p50, column, width), low, high, rows)
        grid[idle][column] = (NOTHING, "$foreground-muted")
        median = row_of(at_column(plan.p50, column, width), low, high, rows)
        grid[median][column] = (PLAN, role_style("primary", "bold"))
    return grid


def chart_lines(
    title: str, plan: Band, nothing: Band, fmt, ceiling: float, rows: int, width: int
) -> list[Content]:
    """The lines of one metric's chart: a title with the final figures, the fan with
    its scale, and the quarters under it; each exactly ``width`` cells wide."""
    plot_width = max(width - AXIS, 4)
    low, high = scale(plan, nothing, ceiling)
    grid = fan_cells(plan, nothing, rows, plot_width, low, high)
    end = plan.quarters[-1]
    final, idle = fmt(float(plan.p50[-1])), fmt(float(nothing.p50[-1]))
    spread = f" ({fmt(float(plan.p05[-1]))}–{fmt(float(plan.p95[-1]))})"
    heading = Content.assemble(
        (title, "bold"),
        f" Q{end}: ",
        (final, role_style("primary", "bold")),
        spread,
        (f" vs {idle}", "$foreground-muted"),
    )
    if heading.cell_length > width:  # a narrow terminal: the range is on the chart
        heading = Content.assemble(
            (title, "bold"),
            f" Q{end}: ",
            (final, role_style("primary", "bold")),
            (f" vs {idle}", "$foreground-muted"),
        )
    lines = [heading.truncate(width, pad=True)]
    for row, cells in enumerate(grid):
        label = fmt(high) if row == 0 else fmt(low) if row == rows - 1 else ""
        axis = f"{label:>{AXIS - 1}}" + ("┤" if label else "│")
        lines.append(Content.assemble((axis, "$foreground-muted"), *cells))
    start, finish = "now", f"Q{end}"
    lines.append(
        Content.styled(
            " " * AXIS + start + finish.rjust(plot_width - len(start)), "$foreground-muted"
        )
    )
    return lines


class ForecastPanel(Static):
    """Two fan charts side by side, a legend above and the chance of beating nothing below."""

    DEFAULT_CSS = """
    ForecastPanel {
        height: 9;
        border-top: tall $panel;
    }
    """

    forecast: reactive[Forecast | None] = reactive(None, always_update=True)
    note: reactive[str] = reactive("")
    score_is_estimate: reactive[bool] = reactive(True)

    def on_resize(self) -> None:
        self.refresh()

    def render(self) -> Content:
        width = max(self.size.width, 20)
        rows = max(self.size.height - 4, 2)  # less the legend, headings, axis and verdict
        header = Content.assemble(
            ("Forecast, rest of the game  ", "bold"),
            (PLAN, role_style("primary", "bold")),
            " this plan  ",
            (BAND, role_style("primary")),
            " 5–95%  ",
            (NOTHING, "$foreground-muted"),
            " nothing this quarter",
        )
        result = self.forecast
        if result is None:
            return Content.assemble(header, "\n", (self.note or "forecasting…", "italic"))
        half = (width - GAP) // 2
        score_title = "Score (estimate)" if self.score_is_estimate else "Score"
        left = chart_lines(
            "Logo retention",
            result.plan["logo_retention"],
            result.nothing["logo_retention"],
            share,
            1.0,
            rows,
            half,
        )
        right = chart_lines(
            score_title, result.plan["score"], result.nothing["score"], points, 100.0, rows, half
        )
        lines = [header]
        for a, b in zip(left, right, strict=True):
            lines.append(Content.assemble(a.truncate(half, pad=True), " " * GAP, b))
        lines.append(self.verdict(result, width))
        return Content("\n").join(lines)

    def verdict(self, result: Forecast, width: int) -> Content:
        """The chance that the plan beats doing nothing, or what is going on instead."""
        if self.note:
            return Content.styled(self.note, "italic")
        if result.plan_is_nothing:
            return Content.styled(
                f"Nothing chosen: the game if you do nothing from now on "
                f"({result.runs} forecasts).",
                "$foreground-muted",
            )
        chance = round(result.beats_nothing * 100)
        role = "good" if chance >= 50 else "bad"
        parts: list[str | tuple[str, str]] = [
            "This plan beats doing nothing in ",
            (f"{chance}%", role_style(role, "bold")),
            f" of {result.runs} forecasts.",
        ]
        verdict = Content.assemble(*parts)
        estimate = Content.styled("  Score: the model's estimate.", "$foreground-muted")
        if self.score_is_estimate and verdict.cell_length + estimate.cell_length <= width:
            verdict += estimate
        return verdict
