"""The player's profile: per scenario, stars, high scores and achievements."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from engine.catalog import ScenarioEntry
from engine.progress import HighScore
from game.commands import bindings


def star_text(count: int, total: int = 3) -> str:
    return "★" * count + "☆" * (total - count)


def local_date(stamp: str) -> str:
    """``2025-03-01T12:00:00+00:00`` -> the player's local date, ``2025-03-01``."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d")
    except ValueError:
        return stamp[:10]


def fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def score_table(scores: list[HighScore], width: int) -> Content:
    """The high-score table, best first, laid out for ``width`` cells: player names are
    cut short, and the gaps and then the date give way before a row would wrap."""
    if not scores:
        return Content.styled("No finished games yet.", "$foreground-muted")
    seed_width = max(4, *(len(str(row.seed)) for row in scores))
    name_width = max(6, *(len(row.player) for row in scores))
    for gap, dated in ((2, True), (1, True), (1, False)):
        fixed = 2 + 5 + 5 + seed_width + (10 if dated else 0) + gap * (5 if dated else 4)
        player_width = min(name_width, width - fixed)
        if player_width >= 8 or player_width == name_width:
            break
    player_width = max(player_width, 4)
    space = " " * gap

    def line(*cells: str) -> str:
        return space.join(cells if dated else cells[:-1])

    header = line(
        " #", "Score", "Stars", f"{'Seed':>{seed_width}}", f"{'Player':<{player_width}}", "Date"
    )
    parts: list[str | tuple[str, str]] = [(header.rstrip() + "\n", "bold")]
    for place, row in enumerate(scores, start=1):
        before = space.join([f"{place:>2}", f"{row.score:>5.0f}", ""])
        after = line(
            "",
            f"{row.seed:>{seed_width}}",
            f"{fit(row.player or '-', player_width):<{player_width}}",
            local_date(row.date),
        )
        parts += [before, (star_text(row.stars), "$accent"), "  " + after.rstrip() + "\n"]
    return Content.assemble(*parts).rstrip()


class ProfileScreen(Screen):
    """Choose a scenario on the left; its record shows on the right. Escape returns."""

    CSS_PATH = "../styles/profile.tcss"
    COMMAND_CONTEXT = "profile"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self) -> None:
        super().__init__()
        self.shown: ScenarioEntry | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="profile-summary")
        with Horizontal(id="profile"):
            yield OptionList(id="profile-scenarios")
            with VerticalScroll(id="profile-details"):
                yield Static(id="profile-head")
                yield Static("High scores", classes="profile-heading")
                yield Static(id="profile-scores")
                yield Static(id="profile-achievements-title", classes="profile-heading")
                yield Vertical(id="profile-achievements")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#profile-scenarios").border_title = "Scenarios"
        self.query_one("#profile-details").border_title = "Record"
        self.query_one("#profile-summary", Static).update(self.summary())
        options = self.query_one("#profile-scenarios", OptionList)
        for index, entry in enumerate(self.app.catalog):
            options.add_option(Option(self.label(entry), id=str(index)))
        options.focus()
        if self.app.catalog:
            options.highlighted = 0
        else:
            self.query_one("#profile-head", Static).update("No scenarios found.")

    # --- text -----------------------------------------------------------------------------
    def summary(self) -> Content:
        progress = self.app.controller.progress
        playable = [e for e in self.app.catalog if e.ok]
        campaign = [e for e in playable if e.builtin and e.campaign_order is not None]
        finished = sum(progress.finished(e.id) for e in campaign)
        stars = sum(progress.best_stars(e.id) for e in playable)
        available = sum(len(e.scenario.achievements) for e in playable)
        earned = sum(len(self.earned(e)) for e in playable)
        return Content.assemble(
            ("Your record", "bold $primary"),
            f"   campaign {finished} of {len(campaign)} finished · ",
            (f"{stars} of {3 * len(playable)} ★", "$accent"),
            f" · achievements {earned} of {available}",
        )

    def label(self, entry: ScenarioEntry) -> Content:
        if not entry.ok:
            return Content.assemble(("⚠ ", "$error"), entry.path.name, (" broken", "italic"))
        if not self.app.is_unlocked(entry):
            return Content.assemble(("    ", ""), (entry.title, "$foreground-muted"), " locked")
        finished = self.app.controller.progress.finished(entry.id)
        return Content.assemble(
            (star_text(self.app.controller.progress.best_stars(entry.id)), "$accent"),
            " ",
            (entry.title, "bold" if finished else ""),
        )

    def earned(self, entry: ScenarioEntry) -> dict[str, str]:
        """Achievements of this scenario the player has earned: id -> date."""
        ids = {a.id for a in entry.scenario.achievements} if entry.scenario else set()
        return {
            k: v for k, v in self.app.controller.progress.achievements(entry.id).items() if k in ids
        }

    def status(self, entry: ScenarioEntry) -> Content:
        progress = self.app.controller.progress
        if not entry.ok:
            return Content.styled("This scenario cannot be loaded; see the scenario browser.")
        if not self.app.is_unlocked(entry):
            before = self.previous(entry)
            what = f"finish {before.title} first" if before else "finish the one before"
            return Content.assemble(("Locked", "bold"), f": {what}.")
        if progress.finished(entry.id):
            return Content.assemble(
                ("Finished", "bold"),
                " · best ",
                (star_text(progress.best_stars(entry.id)), "$accent"),
            )
        return Content.assemble(("Not finished yet", "bold"), " · no stars so far")

    def previous(self, entry: ScenarioEntry) -> ScenarioEntry | None:
        """The campaign scenario that opens this one."""
        order = entry.campaign_order
        earlier = [
            e
            for e in self.app.catalog
            if e.campaign_order is not None and order is not None and e.campaign_order < order
        ]
        return max(earlier, key=lambda e: e.campaign_order, default=None)

    # --- showing --------------------------------------------------------------------------
    async def show(self, entry: ScenarioEntry) -> None:
        meta = entry.scenario.meta if entry.scenario else None
        where = (
            f"campaign, part {meta.campaign_order}"
            if meta and entry.campaign_order is not None
            else "built-in"
            if entry.builtin
            else str(entry.path)
        )
        about = f"{meta.difficulty} · {meta.quarters} quarters · {where}" if meta else where
        self.query_one("#profile-head", Static).update(
            Content.assemble(
                (entry.title, "bold"),
                "\n",
                (about, "$foreground-muted"),
                "\n\n",
                self.status(entry),
            )
        )
        self.shown = entry
        self.show_scores()
        await self.show_achievements(entry)

    def show_scores(self) -> None:
        """Lay the high-score table out for the panel's current width."""
        scores = self.query_one("#profile-scores", Static)
        if self.shown is None:
            return
        if not scores.content_size.width:
            self.call_after_refresh(self.show_scores)  # not laid out yet
            return
        table = score_table(
            self.app.controller.progress.high_scores(self.shown.id), scores.content_size.width
        )
        scores.update(table)

    def on_resize(self) -> None:
        self.show_scores()

    async def show_achievements(self, entry: ScenarioEntry) -> None:
        achievements = entry.scenario.achievements if entry.scenario else []
        earned = self.earned(entry)
        self.query_one("#profile-achievements-title", Static).update(
            f"Achievements: {len(earned)} of {len(achievements)}" if entry.ok else "Achievements"
        )
        box = self.query_one("#profile-achievements", Vertical)
        await box.remove_children()
        widgets: list[Static] = []
        if not entry.ok:
            widgets.append(Static("Unknown until the file loads.", classes="unearned"))
        for achievement in achievements:
            date = earned.get(achievement.id)
            if date is None:
                title = Content.assemble("☆ ", achievement.title, ("  not yet", "italic"))
                classes = "unearned"
            else:
                title = Content.assemble(
                    ("★ ", "$accent"),
                    (achievement.title, "bold"),
                    (f"  earned {local_date(date)}", "$foreground-muted"),
                )
                classes = "earned"
            widgets += [
                Static(title, classes=f"achievement-title {classes}"),
                Static(Content(achievement.text.strip()), classes=f"achievement-text {classes}"),
            ]
        if entry.ok and not achievements:
            widgets.append(Static("This scenario has no achievements.", classes="unearned"))
        await box.mount_all(widgets)

    # --- events and actions ---------------------------------------------------------------
    async def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        await self.show(self.app.catalog[int(event.option.id)])

    def on_option_list_option_selected(self) -> None:
        # Enter moves to the record so a long one can be scrolled with the keyboard.
        self.query_one("#profile-details").focus()

    def action_back(self) -> None:
        self.dismiss()
