"""Charts during play: the main metrics over the quarters so far, as the company sees them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from engine.debrief import Chart, charts, revealing_interventions
from engine.presentation import METRIC_PRESENTATION, NEVER
from engine.session import GameSession
from game.commands import bindings
from game.widgets.metric_chart import MetricChart


def threshold(metric: str) -> float:
    """The data credibility from which the dashboard shows ``metric`` (1.0 for figures
    it always or never shows: a chart is hidden only by figures with a threshold)."""
    needed = METRIC_PRESENTATION[metric].visible_from
    return 1.0 if needed is None or needed == NEVER else needed


class ChartsScreen(Screen):
    """Choose a metric with the arrow keys; Escape goes back to the dashboard."""

    CSS_PATH = "../styles/charts.tcss"
    COMMAND_CONTEXT = "charts"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, session: GameSession):
        super().__init__()
        self.session = session
        self.charts = charts(session)

    def compose(self) -> ComposeResult:
        session = self.session
        yield Static(self.status(), id="charts-status")
        with Horizontal(id="charts-body"):
            yield OptionList(
                *(Option(self.prompt(chart), id=chart.id) for chart in self.charts),
                id="chart-list",
            )
            with Vertical(id="chart-panel"):
                yield MetricChart(
                    quarters=session.quarters,
                    currency=session.scenario.company.currency,
                    id="chart",
                )
                yield Static(id="chart-about")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#chart-list").border_title = "Metric"
        chart_list = self.query_one("#chart-list", OptionList)
        chart_list.highlighted = 0
        chart_list.focus()
        self.show(0)

    # --- showing ----------------------------------------------------------------------------
    def status(self) -> Content:
        session = self.session
        return Content.assemble(
            (session.scenario.company.name, "bold"),
            f"  ·  {session.quarter} of {session.quarters} quarters played  ·  ",
            ("◌ hidden until the data is credible", "$foreground-muted"),
        )

    @staticmethod
    def prompt(chart: Chart) -> Content:
        if chart.hidden:
            return Content.assemble(chart.title, (" ◌", "$foreground-muted"))
        return Content(chart.title)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(event.option_index)

    def show(self, index: int) -> None:
        chart = self.charts[index]
        widget = self.query_one(MetricChart)
        widget.blank = self.hidden_text(chart) if chart.hidden else ""
        widget.chart = chart
        panel = self.query_one("#chart-panel")
        panel.border_title = chart.title
        about = [chart.about]
        about.extend(
            f"{line.label} is hidden until data credibility reaches "
            f"{METRIC_PRESENTATION[line.figure.metric].visible_from:.2f}."
            for line in chart.lines
            if not line.visible and not chart.hidden
        )
        self.query_one("#chart-about", Static).update(" ".join(about))

    def hidden_text(self, chart: Chart) -> str:
        """Why the company cannot see this chart, and how it could."""
        session = self.session
        needed = max(threshold(line.figure.metric) for line in chart.lines)
        credibility = session.latest("data_credibility")
        ways = revealing_interventions(session)
        how = (
            "Invest in credible data to reveal it: " + ", ".join(ways) + "."
            if ways
            else "This scenario offers no way to invest in credible data."
        )
        return (
            f"{chart.title} is hidden: the company cannot measure it credibly yet.\n\n"
            f"Data credibility is {credibility:.2f}; this figure shows from {needed:.2f}.\n"
            f"{how}"
        )

    # --- actions ----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()
