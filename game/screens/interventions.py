"""The intervention picker: the scenario's catalogue as cards, chosen within the budget,
with a forecast of the rest of the game under the plan against doing nothing."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Static
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState, get_current_worker

from engine.commitments import Commitments
from engine.decisions import Availability, upkeep_quarters
from engine.forecast import Forecast, ForecastCancelled, forecast
from engine.formatting import exact_money
from engine.levers import LEVERS
from engine.scenario.schema import Intervention
from engine.session import GameSession
from game.colour_roles import role_style
from game.commands import bindings
from game.widgets.card_list import CHOSEN_MARK, UNCHOSEN_MARK, CardList, CardRow
from game.widgets.forecast_panel import ForecastPanel

FORECAST_DELAY = 0.3  # seconds of quiet after a change before forecasting again
FORECAST_WORKER = "forecast"
_LEVER_WORDS = {lever.name: lever.name.replace("_", " ") for lever in LEVERS}


def timing_words(intervention: Intervention) -> str:
    """When an intervention acts, in words."""
    parts = []
    parts.append(
        "acts next quarter"
        if intervention.lag == 1
        else "acts at once"
        if intervention.lag == 0
        else f"acts after {intervention.lag} quarters"
    )
    if intervention.ramp:
        parts.append(f"full strength after {intervention.ramp + 1}")
    parts.append(f"lasts {intervention.duration} q")
    parts.append(
        "then stops" if intervention.decay >= 1 else f"then fades {intervention.decay:.0%}/q"
    )
    return ", ".join(parts)


def effect_words(intervention: Intervention) -> str:
    return ", ".join(
        f"{_LEVER_WORDS[e.lever]} {'↑' if e.amount > 0 else '↓'}"
        + ("↑" if e.amount >= 0.5 else "↓" if e.amount <= -0.5 else "")
        for e in intervention.effects
    )


class InterventionPicker(ModalScreen[list[str] | None]):
    """Space toggles a card, Enter confirms, Escape cancels."""

    CSS_PATH = "../styles/interventions.tcss"
    COMMAND_CONTEXT = "picker"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, session: GameSession, planned: list[str]):
        super().__init__()
        self.session = session
        self.planned = list(planned)
        self.forecast_timer: Timer | None = None
        # The plan whose forecast is on show (None: none yet), for tests and the panel.
        self.forecast_shown: tuple[str, ...] | None = None
        # The overspending plan the player was warned about and may confirm with Enter.
        self.overspend_accepted: tuple[str, ...] | None = None

    def money(self, amount: float) -> str:
        return exact_money(amount, self.session.scenario.company.currency)

    def card(self, intervention: Intervention, status: Availability, reason: str) -> Content:
        parts: list[str | tuple[str, str]] = [(f"{intervention.name}\n", "bold")]
        cost = self.money(intervention.cost)
        if intervention.upkeep:
            # Upkeep is charged from the quarter of adoption (engine.decisions.schedule).
            cost += (
                f" + {self.money(intervention.upkeep)} a quarter for "
                f"{upkeep_quarters(intervention)} quarters, from this one"
            )
        parts.append((f"{cost}\n", role_style("primary", "bold")))
        parts.append(f"{intervention.area.capitalize()}: {timing_words(intervention)}.\n")
        if intervention.resistance:
            parts.append(("Meets resistance: engagement dips at first.\n", role_style("warning")))
        if intervention.requires:
            needs = ", ".join(
                self.session.scenario.intervention(r).name for r in intervention.requires
            )
            parts.append(f"Needs first: {needs}.\n")
        parts.append(f"Acts on: {effect_words(intervention)}.\n\n")
        parts.append((intervention.description.strip(), "italic"))
        if status in (Availability.LOCKED, Availability.ADOPTED):
            parts.append((f"\n{reason.capitalize()}.", role_style("bad", "bold")))
        return Content.assemble(*parts)

    def line(self, intervention_id: str, chosen: bool) -> CardRow:
        """One list row: the mark, the whole name (wrapping when the list is narrow), the
        one-off cost, and a word when it cannot be chosen."""
        intervention = self.session.scenario.intervention(intervention_id)
        status, _ = self.status[intervention_id]
        name = Text(intervention.name)
        if status == Availability.LOCKED:
            name.append(" (locked)", style="italic")
        elif status == Availability.ADOPTED:
            name.append(" (done)", style="italic")
        mark = Text(CHOSEN_MARK if chosen else UNCHOSEN_MARK, style="bold" if chosen else "")
        return CardRow(mark, name, Text(self.money(intervention.cost), style="bold"))

    def compose(self) -> ComposeResult:
        self.status = self.session.availability()
        selections = [
            # Locked ones stay reachable so their card can say why. The list draws each
            # row with self.line once mounted (a Selection takes one line of text only).
            Selection(
                intervention.name,
                intervention.id,
                intervention.id in self.planned,
            )
            for intervention in self.session.scenario.interventions
        ]
        with Vertical(id="picker"):
            yield Static(id="budget-line")
            with Horizontal(id="picker-body"):
                yield CardList(*selections, prompt=self.line, id="cards")
                with VerticalScroll(id="card-pane"):
                    # The first card is written here, not in on_mount: on a busy machine
                    # the screen can be mounted before this nested widget is.
                    yield Static(self.first_card(), id="card")
            yield ForecastPanel(id="forecast")
            yield Static(
                "Space: choose or drop · Enter: confirm · Esc: cancel",
                classes="muted",
                id="picker-help",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#picker").border_title = "Choose this quarter's interventions"
        cards = self.query_one("#cards", CardList)
        cards.focus()
        cards.highlighted = 0
        self.update_budget()
        panel = self.query_one(ForecastPanel)
        panel.display = self.forecasts_on
        panel.score_is_estimate = not all(
            self.session.visible(term.metric) for term in self.session.scenario.scoring.terms
        )
        self.fit_forecast()
        self.schedule_forecast()

    def first_card(self) -> Content:
        """The card of the first intervention, highlighted when the picker opens."""
        intervention = self.session.scenario.interventions[0]
        state, reason = self.status[intervention.id]
        return self.card(intervention, state, reason)

    def show_card(self, intervention_id: str) -> None:
        intervention = self.session.scenario.intervention(intervention_id)
        state, reason = self.status[intervention_id]
        self.query_one("#card", Static).update(self.card(intervention, state, reason))

    def on_selection_list_selection_highlighted(self, event: CardList.SelectionHighlighted) -> None:
        self.show_card(event.selection.value)

    def chosen(self) -> list[str]:
        # Keep catalogue order: it is also the priority order if money runs short.
        selected = set(self.query_one("#cards", CardList).selected)
        return [i.id for i in self.session.scenario.interventions if i.id in selected]

    def commitments(self) -> Commitments:
        """Next quarter's spending under the chosen cards (the engine's own arithmetic)."""
        return self.session.commitments(self.chosen())

    def over_budget(self) -> bool:
        """Whether the chosen cards' one-off costs exceed the budget: the quarter would
        skip some of them, so the picker refuses the plan."""
        return self.session.cost_of(self.chosen()) > self.session.budget + 1e-9

    def update_budget(self) -> None:
        """The budget line: budget, what is committed already, what the chosen cards cost,
        what is left; then what the commitments are, and a warning if the plan overspends."""
        plan = self.commitments()
        committed = plan.committed_high
        # What was chosen, including cards the budget cannot pay for (the plan is refused).
        chosen = plan.chosen + self.session.cost_of(plan.skipped)
        left = plan.budget - committed - chosen
        parts: list[str | tuple[str, str]] = ["Budget ", (self.money(plan.budget), "bold")]
        if committed:
            parts += ["   committed ", (self.money(committed), "bold")]
        parts += [
            "   chosen ",
            (self.money(chosen), "bold"),
            "   left ",
            (self.money(left), role_style("good" if left >= 0 else "bad", "bold")),
        ]
        if self.over_budget():
            parts.append(("   over budget: drop something", role_style("bad")))
        details = self.commitment_words(plan)
        if details:
            parts.append(("\n" + details, role_style("muted")))
        if not self.over_budget() and left < 0:
            parts.append(
                (
                    f"\nOverspends by {self.money(-left)}"
                    + (" at the dearest answers" if plan.depends_on_answers else "")
                    + ": next quarter's budget pays the excess.",
                    role_style("warning", "bold"),
                )
            )
        self.query_one("#budget-line", Static).update(Content.assemble(*parts))

    def commitment_words(self, plan: Commitments) -> str:
        """What 'committed' is made of, and what 'chosen' includes besides one-off costs."""
        words = []
        if plan.upkeep:
            words.append(f"upkeep of running interventions {self.money(plan.upkeep)}")
        for dilemma in plan.dilemmas:
            if not dilemma.most:
                continue  # costs nothing whatever the answer
            if dilemma.least == dilemma.most:
                words.append(f'dilemma "{dilemma.title}" {self.money(dilemma.most)}')
            else:
                words.append(
                    f'dilemma "{dilemma.title}" {self.money(dilemma.least)} to '
                    f"{self.money(dilemma.most)} by your answer (counted at the most)"
                )
        text = f"Committed: {'; '.join(words)}." if words else ""
        if plan.cards_upkeep:
            text += (
                f"{' ' if text else ''}Chosen includes {self.money(plan.cards_upkeep)} "
                "upkeep this quarter."
            )
        return text

    def on_selection_list_selected_changed(self) -> None:
        cards = self.query_one("#cards", CardList)
        for intervention_id in list(cards.selected):
            state, reason = self.status[intervention_id]
            if state in (Availability.LOCKED, Availability.ADOPTED):
                cards.deselect(intervention_id)
                name = self.session.scenario.intervention(intervention_id).name
                self.notify(f"{name}: {reason}.", severity="warning")
        self.update_budget()
        self.schedule_forecast()

    # --- the forecast -----------------------------------------------------------------------
    @property
    def forecasts_on(self) -> bool:
        """Whether this game may be forecast (facilitator and scenario both allow it)."""
        controller = getattr(self.app, "controller", None)
        return controller is None or controller.forecasts_enabled

    def on_resize(self) -> None:
        self.fit_forecast()

    def fit_forecast(self) -> None:
        """A taller fan on a taller terminal; a compact one at 24 lines."""
        self.query_one(ForecastPanel).styles.height = 10 if self.size.height >= 28 else 8

    def schedule_forecast(self) -> None:
        """Forecast the current plan once the selection has been still for a moment; the
        forecast under way (for an older plan) is cancelled."""
        if not self.forecasts_on:
            return
        if self.forecast_timer is not None:
            self.forecast_timer.stop()
        self.workers.cancel_group(self, FORECAST_WORKER)
        panel = self.query_one(ForecastPanel)
        if self.over_budget():
            panel.note = "Over budget: no forecast until the plan fits the budget."
            panel.forecast = None  # no chart of an earlier plan beside that note
            self.forecast_shown = None
            return
        panel.note = "forecasting…"
        self.forecast_timer = self.set_timer(FORECAST_DELAY, self.start_forecast)

    def start_forecast(self) -> None:
        self.forecast_timer = None
        self.run_forecast(tuple(self.chosen()))

    @work(thread=True, exclusive=True, group=FORECAST_WORKER, exit_on_error=False)
    def run_forecast(self, plan: tuple[str, ...]) -> None:
        """Forecast ``plan`` in a thread; the panel gets the result unless cancelled."""
        worker = get_current_worker()
        try:
            result = forecast(self.session, plan, {}, cancelled=lambda: worker.is_cancelled)
        except ForecastCancelled:
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_forecast, plan, result)

    def show_forecast(self, plan: tuple[str, ...], result: Forecast) -> None:
        if plan != tuple(self.chosen()):
            return  # the selection moved on meanwhile: its own forecast is coming
        panel = self.query_one(ForecastPanel)
        panel.forecast = result
        panel.note = ""
        self.forecast_shown = plan

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == FORECAST_WORKER and event.state == WorkerState.ERROR:
            self.query_one(ForecastPanel).note = f"The forecast failed: {event.worker.error}"

    def action_confirm(self) -> None:
        chosen = self.chosen()
        if self.over_budget():
            # The engine skips a card whose one-off cost the budget cannot pay; upkeep and
            # dilemma costs may overspend (next quarter pays), one-off costs may not.
            self.notify(
                "The one-off costs are more than the budget: drop something first. "
                "(Upkeep and dilemma costs may overspend; one-off costs may not.)",
                severity="error",
            )
            return
        plan = self.commitments()
        if plan.left_low < 0 and self.overspend_accepted != tuple(chosen):
            # Overspending is allowed (the engine takes it from next quarter's budget),
            # but only knowingly: the first Enter warns, the second confirms.
            self.overspend_accepted = tuple(chosen)
            self.notify(
                f"This plan overspends by up to {self.money(-plan.left_low)}: next quarter's "
                "budget pays for it. Press Enter again to keep it.",
                severity="warning",
            )
            return
        self.close(chosen)

    def action_cancel(self) -> None:
        self.close(None)

    def close(self, chosen: list[str] | None) -> None:
        """Leave the picker; its budget warnings go with it, so none covers the report."""
        self.app.clear_notifications()
        self.dismiss(chosen)
