"""A full chart of one or more metrics over the quarters, with its own legend.

Attributes down: a screen sets ``chart`` (an ``engine.debrief.Chart``), ``marks``
(quarters to mark, e.g. turning points) and ``blank`` (what to say when there is
nothing to draw). In play only the lines the company can see are drawn; with
``reveal`` every line is, and those hidden during play are marked ◌ in the legend.
"""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static
from textual_plot import HiResMode, PlotWidget

from engine.debrief import Chart, Line
from game.colour_roles import role_colour, role_style
from game.widgets.unit_axis import UnitAxisFormatter

# Theme variables for the lines, in order; glyphs tell them apart without colour.
LINE_COLOURS = ("primary", "warning", "success", "secondary")
LINE_MARKERS = ("●", "■", "▲", "◆")


class MetricChart(Vertical):
    """A plot, a legend under it, and a message in its place when there is nothing to draw."""

    DEFAULT_CSS = """
    MetricChart {
        height: 1fr;
    }
    MetricChart PlotWidget {
        height: 1fr;
        min-height: 8;
    }
    MetricChart .chart-legend {
        height: auto;
        padding: 0 1;
    }
    MetricChart .chart-blank {
        height: 1fr;
        padding: 1 2;
        content-align: center middle;
        color: $text-muted;
        display: none;
    }
    MetricChart.-blank PlotWidget, MetricChart.-blank .chart-legend {
        display: none;
    }
    MetricChart.-blank .chart-blank {
        display: block;
    }
    """

    chart: reactive[Chart | None] = reactive(None, always_update=True)
    marks: reactive[tuple[tuple[int, bool], ...]] = reactive(tuple)  # (quarter, good)
    blank: reactive[str] = reactive("")

    def __init__(
        self,
        *,
        quarters: int,
        currency: str = "$",
        reveal: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(id=id, classes=classes)
        self.quarters = quarters
        self.currency = currency
        self.reveal = reveal

    def compose(self) -> ComposeResult:
        plot = PlotWidget(allow_pan_and_zoom=False)
        plot.can_focus = False
        yield plot
        yield Static(classes="chart-legend")
        yield Static(classes="chart-blank")

    def on_mount(self) -> None:
        plot = self.query_one(PlotWidget)
        # No axis titles: the panel names the metric and the ticks say "Q1", "Q2"...
        plot.margin_top = 1
        plot.margin_bottom = 1
        # Line colours are theme colours resolved at plot time: redraw once a new theme's
        # variables are in place.
        self.app.theme_changed_signal.subscribe(self, lambda _: self.redraw())

    def watch_chart(self) -> None:
        self.redraw()

    def watch_marks(self) -> None:
        self.redraw()

    def watch_blank(self) -> None:
        self.redraw()

    def drawn_lines(self) -> list[tuple[int, Line]]:
        """(colour index, line) for the lines to draw, with at least one point each."""
        if self.chart is None:
            return []
        return [
            (index, line)
            for index, line in enumerate(self.chart.lines)
            if (self.reveal or line.visible) and line.values.size
        ]

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        lines = self.drawn_lines()
        self.set_class(not lines, "-blank")
        self.query_one(".chart-blank", Static).update(
            self.blank or "Nothing to chart yet: play a quarter first."
        )
        plot = self.query_one(PlotWidget)
        plot.clear()
        if not lines:
            self.query_one(".chart-legend", Static).update("")
            return
        chart = self.chart
        assert chart is not None
        colours = self.app.theme_variables
        for index, line in lines:
            colour = colours.get(LINE_COLOURS[index % len(LINE_COLOURS)], colours["foreground"])
            plot.plot(line.quarters, line.values, line_style=colour, hires_mode=HiResMode.BRAILLE)
            plot.scatter(
                line.quarters,
                line.values,
                marker=LINE_MARKERS[index % len(LINE_MARKERS)],
                marker_style=colour,
            )
        for quarter, good in self.marks:
            plot.add_v_line(
                quarter,
                line_style=role_colour(colours, "good" if good else "bad"),
            )
        plot.set_x_formatter(UnitAxisFormatter("quarter"))
        plot.set_y_formatter(UnitAxisFormatter(chart.unit, self.currency))
        plot.set_xlimits(0, max(self.quarters, 1))
        plot.set_ylimits(*self.y_limits(chart.unit, [line.values for _, line in lines]))
        self.query_one(".chart-legend", Static).update(self.legend(lines))

    @staticmethod
    def y_limits(unit: str, series: list[np.ndarray]) -> tuple[float, float]:
        """The data's range with some air, never below 0 for figures that cannot be."""
        values = np.concatenate(series)
        low, high = float(values.min()), float(values.max())
        floor = {"share": 0.02, "level": 0.02}.get(unit, max(abs(high), 1.0) * 0.02)
        pad = max((high - low) * 0.1, floor)
        low, high = low - pad, high + pad
        if unit != "money" and float(values.min()) >= 0:
            low = max(low, 0.0)
        if unit in ("share", "level"):
            high = min(high, 1.0) if float(values.max()) <= 1.0 else high
        return low, high

    def legend(self, lines: list[tuple[int, Line]]) -> Content:
        parts: list[str | tuple[str, str]] = []
        for index, line in lines:
            colour = f"${LINE_COLOURS[index % len(LINE_COLOURS)]}"
            parts.append((f"{LINE_MARKERS[index % len(LINE_MARKERS)]}━ ", colour))
            parts.append(line.label)
            if self.reveal and line.figure.ever_hidden:
                parts.append((" ◌", "$foreground-muted"))
            parts.append("   ")
        kinds = {good for _, good in self.marks}
        if kinds:
            parts.append("turning points ")
        if True in kinds:
            parts.extend([("│", role_style("good")), " better "])
        if False in kinds:
            parts.extend([("│", role_style("bad")), " worse"])
        return Content.assemble(*parts)
