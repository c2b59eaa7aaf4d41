"""The quarter report: what happened and why, in the scenario's terms."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from engine.narrative import QuarterReport
from engine.presentation import DRIVER_PRESENTATION
from engine.session import GameSession
from game.colour_roles import role_style
from game.commands import bindings
from game.widgets.bullet_list import BulletList

BAR = 24


def report_summary(report: QuarterReport) -> Content:
    """The report's decisions, events, effects and causes of defection, as text."""
    parts: list[str | tuple[str, str]] = [(report.headline + "\n", "bold")]
    if report.adopted:
        parts.append("\nYou adopted: " + ", ".join(report.adopted) + ".\n")
    if report.skipped:
        parts.append(
            (
                "Not adopted (budget or prerequisites): " + ", ".join(report.skipped) + ".\n",
                role_style("warning"),
            )
        )
    for index, (title, choice) in enumerate(report.events):
        parts.append((f"\nEvent: {title}", "bold"))
        parts.append(f" - you chose: {choice}\n" if choice else "\n")
        if index < len(report.changed):
            parts.append((f"  {report.changed[index].text}\n", "dim"))
    lasting = [name for name in report.started if name not in report.brief]
    if lasting:
        parts.append("Now taking effect: " + ", ".join(lasting) + ".\n")
    if report.brief:
        parts.append(
            "Acting this quarter, fading from the next: " + ", ".join(report.brief) + ".\n"
        )
    if report.ended:
        parts.append("Past full strength, now fading: " + ", ".join(report.ended) + ".\n")
    # A reason that rounds to 0% of the leavers is not worth a bar.
    causes = [(name, share) for name, share in report.causes if round(share * 100) >= 1]
    if causes:
        parts.append(("\nWhy customers left\n", "bold"))
        width = max(len(DRIVER_PRESENTATION[name].label) for name, _ in causes)
        for name, share in causes:
            driver = DRIVER_PRESENTATION[name]
            filled = round(share * BAR)
            parts.append(f"  {driver.label:<{width}} ")
            parts.append(("█" * filled, role_style(driver.colour_role)))
            parts.append(("░" * (BAR - filled), "dim"))
            parts.append(f" {share:4.0%}\n")
    if report.achievements:
        parts.append(
            (
                "\nAchievements: " + ", ".join(report.achievements) + "\n",
                role_style("warning", "bold"),
            )
        )
    return Content.assemble(*parts)


class QuarterReportScreen(Screen):
    """Read, then continue (Enter or Escape)."""

    CSS_PATH = "../styles/report.tcss"
    COMMAND_CONTEXT = "report"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, report: QuarterReport, session: GameSession):
        super().__init__()
        self.report = report
        self.session = session

    def compose(self) -> ComposeResult:
        report = self.report
        with VerticalScroll(id="report"):
            yield Static(self.summary(), id="report-body")
            if report.lines:
                yield Static("What changed", classes="report-heading")
                yield BulletList([("•", line) for line in report.lines], id="report-lines")
            yield Static(self.closing(), id="report-closing")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(
            "#report"
        ).border_title = f"Quarter {self.report.quarter} of {self.session.quarters}: what happened"

    def summary(self) -> Content:
        return report_summary(self.report)

    def closing(self) -> Text:
        return Text(
            "This was the last quarter: Enter opens the debrief."
            if self.session.is_over
            else "Enter: back to the dashboard.",
            style="dim",
        )

    def action_close(self) -> None:
        self.dismiss(None)
