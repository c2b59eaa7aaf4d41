"""What a room of trainees tripped on (issue 10), played by key presses (Pilot): team
names, dialogs' keys, the dashboard's plan at the smallest size, Load and Replay rows.

Each test runs against its own empty GOINGDARK_HOME (the autouse fixture in conftest).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pilot_helpers import (
    SIZE,
    TUTORIAL_PLAN,
    close_report,
    plan,
    play,
    play_tutorial_quarters,
    wait_for_screen,
)
from textual.geometry import Region
from textual.widgets import Button, OptionList, Static

from engine.decisions import Availability
from engine.progress import Progress
from engine.saves import list_saves, read_save
from game.app import GoingDarkApp
from game.screens.briefing import BriefingScreen
from game.screens.confirm import ConfirmScreen
from game.screens.dashboard import Dashboard
from game.screens.debrief import DebriefScreen
from game.screens.dilemma import DilemmaScreen
from game.screens.load import LoadScreen
from game.screens.menu import MainMenu
from game.screens.replay import ReplayScreen
from game.screens.report import QuarterReportScreen
from game.screens.rewind import RewindScreen
from game.widgets.customer_map import CustomerMap
from game.widgets.metric_tile import MetricTile
from game.widgets.workforce import WorkforceMap


def footer_keys(screen) -> list[str]:
    """The descriptions the footer shows on ``screen``."""
    return [str(key.description) for key in screen.query("FooterKey")]


async def begin_as(pilot, team: str) -> Dashboard:
    """At the briefing, type a team name straight away (no Tab first) and press Enter."""
    await wait_for_screen(pilot, BriefingScreen)
    for key in team:
        await pilot.press("space" if key == " " else key)
    await pilot.press("enter")
    return await wait_for_screen(pilot, Dashboard)


# --- item 1: the team name ---------------------------------------------------------------------
async def test_a_name_typed_at_the_briefing_is_recorded_everywhere(goingdark_home: Path) -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        briefing = await wait_for_screen(pilot, BriefingScreen)
        # The screen says where the name goes; the field has the keyboard at once.
        assert "team's name" in str(briefing.query_one("#player-label", Static).content)
        await begin_as(pilot, "Red Ravens")
        session = app.controller.session
        assert session is not None and session.player == "Red Ravens"
        await play_tutorial_quarters(pilot, 1)
        (autosave,) = list_saves(goingdark_home / "saves")
        assert autosave.player == "Red Ravens"
        assert read_save(autosave.path).player == "Red Ravens"
        for quarter in (2, 3, 4):  # the rest of the tutorial as TUTORIAL_PLAN plays it
            interventions, answers = TUTORIAL_PLAN[quarter]
            if interventions:
                await plan(pilot, interventions)
            await play(pilot, answers)
            await close_report(pilot)
        debrief = await wait_for_screen(pilot, DebriefScreen)
        assert "team Red Ravens" in str(debrief.query_one("#debrief-title", Static).content)
        scores = Progress.load(goingdark_home).high_scores("first-quarter")
        assert [score.player for score in scores] == ["Red Ravens"]
        await pilot.press("escape")
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("l")
        load = await wait_for_screen(pilot, LoadScreen)
        rows = load.query_one("#saves", OptionList)
        assert "Red Ravens" in str(rows.get_option_at_index(0).prompt)


# --- item 12: Load and Replay ------------------------------------------------------------------
async def autosaved_game(team: str, quarters: int) -> None:
    """Play the tutorial as ``team`` for ``quarters`` quarters, then quit (autosaved)."""
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, team)
        await play_tutorial_quarters(pilot, quarters)
        app.exit()


async def test_load_rows_say_where_whose_and_when(goingdark_home: Path) -> None:
    await autosaved_game("Owls", 1)
    await autosaved_game("Ravens", 2)
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("l")
        load = await wait_for_screen(pilot, LoadScreen)
        rows = load.query_one("#saves", OptionList)
        labels = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
        # Newest first. One quarter played: the dashboard said "Quarter 2 of 4".
        assert labels[0].startswith("First Quarter · quarter 3 of 4\nautosave · Ravens · ")
        assert labels[1].startswith("First Quarter · quarter 2 of 4\nautosave · Owls · ")
        assert labels[0] != labels[1]
        detail = str(load.query_one("#save-detail", Static).content)
        assert "Quarter 3 of 4 (2 played)" in detail

        await pilot.press("v")
        replay = await wait_for_screen(pilot, ReplayScreen)
        title = str(replay.query_one("#replay").border_title)
        assert title.startswith("Replay: First Quarter, autosave, team Ravens · quarter 1 of 2")
        assert str(goingdark_home) not in title
        assert {"Previous quarter", "Next quarter", "Back"} <= set(footer_keys(replay))
        await pilot.press("right")
        assert "quarter 2 of 2" in str(replay.query_one("#replay").border_title)


# --- item 4: dialogs answer to the arrows, and show their keys ---------------------------------
async def test_the_quit_dialog_moves_with_the_arrows_and_enter_presses(goingdark_home) -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, "")
        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, ConfirmScreen)
        # The safe answer has the focus: a reflexive Enter keeps playing.
        assert app.focused is dialog.query_one("#no", Button)
        assert str(dialog.query_one("#yes", Button).label).endswith("(y)")
        assert str(dialog.query_one("#no", Button).label) == "Keep playing (n)"
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        assert app.is_running

        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("left")
        assert app.focused is dialog.query_one("#yes", Button)
        await pilot.press("right")
        assert app.focused is dialog.query_one("#no", Button)
        await pilot.press("right")  # round the end, to Quit
        assert app.focused is dialog.query_one("#yes", Button)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_dilemma_moves_between_choices_with_the_arrows() -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, "")
        await play_tutorial_quarters(pilot, 1)
        interventions, _ = TUTORIAL_PLAN[2]
        await plan(pilot, interventions)
        await pilot.press("enter")
        dilemma = await wait_for_screen(pilot, DilemmaScreen)
        assert app.focused is dilemma.query_one("#choice-0", Button)
        await pilot.press("down")
        assert app.focused is dilemma.query_one("#choice-1", Button)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await wait_for_screen(pilot, QuarterReportScreen)
        assert dict(app.controller.session.decisions[2].choices) == {
            "fairbank-order": dilemma.event.choices[1].id
        }


async def test_the_rewind_list_takes_the_arrows_at_once() -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, "")
        await play_tutorial_quarters(pilot, 3)
        await pilot.press("w")
        rewind = await wait_for_screen(pilot, RewindScreen)
        options = rewind.query_one(OptionList)
        # Newest first: the latest point is highlighted, Down goes one quarter back.
        assert app.focused is options and options.highlighted == 0
        assert options.get_option_at_index(0).id == "2"  # after quarter 2
        await pilot.press("down")
        assert options.get_option_at_index(options.highlighted).id == "1"
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        assert app.controller.session.quarter == 1  # after quarter 1, not the very start


# --- items 2 and 7: the dashboard at 80x24, names at their longest at 100x30 -------------------
SMALL = (80, 24)
LONG_NAMES = Path(__file__).parent / "data" / "long-names.toml"
QUOTA_PLAN = Path(__file__).parent / "data" / "plans" / "quota-season.toml"


def widget_text(widget) -> str:
    """What a widget shows on screen, line by line."""
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def words_in_order(name: str, text: str) -> bool:
    """Whether every word of ``name`` shows in ``text``, in order (a wrapped name's
    words may have other columns between them, but none is cut)."""
    position = 0
    for word in name.split():
        found = text.find(word, position)
        if found < 0:
            return False
        position = found + len(word)
    return True


async def play_planned_quarters(pilot, quarters: int) -> None:
    """Play ``quarters`` quarters of the Quota Season plan file (interventions that are
    available and affordable; the plan's answers)."""
    rows = {row["quarter"]: row for row in tomllib.loads(QUOTA_PLAN.read_text())["decisions"]}
    session = pilot.app.controller.session
    for quarter in range(1, quarters + 1):
        row = rows.get(quarter, {})
        status, wanted, cost = session.availability(), [], 0.0
        for name in row.get("interventions", []):
            price = session.scenario.intervention(name).cost
            if status[name][0] is Availability.AVAILABLE and cost + price <= session.budget:
                wanted.append(name)
                cost += price
        if wanted:
            await plan(pilot, wanted)
        await play(pilot, row.get("choices", {}))
        await close_report(pilot)


def assert_whole_on_screen(app, widget) -> None:
    """The widget lies inside the screen, above the footer."""
    region = widget.region
    assert region.width and region.bottom <= app.size.height - 1, region


async def test_the_plan_stays_on_screen_at_80x24_as_effects_pile_up() -> None:
    app = GoingDarkApp(start="quota-season", unlock_all=True)
    async with app.run_test(size=SMALL) as pilot:
        await begin_as(pilot, "")
        await play_planned_quarters(pilot, 3)
        dashboard = await plan(pilot, ["retire-the-push", "win-back-desk"])
        session = app.controller.session
        assert session.quarter == 3 and len(session.running_effects()) >= 5
        assert session.pending_dilemmas()  # Quarter-end: year-end, in quarter 4
        planned = dashboard.query_one("#planned", Static)
        assert_whole_on_screen(app, planned)
        shown = widget_text(planned)
        assert "Left after these:" in shown and "A decision awaits:" in shown
        assert words_in_order("Retire the quarter-end push", shown)
        # The in-effect list gives way: it scrolls, and says how many are running.
        effects = dashboard.query_one("#effects-panel")
        assert effects.region.bottom <= app.size.height - 1
        assert f"({len(session.running_effects())})" in str(effects.border_title)

        # Item 7 at 80x24: the header keeps its stars, the legend and footer are whole.
        header = widget_text(dashboard.query_one("#status", Static))
        assert "★" in header or "☆" in header
        legend = widget_text(dashboard.query_one(CustomerMap))
        assert "gone" in legend and "dark" in legend
        people = widget_text(dashboard.query_one(WorkforceMap))
        assert "Account management" in people and "disengaged" in people
        for key in dashboard.query("FooterKey"):
            assert key.region.right <= SMALL[0], key.description
        assert {"Interventions", "Play", "Charts", "Rewind", "Menu", "Quit", "Help"} <= set(
            footer_keys(dashboard)
        )
        for tile in dashboard.query(MetricTile):
            value = tile.query_one(".tile-value", Static)
            assert len(widget_text(value).rstrip()) <= value.size.width
            assert widget_text(value).rstrip() == str(value.content).rstrip()  # nothing cut


async def test_names_at_their_longest_show_whole_at_100x30() -> None:
    app = GoingDarkApp(scenario_paths=[LONG_NAMES], start=str(LONG_NAMES), unlock_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, "")
        session = app.controller.session
        scenario = session.scenario
        dashboard = await plan(pilot, ["retire-the-push", "account-plans"])
        planned = widget_text(dashboard.query_one("#planned", Static))
        for intervention in ("retire-the-push", "account-plans"):
            assert words_in_order(scenario.intervention(intervention).name, planned)
        people = widget_text(dashboard.query_one(WorkforceMap))
        for department in scenario.company.departments:
            assert department.name in people
        await play(pilot)
        await close_report(pilot)
        effects = widget_text(dashboard.query_one("#effects", Static))
        for effect in session.running_effects():
            assert words_in_order(effect.name, effects)
        header = widget_text(dashboard.query_one("#status", Static))
        assert scenario.company.name in header and "☆" in header


# --- item 9: achievements are told in the report, not by a toast over it -----------------------
async def test_achievements_show_in_the_report_without_a_toast() -> None:
    app = GoingDarkApp(start="first-quarter", seed=10)
    toasts: list[str] = []
    notify = app.notify

    def recording(message: str, **options) -> None:
        toasts.append(message)
        notify(message, **options)

    app.notify = recording  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await begin_as(pilot, "")
        earned: list[str] = []
        for quarter in (1, 2, 3, 4):
            interventions, answers = TUTORIAL_PLAN[quarter]
            if interventions:
                await plan(pilot, interventions)
            report = await play(pilot, answers)
            body = str(report.query_one("#report-body", Static).content)
            for title in report.report.achievements:
                assert title in body.split("Achievements:")[1]
            earned += report.report.achievements
            assert toasts == []
            await close_report(pilot)
        assert earned, "this plan earns an achievement"
