"""The game driven by key presses (Pilot): the state of the game, the player's progress
on disk and the screens a player reaches.

Each test runs against its own empty GOINGDARK_HOME (the autouse fixture in conftest).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import MINIMAL
from pilot_helpers import (
    SIZE,
    TUTORIAL_PLAN,
    close_report,
    highlight,
    open_picker,
    plan,
    play,
    record_notifications,
    text,
    toggle,
    wait_for_screen,
)
from textual.widgets import OptionList, RadioButton, SelectionList, Static, TabbedContent

from engine.decisions import Availability
from engine.errors import PolicyError, ScenarioError
from engine.progress import Progress
from engine.scenario.loader import load_scenario
from engine.session import GameSession
from game.app import GoingDarkApp
from game.cli import main as cli_main
from game.screens.briefing import BriefingScreen
from game.screens.browser import ScenarioBrowser
from game.screens.charts import ChartsScreen
from game.screens.confirm import ConfirmScreen, MessageScreen
from game.screens.dashboard import Dashboard
from game.screens.debrief import DebriefScreen
from game.screens.dilemma import DilemmaScreen
from game.screens.help import HelpScreen
from game.screens.interventions import InterventionPicker
from game.screens.menu import MainMenu
from game.screens.settings import SettingsScreen
from game.screens.too_small import TooSmallScreen

PLANS = Path(__file__).parent / "data" / "plans"


def option_texts(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def entry_index(app: GoingDarkApp, scenario_id: str) -> int:
    return next(i for i, entry in enumerate(app.catalog) if entry.id == scenario_id)


# --- the tutorial, from the main menu to the next scenario ------------------------------------
async def test_tutorial_from_the_menu_to_the_debrief(goingdark_home: Path) -> None:
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("enter")  # "New game", the highlighted option
        browser = await wait_for_screen(pilot, ScenarioBrowser)
        labels = option_texts(browser.query_one("#scenarios", OptionList))
        assert "First Quarter" in labels[0] and "locked" not in labels[0]
        assert all("locked" in label for label in labels[1:7])

        await pilot.press("enter")
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert briefing.entry.id == "first-quarter"
        await pilot.press("enter")  # Begin the first quarter
        dashboard = await wait_for_screen(pilot, Dashboard)
        session = app.controller.session
        assert session is not None and dashboard.session is session
        assert (session.scenario.meta.id, session.seed, session.quarter) == ("first-quarter", 10, 0)

        # Quarter 1: two interventions, chosen with the arrows and space.
        picker = await open_picker(pilot)
        budget_line = picker.query_one("#budget-line", Static)
        assert text(budget_line) == "Budget £50,000   chosen £0   left £50,000"
        await toggle(pilot, picker, ["call-round", "tech-training"])
        assert picker.query_one("#cards", SelectionList).selected == [
            "call-round",
            "tech-training",
        ]
        assert text(budget_line) == "Budget £50,000   chosen £30,000   left £20,000"
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        assert dashboard.planned == ["call-round", "tech-training"]
        planned = text(dashboard.query_one("#planned", Static))
        assert "Call every customer" in planned and "Left after these: £20k" in planned
        budget_before = session.budget

        report = await play(pilot)
        assert session.quarter == 1
        assert session.decisions[1].interventions == ("call-round", "tech-training")
        assert session.decisions[1].choices == {}
        assert report.report.adopted == ["Call every customer", "Technician training"]
        assert session.budget != budget_before  # spent 30k, earned the quarter's money
        await close_report(pilot)
        assert dashboard.planned == []  # the plan is for one quarter only

        # Quarter 2: the Fairbank dilemma, answered with the 2 key.
        interventions, _ = TUTORIAL_PLAN[2]
        await plan(pilot, interventions)
        await pilot.press("enter")
        dilemma = await wait_for_screen(pilot, DilemmaScreen)
        assert dilemma.event.id == "fairbank-order"
        await pilot.press("2")
        await app.workers.wait_for_complete()
        report_screen = await wait_for_screen(pilot, type(report))
        assert session.quarter == 2
        assert session.decisions[2].choices == {"fairbank-order": "promise-a-week"}
        assert session.decisions[2].interventions == interventions
        assert ("The Fairbank order", "Promise a week, and keep it") in report_screen.report.events
        await close_report(pilot)

        # Quarters 3 and 4; closing the last report opens the debrief.
        for quarter in (3, 4):
            interventions, answers = TUTORIAL_PLAN[quarter]
            if interventions:
                await plan(pilot, interventions)
            report_screen = await play(pilot, answers)
            assert session.quarter == quarter
            assert session.decisions[quarter].interventions == interventions
            if quarter == 3:
                assert "back to the dashboard" in text(report_screen.query_one("#report-closing"))
                await close_report(pilot)
        assert "Enter opens the debrief" in text(report_screen.query_one("#report-closing"))
        await close_report(pilot)
        debrief = await wait_for_screen(pilot, DebriefScreen)

        assert session.quarter == 4 and session.is_over and session.recorded
        assert sorted(session.decisions) == [1, 2, 3, 4]
        outcome = session.outcome()
        stars = int(outcome.stars[0])
        assert stars >= 1, "this plan earns stars"
        assert debrief.debrief.stars == stars

        # The progress file now says so, read afresh from disk.
        progress = Progress.load(goingdark_home)
        assert progress.finished("first-quarter")
        assert progress.best_stars("first-quarter") == stars
        [best] = progress.high_scores("first-quarter")
        assert (best.score, best.stars, best.seed) == (round(float(outcome.score[0]), 2), stars, 10)
        assert set(progress.achievements("first-quarter")) == set(session.achieved)

        # Back at the menu, the next campaign scenario is open and the one after is not.
        await pilot.press("escape")
        await wait_for_screen(pilot, MainMenu)
        assert app.controller.session is None
        await pilot.press("n")
        browser = await wait_for_screen(pilot, ScenarioBrowser)
        options = browser.query_one("#scenarios", OptionList)
        labels = option_texts(options)
        assert labels[0].startswith(f"{'★' * stars}{'☆' * (3 - stars)} First Quarter")
        assert "Fine on Paper" in labels[1] and "locked" not in labels[1]
        assert "Quota Season" in labels[2] and "locked" in labels[2]
        await highlight(pilot, options, entry_index(app, "fine-on-paper"))
        await pilot.press("enter")
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert briefing.entry.id == "fine-on-paper"


async def test_a_locked_scenario_does_not_open(goingdark_home: Path) -> None:
    app = GoingDarkApp()
    shown = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        browser = await wait_for_screen(pilot, ScenarioBrowser)
        await highlight(pilot, browser.query_one("#scenarios", OptionList), 1)
        assert "Locked: finish the previous scenario" in text(browser.query_one("#detail"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is browser and app.controller.session is None
        assert ("Locked: finish the previous scenario first.", "warning") in shown


# --- a whole non-tutorial scenario -------------------------------------------------------------
async def test_quota_season_played_to_the_debrief(goingdark_home: Path) -> None:
    plan_file = tomllib.loads((PLANS / "quota-season.toml").read_text(encoding="utf-8"))
    decisions = {row["quarter"]: row for row in plan_file["decisions"]}
    app = GoingDarkApp(start="quota-season", unlock_all=True)  # goingdark play ... --unlock-all
    async with app.run_test(size=SIZE) as pilot:
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [MainMenu, BriefingScreen]
        assert briefing.seed == 30
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        session = app.controller.session
        assert session is not None and session.scenario.meta.id == "quota-season"

        answered: dict[str, str] = {}
        for quarter in range(1, session.quarters + 1):
            row = decisions.get(quarter, {})
            # The plan's interventions that the picker lets the player choose now.
            status = session.availability()
            wanted, cost = [], 0.0
            for name in row.get("interventions", []):
                price = session.scenario.intervention(name).cost
                if status[name][0] is Availability.AVAILABLE and cost + price <= session.budget:
                    wanted.append(name)
                    cost += price
            if wanted:
                await plan(pilot, wanted)
            dilemmas = [event.id for event in session.pending_dilemmas()]
            choices = row.get("choices", {})
            assert sorted(dilemmas) == sorted(choices), f"quarter {quarter}'s dilemmas"
            await play(pilot, choices)
            answered.update(choices)
            assert session.quarter == quarter
            order = [i.id for i in session.scenario.interventions]
            assert session.decisions[quarter].interventions == tuple(
                sorted(wanted, key=order.index)
            )
            assert dict(session.decisions[quarter].choices) == choices
            await close_report(pilot)

        assert answered == {
            "push-q2": "hold",
            "push-q4": "hold",
            "push-q6": "show-the-base",
            "bonus-back": "retention-bonus",
        }
        debrief = await wait_for_screen(pilot, DebriefScreen)
        assert session.is_over and session.quarter == 8
        assert Progress.load(goingdark_home).finished("quota-season")

        # The debrief's tabs: n steps, a number key jumps.
        tabs = debrief.query_one(TabbedContent)
        assert tabs.active == "summary"
        await pilot.press("n")
        assert tabs.active == "charts"
        await pilot.press("5")
        assert tabs.active == "lessons"

        # Play again: the same scenario and seed, from the first quarter.
        await pilot.press("a")
        dashboard = await wait_for_screen(pilot, Dashboard)
        assert app.controller.session is not session and dashboard.session is app.controller.session
        assert (app.controller.session.scenario.meta.id, app.controller.session.seed) == (
            "quota-season",
            30,
        )
        assert app.controller.session.quarter == 0


# --- the picker ----------------------------------------------------------------------------------
async def test_the_picker_refuses_a_plan_over_budget() -> None:
    app = GoingDarkApp(start="first-quarter")
    shown = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        dashboard = await plan(pilot, ["call-round"])
        assert dashboard.planned == ["call-round"]

        picker = await open_picker(pilot)
        cards = picker.query_one("#cards", SelectionList)
        assert cards.selected == ["call-round"]  # the plan so far is preselected
        await toggle(pilot, picker, [i.id for i in picker.session.scenario.interventions[1:]])
        assert len(cards.selected) == 6
        line = text(picker.query_one("#budget-line", Static))
        assert "chosen £81,000   left -£31,000   over budget: drop something" in line

        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is picker, "the picker stays open"
        assert (
            "The one-off costs are more than the budget: drop something first. "
            "(Upkeep and dilemma costs may overspend; one-off costs may not.)",
            "error",
        ) in shown
        await pilot.press("escape")
        await wait_for_screen(pilot, Dashboard)
        assert dashboard.planned == ["call-round"]
        assert not list(app._notifications), "the picker's warnings leave with it"

        # A plan within the budget is accepted, in catalogue order.
        picker = await open_picker(pilot)
        await toggle(pilot, picker, ["call-round", "tech-training", "seasonal-blends"])
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        assert dashboard.planned == ["seasonal-blends", "tech-training"]


async def test_locked_interventions_cannot_be_chosen() -> None:
    app = GoingDarkApp(scenario_paths=[MINIMAL], start="minimal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        picker = await open_picker(pilot)
        cards = picker.query_one("#cards", SelectionList)
        locked = cards.get_option_at_index(2)
        assert locked.value == "change"
        assert "locked" in str(locked.prompt)

        # It can be highlighted, so its card says why it is locked; choosing it is
        # refused with that reason.
        await pilot.press("down", "down")
        assert cards.highlighted == 2
        assert "Needs first: Boardroom mandate" in str(picker.query_one("#card", Static).content)
        await pilot.press("space")
        await pilot.pause()
        assert cards.selected == []
        assert any(
            "Change programme: needs Boardroom mandate first." in n.message
            for n in app._notifications
        )
        await pilot.press("escape")

        # Adopting the prerequisite unlocks it for the next quarter.
        await plan(pilot, ["mandate"])
        await play(pilot)
        await close_report(pilot)
        picker = await open_picker(pilot)
        cards = picker.query_one("#cards", SelectionList)
        assert "locked" not in str(cards.get_option_at_index(2).prompt)
        await toggle(pilot, picker, ["change"])
        assert cards.selected == ["change"]


# --- dilemmas ------------------------------------------------------------------------------------
async def test_escape_in_a_dilemma_plays_nothing() -> None:
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await play(pilot)
        await close_report(pilot)
        session = app.controller.session
        assert session is not None and session.quarter == 1

        await pilot.press("enter")
        await wait_for_screen(pilot, DilemmaScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, Dashboard)
        await app.workers.wait_for_complete()
        assert session.quarter == 1 and 2 not in session.decisions
        assert len(session.reports) == 1

        # The dilemma is still waiting and can be answered now.
        await pilot.press("enter")
        dilemma = await wait_for_screen(pilot, DilemmaScreen)
        assert dilemma.event.id == "fairbank-order"
        await pilot.press("1")
        await app.workers.wait_for_complete()
        await close_report(pilot)
        assert session.quarter == 2
        assert session.decisions[2].choices == {"fairbank-order": "promise-monday"}


# --- quitting ------------------------------------------------------------------------------------
async def test_quitting_mid_game_asks_first() -> None:
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await plan(pilot, ["call-round"])
        session = app.controller.session

        await pilot.press("ctrl+q")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "quarter 1 of 4" in confirm.text
        assert confirm.focused is not None and confirm.focused.id == "no"
        await pilot.press("enter")  # "Keep playing" has the focus
        dashboard = await wait_for_screen(pilot, Dashboard)
        assert app.controller.session is session and dashboard.planned == ["call-round"]
        assert app.return_value is None and app.is_running

        # Escape (back to the menu) asks too; "Leave" ends the game.
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("escape")  # no
        await wait_for_screen(pilot, Dashboard)
        assert app.controller.session is session
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, MainMenu)
        assert app.controller.session is None and len(app.screen_stack) == 2

        await pilot.press("ctrl+q")  # no game: no question
        await pilot.pause()
        assert app.return_value == 0


async def test_quit_confirmed_mid_game_exits() -> None:
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.return_value == 0


async def test_ctrl_q_on_the_menu_exits() -> None:
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_value == 0
        assert not any(isinstance(s, ConfirmScreen) for s in app.screen_stack)


# --- broken scenario files -----------------------------------------------------------------------
BROKEN = (
    MINIMAL.read_text(encoding="utf-8")
    .replace("count = 1_500", "count = -3")
    .replace("headcount = 30", "headcont = 30")
)


async def test_a_broken_scenario_shows_what_check_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    problems = [str(problem) for problem in raised.value.problems]
    assert len(problems) >= 2
    assert cli_main(["check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == problems

    app = GoingDarkApp(scenario_paths=[path])
    shown = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        browser = await wait_for_screen(pilot, ScenarioBrowser)
        options = browser.query_one("#scenarios", OptionList)
        index = next(i for i, entry in enumerate(app.catalog) if entry.path == path)
        assert option_texts(options)[index] == "⚠ broken.toml (broken)"
        await highlight(pilot, options, index)
        detail = text(browser.query_one("#detail", Static))
        assert "This scenario cannot be loaded:\n\n" + "\n".join(problems) in detail

        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is browser and app.controller.session is None
        assert ("This scenario has problems; see the list on the right.", "error") in shown

        # Fixed on disk, r reloads it and it opens.
        path.write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
        await pilot.press("r")
        await pilot.pause()
        assert "Minimal test company" in option_texts(options)[index]
        await highlight(pilot, options, index)
        await pilot.press("enter")
        briefing = await wait_for_screen(pilot, BriefingScreen)
        assert briefing.entry.id == "minimal"


# --- terminal size -------------------------------------------------------------------------------
async def test_a_small_terminal_waits_until_it_grows() -> None:
    app = GoingDarkApp()
    async with app.run_test(size=(60, 20)) as pilot:
        too_small = await wait_for_screen(pilot, TooSmallScreen)
        assert "this one is 60 x 20" in text(too_small.query_one("#too-small", Static))
        await pilot.press("f1")  # no help over the too-small screen
        assert not any(isinstance(s, HelpScreen) for s in app.screen_stack)

        await pilot.resize_terminal(70, 22)
        await pilot.pause()
        assert app.screen is too_small
        assert "this one is 70 x 22" in text(too_small.query_one("#too-small", Static))

        await pilot.resize_terminal(100, 30)
        await wait_for_screen(pilot, MainMenu)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)


async def test_shrinking_mid_game_keeps_the_game() -> None:
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        dashboard = await plan(pilot, ["call-round"])
        await pilot.resize_terminal(79, 30)  # one column short is too small
        too_small = await wait_for_screen(pilot, TooSmallScreen)
        assert "this one is 79 x 30" in text(too_small.query_one("#too-small", Static))
        await pilot.resize_terminal(80, 24)  # the minimum is enough
        assert await wait_for_screen(pilot, Dashboard) is dashboard
        assert dashboard.planned == ["call-round"] and app.controller.session.quarter == 0


# --- help and the command palette ----------------------------------------------------------------
async def test_f1_opens_help_once_from_the_dashboard_and_the_picker() -> None:
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        dashboard = await wait_for_screen(pilot, Dashboard)

        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert sum(isinstance(s, HelpScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        assert await wait_for_screen(pilot, Dashboard) is dashboard

        picker = await open_picker(pilot)
        await toggle(pilot, picker, ["thank-the-techs"])
        await pilot.press("f1")  # the picker is modal: help opens over it all the same
        await wait_for_screen(pilot, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert sum(isinstance(s, HelpScreen) for s in app.screen_stack) == 1
        assert app.screen_stack[-2] is picker
        await pilot.press("escape")
        assert await wait_for_screen(pilot, InterventionPicker) is picker
        assert picker.query_one("#cards", SelectionList).selected == ["thank-the-techs"]


async def test_the_palette_lists_the_screens_commands_once() -> None:
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, BriefingScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles[:2] == ["Begin", "Back"]
        assert titles[-3:] == ["Help", "Quit", "Change theme"]
        assert len(titles) == len(set(titles))

        await pilot.press("enter")
        dashboard = await wait_for_screen(pilot, Dashboard)
        titles = [command.title for command in app.get_system_commands(dashboard)]
        assert titles == [
            "Interventions",
            "Play quarter",
            "Charts",
            "Last report",
            "Save",
            "Rewind",
            "Menu",
            "Help",
            "Quit",
            "Change theme",
        ]

        # The palette runs the screen's command.
        await pilot.press("ctrl+p")
        await pilot.press(*"Charts")
        await pilot.pause(0.2)  # the palette searches in the background
        await pilot.press("enter")
        await wait_for_screen(pilot, ChartsScreen)


async def test_the_menu_palette_lists_quit_once() -> None:
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        menu = await wait_for_screen(pilot, MainMenu)
        titles = [command.title for command in app.get_system_commands(menu)]
        assert titles == [
            "New game",
            "Continue",
            "Load",
            "Profile",
            "Settings",
            "Quit",
            "Help",
            "Change theme",
        ]


# --- settings and the progress file --------------------------------------------------------------
async def test_the_theme_choice_persists(goingdark_home: Path) -> None:
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for_screen(pilot, SettingsScreen)
        assert app.theme == "going-dark"
        await pilot.press("down", "enter")  # the second theme: Light
        await pilot.pause()
        assert app.theme == "going-light"
    assert Progress.load(goingdark_home).theme == "going-light"

    again = GoingDarkApp()
    async with again.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        assert again.theme == "going-light"
        await pilot.press("s")
        settings = await wait_for_screen(pilot, SettingsScreen)
        chosen = [b for b in settings.query(RadioButton) if b.value]
        assert [b.name for b in chosen] == ["going-light"]
        assert str(chosen[0].label) == "Light  (in use)"


async def test_a_damaged_progress_file_warns_and_the_game_starts(goingdark_home: Path) -> None:
    damaged = 'format = 1\n[settings]\ntheme = "going-light"\n[scenarios\n'
    (goingdark_home / "progress.toml").write_text(damaged, encoding="utf-8")
    app = GoingDarkApp()
    shown = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, MainMenu)
        await pilot.pause()
        [(message, severity)] = shown
        assert severity == "warning"
        assert message.startswith("Your progress file could not be read (TOMLDecodeError)")
        [backup] = goingdark_home.glob("progress.damaged-*.toml")
        assert backup.read_text(encoding="utf-8") == damaged  # set aside, not deleted
        assert str(backup) in message
        assert app.theme == "going-dark"  # afresh

        await pilot.press("n")
        await wait_for_screen(pilot, ScenarioBrowser)
        await pilot.press("enter")
        await wait_for_screen(pilot, BriefingScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        assert app.controller.session is not None


# --- engine errors -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            PolicyError("an intervention is listed twice in one quarter"),
            "an intervention is listed twice in one quarter",
        ),
        (
            RuntimeError("boom"),
            "Something went wrong while playing the quarter: RuntimeError('boom')",
        ),
    ],
    ids=["game-error", "unexpected"],
)
async def test_an_error_while_playing_shows_a_message(
    monkeypatch: pytest.MonkeyPatch, error: Exception, shown: str
) -> None:
    def fail(self, interventions=(), choices=None):
        raise error

    monkeypatch.setattr(GameSession, "play", fail)
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        dashboard = await wait_for_screen(pilot, Dashboard)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        message = await wait_for_screen(pilot, MessageScreen)
        assert message.title_text == "The quarter could not be played"
        assert message.text == shown
        assert app.is_running and not dashboard.busy  # the game goes on
        await pilot.press("enter")
        assert await wait_for_screen(pilot, Dashboard) is dashboard
        assert app.controller.session.quarter == 0


@pytest.mark.parametrize(
    ("start", "opens"),
    [("first-quarter", True), ("minimal", True), (str(MINIMAL), True), ("no-such-case", False)],
)
async def test_play_finds_its_scenario_by_id_or_path(start: str, opens: bool) -> None:
    """``goingdark play NAME``: a built-in id, the id of a file given on the command line,
    or a path opens the briefing; anything else says it was not found."""
    app = GoingDarkApp(scenario_paths=[MINIMAL], start=start)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) is opens
        if not opens:
            assert any(n.message == f"No scenario '{start}' was found." for n in app._notifications)


def test_every_goal_can_be_followed_in_charts() -> None:
    """Each goal's metric has a chart during play (issue 10: Quota Season's trust goal
    appeared nowhere), shown hidden, with how to reveal it, while data is not credible."""
    from engine.debrief import charts

    for path in sorted((Path(__file__).parent.parent / "scenarios").glob("*.toml")):
        session = GameSession(load_scenario(path))
        charted = {line.figure.metric for chart in charts(session) for line in chart.lines}
        missing = [goal.metric for goal in session.scenario.goals if goal.metric not in charted]
        assert missing == [], f"{path.stem}: {missing}"


async def test_a_hidden_goal_says_how_to_reveal_it(goingdark_home: Path) -> None:
    app = GoingDarkApp(start="quota-season", unlock_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        await pilot.press("c")
        screen = await wait_for_screen(pilot, ChartsScreen)
        index = next(i for i, chart in enumerate(screen.charts) if chart.id == "goal-trust")
        trust = screen.charts[index]
        assert trust.hidden, "trust needs credible data before the company sees it"
        text = screen.hidden_text(trust)
        assert "Data credibility is" in text and "Invest in credible data" in text
        await highlight(pilot, screen.query_one("#chart-list", OptionList), index)
        about = str(screen.query_one("#chart-about", Static).content)
        assert "A goal of this scenario" in about
