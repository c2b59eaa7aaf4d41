"""The debrief's "What if" tab (Pilot), against a stand-in for ``engine.whatif``: exact
rows first, then their ranges with a progress bar, every figure the effect's own."""

from __future__ import annotations

import threading

import pytest
from pilot_helpers import SIZE, TUTORIAL_PLAN, wait_for_screen
from textual.pilot import Pilot
from textual.widgets import ProgressBar, Static, TabbedContent
from whatif_standin import StandIn

from game.app import GoingDarkApp
from game.screens.briefing import BriefingScreen
from game.screens.dashboard import Dashboard
from game.screens.debrief import TABS, DebriefScreen
from game.widgets.whatif_panel import WhatIfPanel, points


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    fake = StandIn()
    fake.install(monkeypatch)
    return fake


async def finished_tutorial(pilot: Pilot) -> DebriefScreen:
    """Begin the tutorial, play its plan through the session and open the debrief."""
    await wait_for_screen(pilot, BriefingScreen)
    await pilot.press("enter")
    await wait_for_screen(pilot, Dashboard)
    session = pilot.app.controller.session
    for quarter in range(1, session.quarters + 1):
        interventions, answers = TUTORIAL_PLAN[quarter]
        session.play(interventions, answers)
    pilot.app.controller.finish()
    debrief = await wait_for_screen(pilot, DebriefScreen)
    await pilot.pause()
    return debrief


async def wait_until(pilot: Pilot, ready, rounds: int = 200) -> None:
    for _ in range(rounds):
        if ready():
            await pilot.pause()  # the rows mounted
            return
        await pilot.pause(0.02)
    raise AssertionError("the what-if view never got there")


def rows_text(panel: WhatIfPanel) -> str:
    return panel.rows_text()


async def test_exact_rows_first_then_ranges(standin: StandIn) -> None:
    standin.gate = threading.Event()
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        debrief = await finished_tutorial(pilot)
        panel = debrief.query_one(WhatIfPanel)
        assert not panel.started, "nothing is computed until the tab is opened"
        await pilot.press(str([pane for pane, _ in TABS].index("whatif") + 1))
        assert debrief.query_one(TabbedContent).active == "whatif"

        # The exact pass: every alternative, largest score effect first, no ranges yet.
        await wait_until(pilot, lambda: bool(panel.effects))
        session = app.controller.session
        expected = standin.ranked(standin.exact_effects(session, standin.alternatives(session)))
        assert [e.alternative.label for e in panel.effects] == [
            e.alternative.label for e in expected
        ]
        assert not panel.ranged
        text = rows_text(panel)
        assert text.count("range: being checked…") == len(expected)
        for effect in expected:
            assert f"{points(effect.exact['score']):>6} points" in text
            assert effect.alternative.label in text
        best = max(
            (e for e in expected if e.alternative.kind == "drop"),
            key=lambda e: e.exact["score"],
        )
        best_line = str(panel.query_one("#whatif-best", Static).content)
        assert (
            f"Your best decision: against “{best.alternative.label}”, your game scored "
            f"{best.exact['score']:.1f} points more." in best_line
        )
        await pilot.press("down")  # usable meanwhile: the pane scrolls, nothing waits
        rows_before = list(panel.query(".whatif-row"))

        # The ranged pass: each row gains its range and verdict; the bar finishes.
        standin.gate.set()
        await wait_until(pilot, lambda: panel.ranged)
        text = rows_text(panel)
        assert "being checked" not in text
        bar = panel.query_one("#whatif-progress", ProgressBar)
        assert bar.percentage == 1.0
        # The rows gained their ranges in place: the same widgets, not a new set.
        assert list(panel.query(".whatif-row")) == rows_before
        assert standin.progress_calls[-1] == (len(expected), len(expected))
        for effect in panel.effects:
            share = effect.spread.helped_share
            n = round(share * 10)
            if share >= 0.8:
                assert f"reliable: in {n} of 10 worlds this helped" in text
            elif share <= 0.2:
                assert f"reliably worse: it helped in only {n} of 10 worlds" in text
            else:
                assert f"this was luck: it helped in only {n} of 10 worlds" in text


async def test_leaving_the_debrief_cancels_the_what_ifs(standin: StandIn) -> None:
    standin.gate = threading.Event()
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        debrief = await finished_tutorial(pilot)
        panel = debrief.query_one(WhatIfPanel)
        await pilot.press("7")
        await wait_until(pilot, lambda: bool(panel.effects))
        worker = next(w for w in app.workers if w.group == "whatif")
        await pilot.press("m")
        await pilot.pause()
        assert worker.is_cancelled
        standin.gate.set()
        await app.workers.wait_for_complete()
        assert standin.progress_calls == [], "no ranged work after the player left"


async def test_a_failing_whatif_computation_is_said_on_the_tab(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from engine import whatif

    def fail(*_args, **_kwargs):
        raise RuntimeError("the replay broke")

    monkeypatch.setattr(whatif, "measured_effects", fail)
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        debrief = await finished_tutorial(pilot)
        panel = debrief.query_one(WhatIfPanel)
        await pilot.press("7")
        status = panel.query_one("#whatif-status", Static)
        await wait_until(pilot, lambda: "could not be computed" in str(status.content))
        assert "the replay broke" in str(status.content)
