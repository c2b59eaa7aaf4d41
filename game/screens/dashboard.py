"""The quarter dashboard: where the company stands, what is in effect, what comes next."""

from __future__ import annotations

import textwrap

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from engine.formatting import format_value
from engine.presentation import METRIC_PRESENTATION
from engine.session import GameSession, RunningEffect
from game.colour_roles import role_style
from game.commands import bindings
from game.messages import QuarterFailed, QuarterPlayed, QuarterSubmitted
from game.widgets.customer_map import CustomerMap
from game.widgets.metric_tile import MetricTile
from game.widgets.workforce import WorkforceMap

# The tiles, row by row, labelled by the metrics' tile labels (engine.presentation).
TILE_ROWS = (
    ("active_customers", "logo_retention", "revenue_retention", "csat_reported"),
    ("engagement", "quality", "profit", "budget"),
)
# The survey has a true counterpart the company may not see: its tile says "reported".
MARKED_REPORTED = frozenset({"csat_reported"})
# How a tile prints its change since last quarter, by format (money: the arrow alone).
CHANGE_FORMATS = {"count": "{:+,.0f}", "share": "{:+.1%}", "level": "{:+.2f}", "money": ""}


def short_phase(effect: RunningEffect) -> str:
    """An effect's phase in a few letters for the in-effect list (RunningEffect.phase in
    full: 'starts in 2 q', 'ramping up', 'full for 3 more q', 'fading')."""
    if effect.starts_in:
        return f"in {effect.starts_in}q"
    if effect.ramping:
        return "ramping"
    if effect.full_left:
        return f"full {effect.full_left}q"
    return "fading"


def priced_line(name: str, price: str, width: int) -> str:
    """A name and its price on a line of ``width``, the price flush right; a name too
    long for the line wraps onto lines of its own, whole (never cut)."""
    room = max(width - len(price) - 1, 8)
    lines = textwrap.wrap(name, room, break_long_words=True) or [""]
    first = f"{lines[0]:<{room}} {price}"
    return "\n".join([first, *lines[1:]]) + "\n"


def money(session: GameSession, amount: float) -> str:
    """An amount in the scenario's currency, as the game shows money everywhere."""
    return format_value(amount, "money", session.scenario.company.currency)


class Dashboard(Screen):
    """One quarter at a time: plan with i, play with Enter."""

    CSS_PATH = "../styles/dashboard.tcss"
    COMMAND_CONTEXT = "dashboard"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, session: GameSession):
        super().__init__()
        self.session = session
        self.planned: list[str] = []
        self.choices: dict[str, str] = {}
        self.busy = False
        # In a group session: the words shown while a submitted plan waits for the
        # facilitator's close (the plan may still change and be submitted again).
        self.submitted_words = ""
        self.submitted_plan: list[str] = []  # the interventions handed in

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        for row in TILE_ROWS:
            with Horizontal(classes="tiles"):
                for metric in row:
                    yield MetricTile(
                        METRIC_PRESENTATION[metric].tile_label,
                        id=metric,
                        reported=metric in MARKED_REPORTED,
                        role=METRIC_PRESENTATION[metric].colour_role,
                    )
        # The plan for the next quarter sits under the map and takes the room it needs;
        # the map and the in-effect list (which scrolls) give way, so the plan, the
        # money left and a waiting decision show at every size from 80x24.
        with Horizontal(id="middle"):
            with Vertical(id="left"):
                with Vertical(id="customers-panel"):
                    yield CustomerMap(id="customer-map")
                yield Static(id="planned")
            with Vertical(id="side"):
                yield WorkforceMap(id="workforce")
                with VerticalScroll(id="effects-panel"):
                    yield Static(id="effects")
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the quarter is being played nothing else may touch the game.
        if self.busy:
            return None
        # A group session's team app has no main menu to go back to (Ctrl+Q leaves).
        return action != "menu" or self.app.controller.capabilities.has_main_menu

    def on_mount(self) -> None:
        self.query_one("#customers-panel").border_title = "Customers"
        self.query_one("#workforce").border_title = "People"
        self.query_one("#effects-panel").border_title = "In effect"
        self.query_one("#planned").border_title = "Next quarter"
        self.refresh_view()

    # --- showing ----------------------------------------------------------------------------
    def refresh_view(self) -> None:
        session = self.session
        quarter = min(session.quarter + 1, session.quarters)
        self._status(quarter)
        self._tiles()
        self.query_one(CustomerMap).counts = session.customer_breakdown()
        self.query_one(WorkforceMap).rows = session.workforce_breakdown()
        self._effects()
        self._planned()

    def _status(self, quarter: int) -> None:
        """The header line; shorter words when the terminal is narrow, so the stars stay."""
        session = self.session
        width = self.size.width - 2 or 200  # before the first layout: the long words
        score_part: list[str | tuple[str, str]] = []
        if session.quarter:  # before the first quarter there is nothing to score yet
            score = session.outcome()
            stars = int(score.stars[0])
            score_part = [
                f"{score.score[0]:.0f} ",
                ("★" * stars + "☆" * (3 - stars), role_style("warning")),
            ]
        budget = (money(session, session.budget), "bold")
        for separator, quarter_words, budget_words, score_words in (
            ("  ·  ", f"Quarter {quarter} of {session.quarters}", "Budget ", "Score so far "),
            (" · ", f"Q{quarter}/{session.quarters}", "Budget ", "Score "),
        ):
            status = Content.assemble(
                (session.scenario.company.name, "bold"),
                f"{separator}{quarter_words}{separator}{budget_words}",
                budget,
                *([f"{separator}{score_words}", *score_part] if score_part else []),
            )
            if status.cell_length <= width:
                break
        if status.cell_length > width:  # a very long company name gives way first
            tail = status.cell_length - len(session.scenario.company.name)
            name = session.scenario.company.name[: max(width - tail - 1, 8)] + "…"
            status = Content.assemble(
                (name, "bold"),
                f"{separator}{quarter_words}{separator}{budget_words}",
                budget,
                *([f"{separator}{score_words}", *score_part] if score_part else []),
            )
        self.query_one("#status", Static).update(status)

    def on_resize(self) -> None:
        self._status(min(self.session.quarter + 1, self.session.quarters))
        self.call_after_refresh(self._planned)  # its lines fit the panel's new width

    def _tiles(self) -> None:
        session = self.session
        for row in TILE_ROWS:
            for metric in row:
                shown = METRIC_PRESENTATION[metric]
                values = session.series(metric)
                change = values[-1] - values[-2] if len(values) > 1 else None
                change_format = CHANGE_FORMATS[shown.format]
                self.query_one(f"#{metric}", MetricTile).show(
                    self._tile_value(metric),
                    change,
                    values,
                    good=shown.good,
                    change_text=change_format.format(change) if change is not None else "",
                )

    def _tile_value(self, metric: str) -> str:
        """What a tile shows: the latest value (quality with its norm; the budget left)."""
        session = self.session
        currency = session.scenario.company.currency

        def latest(name: str) -> str:
            return format_value(session.latest(name), METRIC_PRESENTATION[name].format, currency)

        if metric == "quality":
            return f"{latest('quality')} / {latest('quality_norm')}"
        if metric == "budget":
            return money(session, session.budget)
        return latest(metric)

    def _effects(self) -> None:
        effects = self.session.running_effects()
        panel = self.query_one("#effects-panel")
        panel.border_title = f"In effect ({len(effects)})" if effects else "In effect"
        if not effects:
            self.query_one("#effects", Static).update(
                Text("Nothing running. Press i to choose interventions.", style="dim")
            )
            return
        # One row each: the name wraps in its column (never cut), strength and phase
        # keep theirs.
        table = Table.grid(expand=True, padding=(0, 1))
        table.add_column(ratio=1, overflow="fold")
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, justify="right")
        for effect in effects:
            filled = min(5, round(effect.strength * 5))  # reinforced cards can pass 1
            times = f" ×{effect.adoptions}" if effect.adoptions > 1 else ""
            table.add_row(
                Text(effect.name + times, style="bold"),
                Text("▮" * filled + "▯" * (5 - filled), style=role_style("primary")),
                Text(short_phase(effect), style="dim"),
            )
        self.query_one("#effects", Static).update(table)

    def _planned(self) -> None:
        session = self.session
        text = Text()
        planned = self.query_one("#planned", Static)
        width = planned.content_size.width or 40  # before the first layout
        if session.is_over:
            text.append("The game is over.", style="bold")
        else:
            for name in self.planned:
                intervention = session.scenario.intervention(name)
                text.append(
                    priced_line(intervention.name, money(session, intervention.cost), width)
                )
            if not self.planned:
                text.append("No interventions chosen.\n", style="dim")
            # After upkeep and dilemma costs too (at their dearest), as the picker says.
            left = session.commitments(self.planned).left_low
            text.append(f"Left after these: {money(session, left)}", style="bold")
            dilemmas = session.pending_dilemmas()
            # In a group session the answer goes in with the submission; the dilemma
            # stays pending in this game until the round closes, but no longer awaits.
            if dilemmas and not self.submitted_words:
                text.append(f"\nA decision awaits: {dilemmas[0].title}", style="italic")
            if self.submitted_words and self.planned != self.submitted_plan:
                text.append(
                    "\nChanged since you submitted: Enter submits this plan instead.",
                    style="bold",
                )
            elif self.submitted_words:  # it says the plan may change; the footer says how
                text.append(f"\n{self.submitted_words}", style="bold")
            else:
                text.append("\n[i] choose   [Enter] play", style="dim")
        planned.update(text)

    # --- actions ----------------------------------------------------------------------------
    def action_plan(self) -> None:
        from game.screens.interventions import InterventionPicker

        if self.busy or self.session.is_over:
            return

        def chosen(selection: list[str] | None) -> None:
            if selection is not None:
                self.planned = selection
                self._planned()

        self.app.push_screen(InterventionPicker(self.session, self.planned), chosen)

    def action_play(self) -> None:
        if self.busy:
            return
        if self.session.is_over:
            self.app.controller.finish()
            return
        self.choices = {}
        self._ask(self.session.pending_dilemmas())

    def _ask(self, dilemmas: list) -> None:
        """Put each dilemma to the player in turn, then submit the quarter."""
        from game.screens.dilemma import DilemmaScreen

        if not dilemmas:
            self.busy = True
            self.refresh_bindings()
            self.app.controller.submit_quarter(self.planned, self.choices, reply_to=self)
            return
        event, rest = dilemmas[0], dilemmas[1:]

        def answered(choice: str | None) -> None:
            if choice is None:  # the player stepped back: nothing is played
                return
            self.choices[event.id] = choice
            self._ask(rest)

        self.app.push_screen(DilemmaScreen(event, self.session), answered)

    def on_quarter_failed(self, message: QuarterFailed) -> None:
        from game.screens.confirm import MessageScreen

        self.busy = False
        self.refresh_bindings()
        self.app.push_screen(MessageScreen("The quarter could not be played", message.text))

    def on_quarter_submitted(self, message: QuarterSubmitted) -> None:
        # Handed in to a group session: the quarter is played at the round's close.
        self.busy = False
        self.refresh_bindings()
        self.submitted_words = message.text
        self.submitted_plan = list(self.planned)
        self._planned()

    def on_quarter_played(self, message: QuarterPlayed) -> None:
        from game.screens.report import QuarterReportScreen

        self.busy = False
        self.submitted_words = ""
        self.refresh_bindings()
        self.planned = []
        self.choices = {}
        # Achievements earned are announced in the report itself (its "Achievements:"
        # line), not by toasts, which covered the report's text and the map's legend.
        self.refresh_view()

        def closed(_: object) -> None:
            if self.session.is_over:
                self.app.controller.finish()

        self.app.push_screen(QuarterReportScreen(message.report, self.session), closed)

    def action_last_report(self) -> None:
        from game.screens.report import QuarterReportScreen

        if self.session.reports:
            self.app.push_screen(QuarterReportScreen(self.session.reports[-1], self.session))
        else:
            self.notify("No quarter has been played yet.")

    def action_charts(self) -> None:
        from game.screens.charts import ChartsScreen

        self.app.push_screen(ChartsScreen(self.session))

    def action_menu(self) -> None:
        self.app.action_quit_to_menu()
