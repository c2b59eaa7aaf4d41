"""The scenario browser: built-in campaign, the user's own scenarios, broken ones too."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from engine.catalog import ScenarioEntry, user_scenario_dir
from game.colour_roles import role_style
from game.commands import bindings


def stars(count: int, total: int = 3) -> str:
    return "★" * count + "☆" * (total - count)


class ScenarioBrowser(Screen):
    """Choose a scenario; Enter opens its briefing."""

    CSS_PATH = "../styles/browser.tcss"
    COMMAND_CONTEXT = "browser"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def compose(self) -> ComposeResult:
        with Horizontal(id="browser"):
            yield OptionList(id="scenarios")
            with VerticalScroll(id="details"):
                yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.fill()

    def fill(self) -> None:
        options = self.query_one("#scenarios", OptionList)
        options.clear_options()
        for index, entry in enumerate(self.app.catalog):
            options.add_option(Option(self.label(entry), id=str(index)))
        options.highlighted = 0 if self.app.catalog else None
        options.focus()
        self.show(0)

    def label(self, entry: ScenarioEntry) -> Content:
        if not entry.ok:
            return Content.assemble(
                ("⚠ ", role_style("bad", "bold")), (entry.path.name, ""), (" (broken)", "dim")
            )
        meta = entry.scenario.meta
        if not self.app.is_unlocked(entry):
            return Content.assemble(("  ", ""), (meta.title, "dim"), ("  locked", "dim italic"))
        best = self.app.controller.progress.best_stars(entry.id)
        return Content.assemble(
            (f"{stars(best)} ", role_style("warning")),
            (meta.title, "bold"),
            (f"  {meta.difficulty}", "dim"),
        )

    def show(self, index: int | None) -> None:
        detail = self.query_one("#detail", Static)
        if index is None or index >= len(self.app.catalog):
            detail.update(f"No scenarios found. Put your own in {user_scenario_dir()}.")
            return
        entry = self.app.catalog[index]
        if not entry.ok:
            detail.update(
                Content.assemble(
                    (f"{entry.path}\n\n", "bold"),
                    ("This scenario cannot be loaded:\n\n", role_style("bad")),
                    "\n".join(entry.problems),
                    ("\n\nFix the file and press r to reload.", "dim"),
                )
            )
            return
        meta = entry.scenario.meta
        where = "built-in" if entry.builtin else str(entry.path)
        parts = [
            (f"{meta.title}\n", "bold"),
            (f"{meta.difficulty} · {meta.quarters} quarters · {where}\n\n", "dim"),
            (meta.summary + "\n", ""),
        ]
        if not self.app.is_unlocked(entry):
            parts.append(
                (
                    "\nLocked: finish the previous scenario of the campaign first "
                    "(or start with --unlock-all).",
                    "italic",
                )
            )
        else:
            best = self.app.controller.progress.best_stars(entry.id)
            scores = self.app.controller.progress.high_scores(entry.id)
            if scores:
                parts.append((f"\nBest: {stars(best)}  score {scores[0].score:.0f}", ""))
        detail.update(Content.assemble(*parts))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(int(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        entry = self.app.catalog[int(event.option.id)]
        if not entry.ok:
            self.notify("This scenario has problems; see the list on the right.", severity="error")
        elif not self.app.is_unlocked(entry):
            self.notify("Locked: finish the previous scenario first.", severity="warning")
        else:
            from game.screens.briefing import BriefingScreen

            self.app.push_screen(BriefingScreen(entry, seed=self.app.start_seed))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        options = self.query_one("#scenarios", OptionList)
        kept = options.highlighted
        self.app.reload_catalog()
        self.fill()
        if kept is not None and kept < options.option_count:
            options.highlighted = kept
            self.show(kept)
        self.notify("Scenario files reloaded.")
