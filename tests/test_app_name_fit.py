"""The status bars lay out the company name as `goingdark check` assumes they do.

game/name_fit.py builds the words after the name as the dashboard and the charts do;
this renders both screens at 100x30 to keep the two in step."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from game.app import GoingDarkApp
from game.name_fit import DESIGN_WIDTH, STATUS_PADDING, charts_tail, dashboard_tail
from game.screens.charts import ChartsScreen
from game.screens.dashboard import Dashboard, money
from tests.pilot_helpers import close_report, play, wait_for_screen

MINIMAL = (Path(__file__).resolve().parent / "data" / "minimal.toml").read_text(encoding="utf-8")
# Too long for the dashboard's long words beside it, short enough for its short ones.
NAME = "N" * 60


def status_line(screen, selector: str) -> str:
    return screen.query_one(selector, Static).render_line(0).text.strip()


async def test_the_status_bars_follow_the_name_with_name_fits_words(tmp_path: Path) -> None:
    path = tmp_path / "named.toml"
    path.write_text(MINIMAL.replace('"Testco"', f'"{NAME}"'), encoding="utf-8")
    app = GoingDarkApp(scenario_paths=[path], start=str(path), unlock_all=True)
    async with app.run_test(size=(DESIGN_WIDTH, 30)) as pilot:
        await pilot.press("enter")
        dashboard = await wait_for_screen(pilot, Dashboard)
        await play(pilot)
        await close_report(pilot)
        session = app.controller.session
        outcome = session.outcome()
        stars = int(outcome.stars[0])
        score = f"{outcome.score[0]:.0f} " + "★" * stars + "☆" * (3 - stars)
        tail = dashboard_tail(2, session.quarters, money(session, session.budget), score)
        assert len(NAME + tail) <= DESIGN_WIDTH - STATUS_PADDING
        assert status_line(dashboard, "#status") == NAME + tail
        await pilot.press("c")
        charts = await wait_for_screen(pilot, ChartsScreen)
        assert status_line(charts, "#charts-status").startswith(NAME + charts_tail(1, 8))
