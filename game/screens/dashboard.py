"""The quarter dashboard: where the company stands, what is in effect, what comes next."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from engine.debrief import format_value
from engine.session import GameSession
from game.commands import bindings
from game.messages import QuarterFailed, QuarterPlayed
from game.widgets.customer_map import CustomerMap
from game.widgets.metric_tile import MetricTile
from game.widgets.workforce import WorkforceMap


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

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal(classes="tiles"):
            yield MetricTile("Customers", id="active_customers")
            yield MetricTile("Kept since start", id="logo_retention")
            yield MetricTile("Revenue kept", id="revenue_retention")
            yield MetricTile("Satisfaction", id="csat_reported", reported=True)
        with Horizontal(classes="tiles"):
            yield MetricTile("Engagement", id="engagement")
            yield MetricTile("Quality / norm", id="quality")
            yield MetricTile("Profit", id="profit")
            yield MetricTile("Budget", id="budget")
        with Horizontal(id="middle"):
            with Vertical(id="customers-panel"):
                yield CustomerMap(id="customer-map")
            with Vertical(id="side"):
                yield WorkforceMap(id="workforce")
                yield Static(id="effects")
                yield Static(id="planned")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the quarter is being played nothing else may touch the game.
        return None if self.busy else True

    def on_mount(self) -> None:
        self.query_one("#customers-panel").border_title = "Customers"
        self.query_one("#workforce").border_title = "People"
        self.query_one("#effects").border_title = "In effect"
        self.query_one("#planned").border_title = "Next quarter"
        self.refresh_view()

    # --- showing ----------------------------------------------------------------------------
    def refresh_view(self) -> None:
        session = self.session
        quarter = min(session.quarter + 1, session.quarters)
        status = Text.assemble(
            (session.scenario.company.name, "bold"),
            f"  ·  Quarter {quarter} of {session.quarters}  ·  Budget ",
            (money(session, session.budget), "bold"),
        )
        if session.quarter:  # before the first quarter there is nothing to score yet
            score = session.outcome()
            stars = int(score.stars[0])
            status.append(f"  ·  Score so far {score.score[0]:.0f} ")
            status.append("★" * stars + "☆" * (3 - stars), style="yellow")
        self.query_one("#status", Static).update(status)
        self._tiles()
        self.query_one(CustomerMap).counts = session.customer_breakdown()
        self.query_one(WorkforceMap).rows = session.workforce_breakdown()
        self._effects()
        self._planned()

    def _tiles(self) -> None:
        session = self.session

        def tile(metric, text, *, good_when_up=True, change_format="{:+.2f}", series=None):
            values = session.series(metric) if series is None else series
            change = values[-1] - values[-2] if len(values) > 1 else None
            shown = change_format.format(change) if change is not None else ""
            self.query_one(f"#{metric}", MetricTile).show(
                text, change, values, good_when_up=good_when_up, change_text=shown
            )

        latest = session.latest
        tile("active_customers", f"{latest('active_customers'):,.0f}", change_format="{:+,.0f}")
        tile("logo_retention", f"{latest('logo_retention'):.1%}", change_format="{:+.1%}")
        tile("revenue_retention", f"{latest('revenue_retention'):.1%}", change_format="{:+.1%}")
        tile("csat_reported", f"{latest('csat_reported'):.2f}")
        tile("engagement", f"{latest('engagement'):.2f}")
        tile("quality", f"{latest('quality'):.2f} / {latest('quality_norm'):.2f}")
        tile(
            "profit",
            money(session, latest("profit")),
            change_format="",
            series=session.series("profit"),
        )
        tile("budget", money(session, session.budget), change_format="")

    def _effects(self) -> None:
        effects = self.session.running_effects()
        text = Text()
        if not effects:
            text.append("Nothing running. Press i to choose interventions.", style="dim")
        for effect in effects:
            bar = "▮" * round(effect.strength * 5) + "▯" * (5 - round(effect.strength * 5))
            when = effect.phase
            text.append(f"{effect.name[:22]:<22} ", style="bold")
            text.append(bar, style="cyan")
            text.append(f" {when}\n", style="dim")
        self.query_one("#effects", Static).update(text)

    def _planned(self) -> None:
        session = self.session
        text = Text()
        if session.is_over:
            text.append("The game is over.", style="bold")
        else:
            for name in self.planned:
                intervention = session.scenario.intervention(name)
                text.append(f"{intervention.name[:28]:<28} {money(session, intervention.cost)}\n")
            cost = session.cost_of(self.planned)
            if not self.planned:
                text.append("No interventions chosen.\n", style="dim")
            text.append(f"Left after these: {money(session, session.budget - cost)}", style="bold")
            dilemmas = session.pending_dilemmas()
            if dilemmas:
                text.append(f"\nA decision awaits: {dilemmas[0].title}", style="italic")
            text.append("\n[i] choose   [Enter] play the quarter", style="dim")
        self.query_one("#planned", Static).update(text)

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

    def on_quarter_played(self, message: QuarterPlayed) -> None:
        from game.screens.report import QuarterReportScreen

        self.busy = False
        self.refresh_bindings()
        self.planned = []
        self.choices = {}
        for title in message.report.achievements:
            self.notify(f"Achievement: {title}", title="★ Achievement", timeout=8)
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
