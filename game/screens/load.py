"""The load screen: every saved game, newest first; broken ones listed with their problem."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from engine.saves import SaveSummary, list_saves
from game.colour_roles import role_style
from game.commands import bindings


def when(summary: SaveSummary) -> str:
    """The save's time as a short local-looking stamp (UTC, as saved)."""
    return (summary.updated or "").replace("T", " ").removesuffix("+00:00")[:16]


def slot_name(summary: SaveSummary) -> str:
    """The save's name as the player knows it."""
    return "autosave" if summary.is_autosave else summary.slot


def where_in_game(quarter: int | None, quarters: int | None) -> str:
    """Where a saved game stands, in the dashboard's words: the quarter to play next
    ("quarter 2 of 8" after one played), or "finished"."""
    if quarter is None or quarters is None:
        return "?"
    if quarter >= quarters:
        return f"finished ({quarters} quarters)"
    return f"quarter {quarter + 1} of {quarters}"


class LoadScreen(Screen):
    """Enter loads the highlighted game, v replays it quarter by quarter."""

    CSS_PATH = "../styles/load.tcss"
    COMMAND_CONTEXT = "load"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self) -> None:
        super().__init__()
        self.saves: list[SaveSummary] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="load-body"):
            yield OptionList(id="saves")
            with VerticalScroll(id="save-pane"):
                yield Static(id="save-detail")
        yield Footer()

    def on_mount(self) -> None:
        folder = self.app.controller.saves_folder
        self.query_one("#saves").border_title = "Saved games"
        self.saves = list_saves(folder)
        options = self.query_one("#saves", OptionList)
        for index, summary in enumerate(self.saves):
            options.add_option(Option(self.label(summary), id=str(index)))
        if self.saves:
            options.highlighted = 0
            self.show(0)
        else:
            self.query_one("#save-detail", Static).update(
                f"No saved games yet in {folder}.\n\nGames save themselves after every "
                "quarter; Ctrl+S in a game saves it under a name of your own."
            )
        options.focus()

    def label(self, summary: SaveSummary) -> Content:
        if not summary.ok:
            return Content.assemble(
                ("⚠ ", role_style("bad", "bold")), summary.path.name, (" (broken)", "dim")
            )
        # Two lines, so that two autosaves of one scenario differ at a glance: where
        # each game stands, whose it is, and when it was saved.
        team = f" · {summary.player}" if summary.player else ""
        return Content.assemble(
            (f"{summary.title or summary.scenario_id}", "bold"),
            f" · {where_in_game(summary.quarter, summary.quarters)}\n",
            (slot_name(summary), "italic"),
            team,
            (f" · {when(summary)}", "dim"),
        )

    def show(self, index: int) -> None:
        summary = self.saves[index]
        detail = self.query_one("#save-detail", Static)
        if not summary.ok:
            detail.update(
                Content.assemble(
                    (f"{summary.path}\n\n", "bold"),
                    ("This save cannot be loaded:\n\n", role_style("bad")),
                    summary.problem or "",
                    ("\n\nThe file has not been changed.", "dim"),
                )
            )
            return
        lines = [
            (f"{summary.title or summary.scenario_id}\n", "bold"),
            (f"{'Autosave' if summary.is_autosave else 'Saved as: ' + summary.slot}\n", ""),
            (f"{where_in_game(summary.quarter, summary.quarters).capitalize()}", ""),
            (f" ({summary.quarter} played)", ""),
        ]
        if summary.score is not None and summary.quarter:
            lines.append((f", score so far {summary.score:.0f}", ""))
        lines.append((f"\nSaved {when(summary)} UTC\n", "dim"))
        if summary.player:
            lines.append((f"Player or team: {summary.player}\n", ""))
        if summary.warning:
            lines.append((f"\n{summary.warning}\n", role_style("warning")))
        lines.append((f"\n{summary.path}", "dim"))
        detail.update(Content.assemble(*lines))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(int(event.option.id))

    def highlighted(self) -> SaveSummary | None:
        index = self.query_one("#saves", OptionList).highlighted
        return None if index is None or not self.saves else self.saves[index]

    def action_load(self) -> None:
        summary = self.highlighted()
        if summary is None:
            return
        if not summary.ok:
            self.notify("This save cannot be loaded; see why on the right.", severity="error")
            return
        self.app.controller.load(summary.path)

    def action_replay(self) -> None:
        summary = self.highlighted()
        if summary is not None and summary.ok:
            self.app.controller.replay(summary.path)

    def action_back(self) -> None:
        self.app.pop_screen()
