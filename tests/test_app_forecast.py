"""The picker's forecast (Pilot): it appears, follows the selection, says only what the
forecast computed, and can be turned off by the scenario or the facilitator."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from conftest import minimal_table
from pilot_helpers import SIZE, open_picker, toggle, wait_for_forecast, wait_for_screen

from engine.forecast import forecast
from game.app import GoingDarkApp
from game.cli import main as cli_main
from game.screens.briefing import BriefingScreen
from game.screens.interventions import InterventionPicker
from game.widgets.forecast_panel import ForecastPanel


def shown(picker: InterventionPicker) -> str:
    """The forecast panel's words, as plain text."""
    return str(picker.query_one(ForecastPanel).render())


async def begin(pilot) -> InterventionPicker:
    await wait_for_screen(pilot, BriefingScreen)
    await pilot.press("enter")
    return await open_picker(pilot)


async def test_the_forecast_appears_and_follows_the_selection() -> None:
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        picker = await begin(pilot)
        panel = picker.query_one(ForecastPanel)
        assert panel.display
        await wait_for_forecast(pilot, picker)
        assert picker.forecast_shown == ()
        assert "Nothing chosen: the game if you do nothing from now on" in shown(picker)
        first = panel.forecast

        await toggle(pilot, picker, ["call-round"])
        assert "forecasting…" in shown(picker)  # until the debounce and the worker are done
        await wait_for_forecast(pilot, picker)
        assert picker.forecast_shown == ("call-round",)
        assert panel.forecast is not first

        # Every figure said is the forecast's own, computed again here independently.
        session = app.controller.session
        expected = forecast(session, ["call-round"], {})
        chance = round(expected.beats_nothing * 100)
        text = shown(picker)
        assert f"This plan beats doing nothing in {chance}% of {expected.runs} forecasts." in text
        logos = expected.plan["logo_retention"]
        assert f"Logo retention Q4: {logos.p50[-1]:.0%}" in text
        assert f"vs {expected.nothing['logo_retention'].p50[-1]:.0%}" in text
        # The first-quarter score weighs thrill, hidden at the start: an estimate.
        assert "Score (estimate) Q4:" in text and "the model's estimate" in text


async def test_a_quick_change_forecasts_only_the_last_selection() -> None:
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        picker = await begin(pilot)
        await toggle(pilot, picker, ["call-round", "tech-training"])
        await toggle(pilot, picker, ["call-round"])
        await wait_for_forecast(pilot, picker)
        assert picker.forecast_shown == ("tech-training",)


async def test_no_forecast_over_budget() -> None:
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        picker = await begin(pilot)
        await toggle(pilot, picker, ["call-round"])
        await wait_for_forecast(pilot, picker)
        assert "Logo retention" in shown(picker)  # an affordable plan's chart
        ids = [i.id for i in picker.session.scenario.interventions if i.id != "call-round"]
        await toggle(pilot, picker, ids)
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        assert "Over budget: no forecast until the plan fits the budget." in shown(picker)
        assert picker.forecast_shown is None
        # The earlier plan's chart is gone, not left beside the note.
        assert "Logo retention" not in shown(picker)


async def test_the_facilitator_turns_forecasts_off() -> None:
    app = GoingDarkApp(start="first-quarter", forecasts=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await begin(pilot)
        assert not app.controller.forecasts_enabled
        await toggle(pilot, picker, ["call-round"])
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        assert not picker.query_one(ForecastPanel).display
        assert picker.forecast_shown is None
        assert picker.query_one(ForecastPanel).forecast is None


async def test_the_scenario_turns_forecasts_off(tmp_path: Path) -> None:
    table = minimal_table()
    table["meta"]["forecasts"] = False
    path = tmp_path / "exam.toml"
    path.write_text(tomli_w.dumps(table), encoding="utf-8")
    app = GoingDarkApp(scenario_paths=[path], start="minimal")
    async with app.run_test(size=SIZE) as pilot:
        picker = await begin(pilot)
        assert not app.controller.forecasts_enabled
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        assert not picker.query_one(ForecastPanel).display
        assert picker.forecast_shown is None


def test_play_no_forecasts_reaches_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = []

    def fake_run(app: GoingDarkApp) -> int:
        opened.append(app.controller.forecasts)
        return 0

    monkeypatch.setattr(GoingDarkApp, "run", fake_run)
    assert cli_main(["play", "first-quarter", "--no-forecasts"]) == 0
    assert cli_main(["play", "first-quarter"]) == 0
    assert opened == [False, True]
