"""The money the picker shows (engine.commitments): what the plan leaves must be what the
quarter report says was left over or overspent, for every plan the picker accepts."""

from __future__ import annotations

import re

import pytest

from engine.formatting import exact_money
from engine.scenario.loader import load_scenario
from engine.session import GameSession


def greedy(session: GameSession, fraction: float) -> list[str]:
    """Affordable cards in catalogue order while their one-off costs stay within
    ``fraction`` of the budget: a plan the picker accepts."""
    from engine.decisions import Availability

    status = session.availability()
    plan, spent = [], 0.0
    for card in session.scenario.interventions:
        if status[card.id][0] != Availability.AVAILABLE:
            continue
        if spent + card.cost <= fraction * session.budget:
            plan.append(card.id)
            spent += card.cost
    return plan


def upkeep_first(session: GameSession, fraction: float) -> list[str]:
    """Cards with upkeep first (they keep charging), then the rest."""
    plan = greedy(session, fraction)
    keyed = {card.id: card.upkeep for card in session.scenario.interventions}
    return sorted(plan, key=lambda name: -keyed[name])


def dearest(session: GameSession) -> dict[str, str]:
    return {
        event.id: max(event.choices, key=lambda choice: choice.cost).id
        for event in session.pending_dilemmas()
    }


def cheapest(session: GameSession) -> dict[str, str]:
    return {
        event.id: min(event.choices, key=lambda choice: choice.cost).id
        for event in session.pending_dilemmas()
    }


BUDGET_LINE = re.compile(r"\(([^ ]+) (left over|overspent|nothing carried over)")


@pytest.mark.parametrize("scenario", ["capstone", "quota-season", "fine-on-paper", "first-quarter"])
@pytest.mark.parametrize(
    ("planner", "fraction", "answers"),
    [(greedy, 1.0, dearest), (greedy, 0.6, cheapest), (upkeep_first, 0.9, dearest)],
)
def test_what_the_picker_leaves_is_what_the_report_says(scenario, planner, fraction, answers):
    session = GameSession(load_scenario(scenario))
    overspent = 0
    while not session.is_over:
        plan = planner(session, fraction)
        session.check(plan)  # the picker accepts it
        before = session.commitments(plan)  # what the picker shows, before the dilemmas
        choices = answers(session)
        after = session.commitments(plan, choices)
        assert not after.depends_on_answers
        assert not before.skipped and not after.skipped
        # The range shown before answering holds the truth once answered.
        assert before.left_low - 1e-6 <= after.left_low <= before.left_high + 1e-6
        budget = session.budget
        report = session.play(plan, choices)
        budget_lines = [line for line in report.lines if BUDGET_LINE.search(line)]
        if session.is_over:  # the last report has no next quarter's budget to explain
            assert budget_lines == []
            continue
        [line] = budget_lines
        shown = BUDGET_LINE.search(line)
        left = after.left_low
        carry = session.scenario.company.budget.carry_over
        if left < 0:
            overspent += 1
            assert shown.group(2) == "overspent"  # as a positive amount: no double negative
            assert shown.group(1) == exact_money(-left, session.scenario.company.currency)
        elif carry:
            assert shown.group(2) == "left over"
            assert shown.group(1) == exact_money(left, session.scenario.company.currency)
        else:
            assert shown.group(2) == "nothing carried over"
        # The same figure from the quarter's own spend: before minus what was charged.
        assert report.changes["budget"][0] == pytest.approx(budget)
    if scenario == "capstone" and planner is upkeep_first:
        assert overspent, "capstone's upkeep should overspend a full plan at least once"


def test_capstone_upkeep_is_committed_before_choosing():
    session = GameSession(load_scenario("capstone"))
    with_upkeep = [card.id for card in session.scenario.interventions if card.upkeep]
    plan = [with_upkeep[0]]
    session.play(plan, cheapest(session))
    nothing = session.commitments([])
    running = session.scenario.intervention(with_upkeep[0]).upkeep
    assert nothing.upkeep == pytest.approx(running)
    assert nothing.left_high <= session.budget - running + 1e-6
    # The old picker showed the budget minus one-off costs: upkeep made it lie.
    assert nothing.left_high < session.budget - session.cost_of([])
