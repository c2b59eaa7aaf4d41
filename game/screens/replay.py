"""The replay viewer: step through a saved game quarter by quarter."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from engine.formatting import format_value
from engine.presentation import METRIC_PRESENTATION
from engine.session import GameSession
from game.commands import bindings
from game.screens.report import report_summary

SHOWN = (
    "active_customers",
    "logo_retention",
    "revenue_retention",
    "csat_reported",
    "csat_true",
    "engagement",
    "quality",
    "quality_norm",
    "profit",
    "budget",
)


class ReplayScreen(Screen):
    """Left and right step through the quarters; Escape returns."""

    CSS_PATH = "../styles/replay.tcss"
    COMMAND_CONTEXT = "replay"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, session: GameSession, save_name: str):
        super().__init__()
        self.session = session
        self.save_name = save_name
        self.shown = 1 if session.reports else 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="replay"):
            yield Static(id="replay-metrics")
            yield Static(id="replay-report")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        session = self.session
        pane = self.query_one("#replay")
        team = f", team {session.player}" if session.player else ""
        pane.border_title = (
            f"Replay: {session.scenario.meta.title}, {self.save_name}{team}"
            f" · quarter {self.shown} of {session.quarter} played"
        )
        currency = session.scenario.company.currency
        table = Table(box=None, padding=(0, 2), expand=False)
        table.add_column("")
        table.add_column("before", justify="right")
        table.add_column("after", justify="right")
        for metric in SHOWN:
            series = session.series(metric)
            shown = METRIC_PRESENTATION[metric]
            unit = shown.format
            before = series[self.shown - 1] if self.shown else series[0]
            table.add_row(
                shown.description.rstrip("."),
                format_value(before, unit, currency),
                format_value(series[self.shown], unit, currency),
            )
        self.query_one("#replay-metrics", Static).update(table)
        report = self.query_one("#replay-report", Static)
        if self.shown == 0:
            report.update(Text("No quarter was played in this save.", style="dim"))
        else:
            report.update(report_summary(session.reports[self.shown - 1]))

    def action_step(self, step: int) -> None:
        self.shown = min(
            max(self.shown + step, 1 if self.session.reports else 0), self.session.quarter
        )
        self.show()

    def action_back(self) -> None:
        self.app.pop_screen()
