"""The briefing: the situation, the goals, what the player controls."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Markdown

from engine.catalog import ScenarioEntry
from engine.presentation import METRIC_PRESENTATION
from game.commands import bindings


def goal_text(goal) -> str:
    bound = (
        f"at least {goal.at_least:g}" if goal.at_least is not None else f"at most {goal.at_most:g}"
    )
    what = METRIC_PRESENTATION[goal.metric].description.rstrip(".").lower()
    change = "change in " if goal.measure == "change" else ""
    return f"{goal.text}  \n*({change}{what}: {bound} at the end)*"


class BriefingScreen(Screen):
    """Read, then begin."""

    CSS_PATH = "../styles/briefing.tcss"
    COMMAND_CONTEXT = "briefing"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, entry: ScenarioEntry, seed: int | None = None):
        super().__init__()
        self.entry = entry
        self.seed = entry.scenario.meta.seed if seed is None else seed

    def compose(self) -> ComposeResult:
        scenario = self.entry.scenario
        meta = scenario.meta
        budget = scenario.company.budget
        money = scenario.company.currency
        goals = "\n".join(f"- {goal_text(goal)}" for goal in scenario.goals) or "- Score well."
        stars = ", ".join(f"{'★' * (i + 1)} {t:g}" for i, t in enumerate(scenario.scoring.stars))
        text = (
            f"# {meta.title}\n\n*{scenario.company.name} · {meta.difficulty} · "
            f"{meta.quarters} quarters · seed {self.seed}*\n\n"
            f"{scenario.briefing.situation}\n\n## Your goals\n\n{goals}\n\n"
            f"Stars by score: {stars}.\n\n"
            f"## What you control\n\n{scenario.briefing.controls or ''}\n\n"
            f"You start with a budget of {money}{budget.start:,.0f} for interventions, "
            f"and receive {money}{budget.per_quarter:,.0f} each quarter"
            + (
                f" plus {budget.profit_share:.0%} of last quarter's profit"
                if budget.profit_share
                else ""
            )
            + "."
        )
        with VerticalScroll(id="briefing"):
            yield Markdown(text, id="briefing-text")
        with Horizontal(id="briefing-buttons"):
            if self.names_player:
                with Vertical(id="player-field"):
                    yield Label("Type your team's name, then Enter:", id="player-label")
                    yield Input(
                        value=self.app.last_player,
                        placeholder="Player or team name (optional)",
                        id="player",
                        max_length=40,
                    )
            yield Button("Begin the first quarter", id="begin", variant="primary")
            yield Button("Back", id="back")
        yield Footer()

    @property
    def names_player(self) -> bool:
        """Whether the briefing asks who is playing (not in a group session, where the
        join already named the team)."""
        return self.app.controller.capabilities.names_player

    def on_mount(self) -> None:
        # The name field has the keyboard, so a name typed at once is recorded (Enter
        # there begins too); the arrows still scroll the briefing.
        if self.names_player:
            self.query_one("#player", Input).focus()
        else:
            self.query_one("#begin", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "begin":
            self.action_begin()
        else:
            self.action_back()

    def action_scroll(self, lines: int) -> None:
        """Scroll the briefing while the name field keeps focus."""
        self.query_one("#briefing", VerticalScroll).scroll_relative(y=lines, animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_begin()

    def action_begin(self) -> None:
        if not self.names_player:
            self.app.controller.start(self.entry, self.seed)
            return
        player = self.query_one("#player", Input).value.strip()
        self.app.last_player = player
        self.app.controller.start(self.entry, self.seed, player=player)

    def action_back(self) -> None:
        self.app.pop_screen()
