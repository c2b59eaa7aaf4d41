"""The intervention picker: the scenario's catalogue as cards, chosen within the budget."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, SelectionList, Static
from textual.widgets.selection_list import Selection

from engine.decisions import Availability
from engine.formatting import exact_money
from engine.levers import LEVERS
from engine.scenario.schema import Intervention
from engine.session import GameSession
from game.colour_roles import role_style
from game.commands import bindings

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

    def money(self, amount: float) -> str:
        return exact_money(amount, self.session.scenario.company.currency)

    def card(self, intervention: Intervention, status: Availability, reason: str) -> Content:
        parts: list[str | tuple[str, str]] = [(f"{intervention.name}\n", "bold")]
        cost = self.money(intervention.cost)
        if intervention.upkeep:
            cost += f" + {self.money(intervention.upkeep)} a quarter while it works"
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

    def line(self, intervention: Intervention, status: Availability) -> Text:
        """One list line: name, cost, and a mark when it cannot be chosen."""
        text = Text(f"{intervention.name[:26]:<26} ")
        text.append(f"{self.money(intervention.cost):>9}", style="bold")
        if status == Availability.LOCKED:
            text.append("  locked", style="italic")
        elif status == Availability.ADOPTED:
            text.append("  done", style="italic")
        return text

    def compose(self) -> ComposeResult:
        self.status = self.session.availability()
        selections = []
        for intervention in self.session.scenario.interventions:
            state, _ = self.status[intervention.id]
            selections.append(
                Selection(
                    self.line(intervention, state),
                    intervention.id,
                    intervention.id in self.planned,
                    # Locked ones stay reachable so their card can say why.
                )
            )
        with Vertical(id="picker"):
            yield Static(id="budget-line")
            with Horizontal(id="picker-body"):
                yield SelectionList[str](*selections, id="cards")
                with VerticalScroll(id="card-pane"):
                    yield Static(id="card")
            yield Static(
                "Space: choose or drop · Enter: confirm · Esc: cancel",
                classes="muted",
                id="picker-help",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#picker").border_title = "Choose this quarter's interventions"
        cards = self.query_one("#cards", SelectionList)
        cards.focus()
        cards.highlighted = 0
        self.show_card(self.session.scenario.interventions[0].id)
        self.update_budget()

    def show_card(self, intervention_id: str) -> None:
        intervention = self.session.scenario.intervention(intervention_id)
        state, reason = self.status[intervention_id]
        self.query_one("#card", Static).update(self.card(intervention, state, reason))

    def on_selection_list_selection_highlighted(
        self, event: SelectionList.SelectionHighlighted
    ) -> None:
        self.show_card(event.selection.value)

    def chosen(self) -> list[str]:
        # Keep catalogue order: it is also the priority order if money runs short.
        selected = set(self.query_one("#cards", SelectionList).selected)
        return [i.id for i in self.session.scenario.interventions if i.id in selected]

    def update_budget(self) -> None:
        cost = self.session.cost_of(self.chosen())
        left = self.session.budget - cost
        parts: list[str | tuple[str, str]] = [
            "Budget ",
            (self.money(self.session.budget), "bold"),
            "   chosen ",
            (self.money(cost), "bold"),
            "   left ",
            (self.money(left), role_style("good" if left >= 0 else "bad", "bold")),
        ]
        if left < 0:
            parts.append(("   over budget: drop something", role_style("bad")))
        text = Content.assemble(*parts)
        self.query_one("#budget-line", Static).update(text)

    def on_selection_list_selected_changed(self) -> None:
        cards = self.query_one("#cards", SelectionList)
        for intervention_id in list(cards.selected):
            state, reason = self.status[intervention_id]
            if state in (Availability.LOCKED, Availability.ADOPTED):
                cards.deselect(intervention_id)
                name = self.session.scenario.intervention(intervention_id).name
                self.notify(f"{name}: {reason}.", severity="warning")
        self.update_budget()

    def action_confirm(self) -> None:
        chosen = self.chosen()
        if self.session.cost_of(chosen) > self.session.budget + 1e-9:
            self.notify("That is more than the budget. Drop something first.", severity="error")
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
