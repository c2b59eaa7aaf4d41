"""The debrief: the appraisal, the charts, what was really going on, the turning points,
the lessons, the achievements and what would have happened otherwise (what if) of a
finished game, one tab each."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from engine.debrief import MIN_POINTS, Debrief, DecisionsTaken, debrief
from engine.formatting import format_value
from engine.presentation import DRIVER_PRESENTATION
from engine.session import GameSession
from game.colour_roles import role_style
from game.commands import bindings
from game.widgets.bullet_list import BulletList
from game.widgets.metric_chart import MetricChart
from game.widgets.whatif_panel import WhatIfPanel

# (pane id, tab label), in tab order; keys 1-7 open them.
TABS = (
    ("summary", "Summary"),
    ("charts", "Charts"),
    ("truth", "The truth"),
    ("turns", "Turning points"),
    ("lessons", "Lessons"),
    ("achievements", "Achievements"),
    ("whatif", "What if"),
)
BAR = 20
Parts = list[str | Content | tuple[str, str]]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def stars(earned: int) -> tuple[str, str]:
    return ("★" * earned + "☆" * (3 - earned), "$warning")


class DebriefScreen(Screen):
    """Seven tabs: n and p, the arrows or 1-7 switch; m or Escape returns to the menu; a
    plays the same scenario and seed again. The what-ifs are computed when their tab is
    first shown."""

    CSS_PATH = "../styles/debrief.tcss"
    COMMAND_CONTEXT = "debrief"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, session: GameSession, note: str = ""):
        super().__init__()
        self.session = session
        self.note = note  # a sentence above the score: why the game ended where it did
        self.debrief: Debrief = debrief(session)

    # --- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        d = self.debrief
        yield Static(
            Content.assemble(
                ("Debrief", "bold $primary"),
                f"  ·  {d.scenario_title}  ·  {d.company}  ·  seed {d.seed}",
                f"  ·  team {d.player}" if d.player else "",
            ),
            id="debrief-title",
        )
        with TabbedContent(id="debrief-tabs"):
            with TabPane(TABS[0][1], id="summary"), VerticalScroll(classes="pane"):
                yield from self.summary()
            with TabPane(TABS[1][1], id="charts"), Horizontal(id="debrief-charts"):
                yield OptionList(
                    *(Option(chart.title, id=chart.id) for chart in d.charts),
                    id="debrief-chart-list",
                )
                with Vertical(id="debrief-chart-panel"):
                    yield MetricChart(
                        quarters=d.quarters,
                        currency=d.currency,
                        reveal=True,
                        id="debrief-chart",
                    )
                    yield Static(id="debrief-chart-about")
            with TabPane(TABS[2][1], id="truth"), VerticalScroll(classes="pane"):
                yield from self.truth()
            with TabPane(TABS[3][1], id="turns"), VerticalScroll(classes="pane"):
                yield from self.turning_points()
            with TabPane(TABS[4][1], id="lessons"), VerticalScroll(classes="pane"):
                yield from self.lessons()
            with TabPane(TABS[5][1], id="achievements"), VerticalScroll(classes="pane"):
                yield from self.achievements()
            with TabPane(TABS[6][1], id="whatif"):
                yield WhatIfPanel(self.session, classes="pane")
        yield Footer()

    def on_mount(self) -> None:
        chart_list = self.query_one("#debrief-chart-list", OptionList)
        chart_list.border_title = "Metric"
        chart_list.highlighted = 0
        self.query_one("#debrief-chart", MetricChart).marks = tuple(
            (point.quarter, point.better) for point in self.debrief.turning_points
        )
        self.show_chart(0)
        self.focus_pane("summary")

    # --- tabs -------------------------------------------------------------------------------
    def focus_pane(self, pane: str) -> None:
        """Give the keyboard to the pane's content, so arrows scroll or choose."""
        target = (
            self.query_one("#debrief-chart-list")
            if pane == "charts"
            else self.query_one(f"#{pane} .pane")
        )
        target.focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "whatif":
            self.query_one(WhatIfPanel).start()

    def action_show_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        self.focus_pane(pane)

    def _step_tab(self, step: int) -> None:
        panes = [pane for pane, _ in TABS]
        current = panes.index(self.query_one(TabbedContent).active)
        self.action_show_tab(panes[(current + step) % len(panes)])

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    # --- summary ----------------------------------------------------------------------------
    def summary(self) -> ComposeResult:
        d = self.debrief
        if self.note:
            yield Static(self.note, id="summary-note", classes="block")
        parts: Parts = [
            ("Score ", "bold"),
            (f"{d.score:.0f}", "bold $primary"),
            " / 100   ",
            stars(d.stars),
            "   ",
            ("Grade ", "bold"),
            (d.grade, "bold $primary"),
            ("  " + d.standing, "italic"),
            "\n",
            (
                "Stars at "
                + " · ".join(f"{'★' * (i + 1)} {t:g}" for i, t in enumerate(d.star_thresholds)),
                "$foreground-muted",
            ),
        ]
        if d.high_score_news:
            parts.append((f"\n{d.high_score_news}", "$success"))
        yield Static(Content.assemble(*parts), id="summary-score")
        yield Static(d.verdict, id="summary-verdict", classes="block")
        if d.goals:
            yield Static(f"Goals: {d.goals_met} of {len(d.goals)} met", classes="heading")
            yield BulletList(
                [
                    (
                        Content.styled("✓", "bold $success")
                        if goal.met
                        else Content.styled("✗", "bold $error"),
                        Content.assemble(
                            goal.text, "\n", (goal.describe(d.currency), "$foreground-muted")
                        ),
                    )
                    for goal in d.goals
                ],
                id="summary-goals",
            )
        else:
            yield Static("This scenario sets no goals beyond the score.", classes="muted")
        total = sum(count for _, count in d.losses)
        if total:
            yield Static(f"Why the {total:,} customers who left went", classes="heading")
            width = max(len(DRIVER_PRESENTATION[name].label) for name, _ in d.losses)
            bars: Parts = []
            for name, count in d.losses:
                driver = DRIVER_PRESENTATION[name]
                filled = round(count / total * BAR)
                bars.append(f"{driver.label:<{width}} ")
                bars.append(("█" * filled, role_style(driver.colour_role)))
                bars.append(("░" * (BAR - filled), "$foreground-muted"))
                bars.append(f" {count / total:4.0%}\n")
            yield Static(Content.assemble(*bars).rstrip(), id="summary-losses")
        capabilities = self.app.controller.capabilities
        again = " · a plays again" if capabilities.can_play_again else ""
        menu = " · m returns to the menu" if capabilities.has_main_menu else ""
        yield Static(f"n, p, ←→ or 1-7 switch tabs{again}{menu}", classes="muted block")

    # --- charts -----------------------------------------------------------------------------
    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "debrief-chart-list":
            self.show_chart(event.option_index)

    def show_chart(self, index: int) -> None:
        chart = self.debrief.charts[index]
        self.query_one("#debrief-chart", MetricChart).chart = chart
        self.query_one("#debrief-chart-panel").border_title = chart.title
        hidden = [line.label for line in chart.lines if line.figure.ever_hidden]
        about: Parts = [chart.about]
        if hidden:
            about.append((f" ◌ hidden from you during play: {', '.join(hidden)}.", "italic"))
        self.query_one("#debrief-chart-about", Static).update(Content.assemble(*about))

    # --- really going on --------------------------------------------------------------------
    def truth(self) -> ComposeResult:
        yield Static("What the dashboard did not tell you", classes="heading")
        yield BulletList(
            [(Content.styled("•", "$primary"), finding) for finding in self.debrief.findings],
            id="truth-findings",
        )
        yield Static(self.table(), id="truth-table")
        yield Static(
            "◌ hidden from you at the time: your data was not credible enough to show it.",
            id="truth-legend",
            classes="muted",
        )

    def table(self) -> Content:
        """Quarters down, figures across; what the company could not see is marked ◌."""
        d = self.debrief
        quarters = range(d.quarters + 1)
        columns = [
            ("Quarter", ["start" if q == 0 else f"Q{q}" for q in quarters], [True] * len(quarters))
        ]
        for fig in d.truth:
            cells = [format_value(float(fig.values[q]), fig.unit, d.currency) for q in quarters]
            seen = [bool(fig.seen[q]) for q in quarters]
            cells = [
                cell if visible else cell + "◌" for cell, visible in zip(cells, seen, strict=True)
            ]
            columns.append((fig.label, cells, seen))
        widths = [
            max(len(label), *(len(cell) for cell in cells)) + 2 for label, cells, _ in columns
        ]
        parts: Parts = [
            (
                "".join(
                    f"{label:<{width}}"
                    for (label, _, _), width in zip(columns, widths, strict=True)
                ),
                "bold $primary",
            ),
            "\n",
        ]
        for q in quarters:
            for (_, cells, seen), width in zip(columns, widths, strict=True):
                text = f"{cells[q]:<{width}}"
                parts.append(text if seen[q] else (text, "$foreground-muted"))
            parts.append("\n")
        return Content.assemble(*parts).rstrip()

    # --- turning points ---------------------------------------------------------------------
    def turning_points(self) -> ComposeResult:
        yield Static(
            "The quarters whose decisions moved the final score most: the game replayed "
            "with the same luck, that quarter's decisions undone.",
            classes="muted",
        )
        if not self.debrief.turning_points:
            yield Static(
                "No quarter stood out: no quarter's decisions moved the final score by "
                f"{MIN_POINTS:.0f} points or more.",
                classes="block",
            )
        for point in self.debrief.turning_points:
            arrow, style = ("▲ ", "bold $success") if point.better else ("▼ ", "bold $error")
            yield Static(Content.styled(arrow + point.title, style), classes="heading")
            yield Static(point.because, classes="indented")
            yield BulletList(
                [
                    (Content.styled(f"Q{taken.quarter}", "bold $primary"), self.taken(taken))
                    for taken in point.taken
                ],
                classes="indented",
            )
            yield Static("What moved", classes="subheading indented")
            yield BulletList(
                [(Content.styled("•", "$primary"), move) for move in point.moves],
                classes="indented",
            )

    @staticmethod
    def taken(taken: DecisionsTaken) -> Content:
        lines: list[Parts] = []
        if taken.adopted:
            lines.append(["Adopted ", (", ".join(taken.adopted), "bold")])
        for title, choice in taken.choices:
            lines.append([f"{title} → ", (choice, "bold")])
        for title in taken.events:
            lines.append([("Event: ", "$foreground-muted"), title])
        if not lines:
            lines.append([("Nothing adopted, no dilemma.", "$foreground-muted")])
        parts: Parts = []
        for index, line in enumerate(lines):
            parts.extend(["\n" if index else "", *line])
        return Content.assemble(*parts)

    # --- lessons and achievements -----------------------------------------------------------
    def lessons(self) -> ComposeResult:
        lessons = self.debrief.lessons
        if not lessons:
            yield Static("This scenario has no lessons for the debrief.", classes="muted")
            return
        applied = [lesson for lesson in lessons if lesson.applies]
        yield Static(
            f"{len(applied)} of {len(lessons)} lessons apply to your game", classes="heading"
        )
        for lesson in applied:
            yield Static(Content.styled("■ " + lesson.title, "bold $primary"), classes="heading")
            yield Static(lesson.text, classes="indented")
            why = lesson.evidence or "it holds in every game of this scenario"
            yield Static(f"Why it applies: {why}.", classes="muted indented")
        others = [lesson for lesson in lessons if not lesson.applies]
        if others:
            yield Static("Not this time", classes="heading")
            yield BulletList(
                [
                    (
                        Content.styled("□", "$foreground-muted"),
                        Content.assemble(
                            lesson.title, (f": {lesson.evidence}.", "$foreground-muted")
                        ),
                    )
                    for lesson in others
                ]
            )

    def achievements(self) -> ComposeResult:
        achievements = self.debrief.achievements
        if not achievements:
            yield Static("This scenario has no achievements.", classes="muted")
            return
        earned = sum(a.earned for a in achievements)
        yield Static(f"Earned {earned} of {len(achievements)}", classes="heading")
        items = []
        for a in achievements:
            if a.earned:
                when = f" (quarter {a.quarter})" if a.quarter else ""
                items.append(
                    (
                        Content.styled("★", "$warning"),
                        Content.assemble((a.title, "bold"), when, "\n", a.text),
                    )
                )
            else:
                items.append(
                    (
                        Content.styled("☆", "$foreground-muted"),
                        Content.styled(f"{a.title}\n{a.text}", "$foreground-muted"),
                    )
                )
        yield BulletList(items, id="achievement-list")

    # --- commands ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        capabilities = self.app.controller.capabilities
        if action == "play_again":  # a group session's game is played once, in step
            return capabilities.can_play_again
        if action == "menu":  # a group session's team app has no menu (Ctrl+Q leaves)
            return capabilities.has_main_menu
        return True

    def action_menu(self) -> None:
        self.app.action_quit_to_menu()

    def action_play_again(self) -> None:
        """The same scenario and seed again, from its first quarter."""
        scenario = self.session.scenario
        entries = [entry for entry in self.app.catalog if entry.ok]
        entry = next((e for e in entries if e.scenario == scenario), None) or next(
            (e for e in entries if e.id == scenario.meta.id), None
        )
        if entry is None:
            self.notify(
                f"The scenario '{scenario.meta.id}' is no longer in the catalogue.",
                severity="error",
            )
            return
        self.app.controller.start(entry, self.session.seed, self.session.player)
