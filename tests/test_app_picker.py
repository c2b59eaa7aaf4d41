"""The intervention picker (Pilot): its money says what the quarter will charge, chosen
cards are marked by a glyph (not only colour), and long names and prices show whole."""

from __future__ import annotations

import itertools
import re

from conftest import DATA
from pilot_helpers import close_report, highlight, open_picker, play, text, toggle, wait_for_screen
from textual.widgets import SelectionList, Static

from engine.decisions import Availability
from engine.session import GameSession
from game.app import GoingDarkApp
from game.screens.dashboard import Dashboard
from game.screens.interventions import InterventionPicker

LONG_NAMES = DATA / "long-names-picker.toml"
LEFT = re.compile(r"left (-?\$[\d,]+)")
REPORTED = re.compile(r"\((-?\$[\d,]+) (left over|overspent)")


def overspending_plan(session: GameSession) -> list[str]:
    """Cards whose one-off costs fit the budget but whose upkeep does not: a plan the
    picker accepts that overspends (in catalogue order)."""
    status = session.availability()
    cards = [
        c.id for c in session.scenario.interventions if status[c.id][0] == Availability.AVAILABLE
    ]
    for size in range(1, 4):
        for plan in itertools.combinations(cards, size):
            if session.cost_of(plan) <= session.budget and session.commitments(plan).left_low < 0:
                return list(plan)
    raise AssertionError("no overspending plan to test with")


def dearest_answers(session: GameSession) -> dict[str, str]:
    return {
        event.id: max(event.choices, key=lambda choice: choice.cost).id
        for event in session.pending_dilemmas()
    }


async def plan_and_play(pilot, plan: list[str]) -> tuple[str, str]:
    """Choose ``plan`` in the picker (accepting an overspend warning), play the quarter
    with the dearest dilemma answers; what the picker said was left, and the report's
    budget line."""
    picker = await open_picker(pilot)
    await toggle(pilot, picker, plan)
    line = text(picker.query_one("#budget-line", Static))
    left = LEFT.search(line).group(1)
    await pilot.press("enter")
    await pilot.pause()
    if picker.session.commitments(plan).left_low < 0:
        assert "Overspends by" in line
        assert pilot.app.screen is picker, "an overspend is confirmed with a second Enter"
        await pilot.press("enter")
    dashboard = await wait_for_screen(pilot, Dashboard)
    report = await play(pilot, dearest_answers(dashboard.session))
    budget_line = report.report.lines[-1]
    await close_report(pilot)
    return left, budget_line


async def test_what_the_picker_leaves_is_what_the_capstone_report_says() -> None:
    app = GoingDarkApp(start="capstone")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        dashboard = await wait_for_screen(pilot, Dashboard)
        session = dashboard.session
        overspent = 0
        for quarter in (1, 2, 3):
            # The first quarter overspends on upkeep; the second pays it and chooses
            # nothing; the third chooses the cheapest card it can.
            if quarter == 1:
                plan = overspending_plan(session)
            elif quarter == 2:
                plan = []
            else:
                status = session.availability()
                plan = [
                    min(
                        (
                            c
                            for c in session.scenario.interventions
                            if status[c.id][0] == Availability.AVAILABLE
                        ),
                        key=lambda card: card.cost,
                    ).id
                ]
            left, budget_line = await plan_and_play(pilot, plan)
            reported = REPORTED.search(budget_line)
            assert reported, budget_line
            # The report writes an overspend as a positive amount ("$3,000 overspent")
            # where the picker said "left -$3,000".
            said = (
                "-" + reported.group(1) if reported.group(2) == "overspent" else reported.group(1)
            )
            assert said == left, (left, budget_line)
            overspent += reported.group(2) == "overspent"
        assert overspent == 1
        # Running upkeep is shown as committed before anything is chosen.
        picker = await open_picker(pilot)
        committed = session.commitments([])
        line = text(picker.query_one("#budget-line", Static))
        assert committed.upkeep > 0
        assert f"upkeep of running interventions {picker.money(committed.upkeep)}" in line
        assert f"committed {picker.money(committed.committed_high)}" in line


async def test_chosen_and_unchosen_cards_differ_without_colour(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.no_color
        await pilot.press("enter")
        picker = await open_picker(pilot)
        await toggle(pilot, picker, ["call-round"])
        cards = picker.query_one("#cards", SelectionList)
        rows = [cards.render_line(y).text for y in range(cards.size.height)]
        names = [c.name for c in picker.session.scenario.interventions]
        chosen = next(row for row in rows if names[0] in row)
        unchosen = next(row for row in rows if names[1] in row)
        assert "[x]" in chosen and "[ ]" not in chosen
        assert "[ ]" in unchosen and "[x]" not in unchosen


async def shown_rows(size: tuple[int, int]) -> tuple[InterventionPicker, list[list[str]]]:
    """The rows the card list shows, with each card in turn highlighted (so scrolled
    into view), in the long-names scenario at ``size``."""
    app = GoingDarkApp(scenario_paths=[LONG_NAMES], start="long-names-picker")
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")
        picker = await open_picker(pilot)
        cards = picker.query_one("#cards", SelectionList)
        views = []
        for index in range(cards.option_count):
            await highlight(pilot, cards, index)
            await pilot.pause()
            views.append([cards.render_line(y).text.rstrip() for y in range(cards.size.height)])
        return picker, views


async def test_long_names_and_prices_show_whole_at_100_by_30() -> None:
    picker, views = await shown_rows((100, 30))
    for card, rows in zip(picker.session.scenario.interventions, views, strict=True):
        assert not any("…" in row for row in rows)
        assert len(card.name) == 40
        price = picker.money(card.cost)
        assert any(card.name in row and row.endswith(price) for row in rows), (card.name, rows)


async def test_long_names_wrap_readably_at_80_by_24() -> None:
    picker, views = await shown_rows((80, 24))
    for card, rows in zip(picker.session.scenario.interventions, views, strict=True):
        assert not any("…" in row for row in rows)
        price = picker.money(card.cost)
        first = next(index for index, row in enumerate(rows) if row.endswith(price))
        # The name starts after the mark on the price's row and wraps onto the rows
        # below it (indented, without a mark of their own).
        parts = [rows[first][4 : -len(price)].strip()]
        for row in rows[first + 1 :]:
            if not row.startswith("    ") or not row.strip():
                break
            parts.append(row.strip())
        shown = " ".join(parts).removesuffix(" (locked)")
        assert shown == card.name, (shown, rows)
