"""The debrief's "What if" pane: the player's decisions ranked by what each did to the
final score, from replays of the same game with one thing changed (``engine.whatif``).

Exact single-run effects come first; then, with a progress bar, each comparison is run
again over many worlds with other luck and the same choices, and the rows gain a range
and a verdict ("in 9 of 10 worlds this helped" or "this was luck"). The pane is usable
throughout; its worker is cancelled if the player leaves the debrief.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from engine.formatting import format_change
from engine.presentation import METRIC_PRESENTATION, change_role
from engine.session import GameSession
from game.colour_roles import role_style

if TYPE_CHECKING:  # engine.whatif is only imported by the worker, when it runs
    from engine.whatif import Effect, Spread

WHATIF_WORKER = "whatif"
SPREAD_RUNS = 200
PROGRESS_EVERY = 0.5  # seconds between two showings of the what-ifs' progress
SIDE_METRICS = ("logo_retention", "revenue_retention", "dark_share", "engagement")
DECISION_KINDS = ("drop", "answer")  # alternatives that undo one of the player's decisions
BAR = 12  # cells of the longest score bar
RELIABLE = 0.8  # helped in at least 8 of 10 worlds (or at most 2): not luck


def points(value: float) -> str:
    """A score effect: "+7.2", "-4.1", "0.0"."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def worlds(spread: Spread) -> Content:
    """Whether an effect is reliable or luck, in words a facilitator can read out."""
    out_of_ten = round(spread.helped_share * 10)
    if spread.helped_share >= RELIABLE:
        words = Content.styled(
            f"reliable: in {out_of_ten} of 10 worlds this helped", "bold $success"
        )
    elif spread.helped_share <= 1 - RELIABLE:
        words = Content.styled(
            f"reliably worse: it helped in only {out_of_ten} of 10 worlds", "bold $error"
        )
    else:
        words = Content.styled(
            f"this was luck: it helped in only {out_of_ten} of 10 worlds", "bold $warning"
        )
    low, high = points(spread.p05["score"]), points(spread.p95["score"])
    return Content.assemble(
        words, (f"  (5–95%: {low} to {high} points over {spread.runs} runs)", "$foreground-muted")
    )


def side_effects(effect: Effect) -> Content:
    """The other figures' effects, coloured by whether the change is good."""
    parts: list[str | tuple[str, str]] = []
    for name in SIDE_METRICS:
        shown = METRIC_PRESENTATION[name]
        value = effect.exact[name]
        parts.append(f"{shown.label.lower()} ")
        parts.append(
            (format_change(value, shown.format), role_style(change_role(shown.good, value)))
        )
        parts.append(" · ")
    return Content.assemble(*parts[:-1])


def effect_gutter(rank: int, effect: Effect, largest: float) -> Content:
    """The left of a row: rank, the score effect as a signed number, and a bar."""
    score = effect.exact["score"]
    role = "good" if score > 0 else "bad" if score < 0 else "neutral"
    arrow = "▲" if score > 0 else "▼" if score < 0 else "•"
    filled = round(abs(score) / largest * BAR) if largest > 0 else 0
    return Content.assemble(
        (f"{rank:>2} ", "$foreground-muted"),
        (f"{arrow} {points(score):>6} points", role_style(role, "bold")),
        "\n   ",
        ("█" * filled, role_style(role)),
        ("░" * (BAR - filled), "$foreground-muted"),
    )


def effect_body(effect: Effect) -> Content:
    """The right of a row: what was changed, the other effects, the range once known."""
    spread = (
        worlds(effect.spread)
        if effect.spread is not None
        else Content.styled("range: being checked…", "italic $foreground-muted")
    )
    return Content.assemble(
        ("vs ", "$foreground-muted"),
        (effect.alternative.label, "bold"),
        "\n",
        side_effects(effect),
        "\n",
        spread,
    )


def best_and_costliest(effects: Sequence[Effect]) -> Content:
    """The player's best and costliest decisions: the alternatives that undo one of
    them and would have scored least and most."""
    decisions = [e for e in effects if e.alternative.kind in DECISION_KINDS]
    best = max(decisions, key=lambda e: e.exact["score"], default=None)
    worst = min(decisions, key=lambda e: e.exact["score"], default=None)
    parts: list[str | Content | tuple[str, str]] = []
    if best is not None and best.exact["score"] > 0:
        parts += [
            ("Your best decision: ", "bold $success"),
            f"against “{best.alternative.label}”, your game scored ",
            (f"{best.exact['score']:.1f} points more", "bold"),
            ".",
        ]
    else:
        parts.append("None of your decisions gained points in this game.")
    parts.append("\n")
    if worst is not None and worst.exact["score"] < 0:
        parts += [
            ("Your costliest decision: ", "bold $error"),
            f"against “{worst.alternative.label}”, your game scored ",
            (f"{-worst.exact['score']:.1f} points less", "bold"),
            ".",
        ]
    else:
        parts.append("None of your decisions cost points in this game.")
    return Content.assemble(*parts)


# A metric's difference can be negative and good (less dark share), so only the
# score's sign is said to mean "helped".
INTRO = (
    "Your game replayed with one decision changed, the same seed and everything else"
    " identical. Each number is your game minus the changed one: positive points of score"
    " mean your decision helped. Largest effect on the final score first."
)


class WhatIfPanel(VerticalScroll):
    """Attributes down: the session; ``start()`` computes the what-ifs in a worker."""

    DEFAULT_CSS = """
    WhatIfPanel #whatif-progress {
        height: 1;
        margin: 1 0 0 0;
    }
    WhatIfPanel #whatif-best, WhatIfPanel #whatif-rows {
        margin: 1 0 0 0;
        height: auto;
    }
    WhatIfPanel .whatif-row {
        height: auto;
        margin: 0 0 1 0;
    }
    WhatIfPanel .whatif-gutter {
        width: 24;
    }
    WhatIfPanel .whatif-body {
        width: 1fr;
    }
    """

    def __init__(self, session: GameSession, *, id: str | None = None, classes: str = ""):
        super().__init__(id=id, classes=classes)
        self.session = session
        self.started = False
        self._shown_alternatives: list = []  # the alternatives of the rows on screen, in order
        self._counting = False  # whether the status line shows the spreads' count
        self.effects: list[Effect] = []  # as shown: exact first, then with their ranges
        self.ranged = False  # whether every shown effect has its range

    def compose(self) -> ComposeResult:
        yield Static(INTRO, classes="muted")
        yield Static("Replaying your game…", id="whatif-status")
        yield ProgressBar(show_eta=False, id="whatif-progress")
        yield Static(id="whatif-best")
        yield Vertical(id="whatif-rows")

    def start(self) -> None:
        """Compute the what-ifs, once (later calls do nothing)."""
        if not self.started:
            self.started = True
            self.compute()

    @work(thread=True, exclusive=True, group=WHATIF_WORKER, exit_on_error=False)
    def compute(self) -> None:
        """Exact effects, shown at once; then their ranges, with progress."""
        from engine import whatif  # the what-if engine, only when asked for

        worker = get_current_worker()
        session = self.session

        def exact_known(effects: list[Effect]) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show_effects, whatif.ranked(effects), False)

        shown = [0.0]  # when progress was last shown

        def progress(done: int, total: int) -> None:
            # A few times a second is enough to see it move; each showing costs the
            # UI a layout of the whole pane, time the what-ifs would otherwise have.
            now = time.monotonic()
            if worker.is_cancelled or (done < total and now - shown[0] < PROGRESS_EVERY):
                return
            shown[0] = now
            self.app.call_from_thread(self.show_progress, done, total)

        ranged = whatif.measured_effects(
            session,
            whatif.alternatives(session),
            runs=SPREAD_RUNS,
            exact_known=exact_known,
            progress=progress,
            cancelled=lambda: worker.is_cancelled,
        )
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_effects, whatif.ranked(ranged), True)

    def show_progress(self, done: int, total: int) -> None:
        self.query_one("#whatif-progress", ProgressBar).update(total=total, progress=done)
        status = self.query_one("#whatif-status", Static)
        # Only the count changes from one showing to the next (not the line's height):
        # no new layout of the whole debrief for it, which would take the workers' CPU.
        status.update(
            f"Checking each effect over {SPREAD_RUNS} worlds with other luck and your "
            f"choices: {done} of {total}…",
            layout=not self._counting,  # the first showing may change its height
        )
        self._counting = True

    def show_effects(self, effects: Sequence[Effect], ranged: bool) -> None:
        self.effects, self.ranged = list(effects), ranged
        status = self.query_one("#whatif-status", Static)
        bar = self.query_one("#whatif-progress", ProgressBar)
        if ranged:
            bar.update(total=max(len(effects), 1), progress=max(len(effects), 1))
            status.update(
                f"Every effect checked over {SPREAD_RUNS} worlds with other luck and your choices."
            )
        elif not effects:
            bar.update(total=1, progress=1)
            status.update("Nothing to compare: no decision was taken in this game.")
        else:
            status.update("Exact effects in this game; checking them over other worlds…")
        self.query_one("#whatif-best", Static).update(best_and_costliest(effects))
        largest = max((abs(e.exact["score"]) for e in effects), default=0.0)
        rows = self.query_one("#whatif-rows", Vertical)
        shown = list(rows.query_children(".whatif-row"))
        if [e.alternative for e in effects] == self._shown_alternatives and shown:
            # The ranges for the rows already there (the same order: by exact effect):
            # new words in the same widgets, rather than every row built again.
            for rank, (row, effect) in enumerate(zip(shown, effects, strict=True), start=1):
                gutter, body = row.query_children(Static)
                gutter.update(effect_gutter(rank, effect, largest))
                body.update(effect_body(effect))
            return
        self._shown_alternatives = [e.alternative for e in effects]
        rows.remove_children()
        rows.mount_all(
            Horizontal(
                Static(effect_gutter(rank, effect, largest), classes="whatif-gutter"),
                Static(effect_body(effect), classes="whatif-body"),
                classes="whatif-row",
            )
            for rank, effect in enumerate(effects, start=1)
        )

    def rows_text(self) -> str:
        """The rows as plain text, one line per row part (for tests and screen readers)."""
        return "\n".join(str(part.content) for part in self.query(".whatif-row Static"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == WHATIF_WORKER and event.state == WorkerState.ERROR:
            self.query_one("#whatif-status", Static).update(
                Content.styled(
                    f"The what-ifs could not be computed: {event.worker.error}", "$error"
                )
            )
