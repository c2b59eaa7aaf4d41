"""The quarter report's lines and the dashboard's in-effect list say what happened,
once, in numbers that add up (issue 10, items 10 and 11)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from engine.formatting import whole_parts
from engine.policy import load_policy
from engine.scenario.loader import load_scenario
from engine.session import GameSession
from engine.world import effect_window
from game.screens.report import report_summary

PLANS = Path(__file__).parent / "data" / "plans"
SCENARIOS = sorted(path.stem for path in PLANS.glob("*.toml"))


def played(scenario_id: str) -> GameSession:
    """A whole game of the scenario under its sensible plan."""
    session = GameSession(load_scenario(scenario_id))
    policy = load_policy(PLANS / f"{scenario_id}.toml")
    while not session.is_over:
        decisions = policy.for_quarter(session.quarter + 1)
        affordable = []
        for name in decisions.interventions:
            try:
                session.check([*affordable, name])
            except Exception:
                continue
            affordable.append(name)
        session.play(affordable, decisions.choices)
    return session


@pytest.fixture(scope="module", params=SCENARIOS)
def game(request) -> GameSession:
    return played(request.param)


def amount(text: str) -> int:
    return int(re.sub(r"[^\d-]", "", text))


def test_whole_parts_add_up_to_the_whole_total() -> None:
    # The case: £19,366 + £70,000 + £31,224 did not make £120,591.
    assert whole_parts(120590.6, (19365.6, 70000.0, 31225.0)) == (120591, (19366, 70000, 31225))
    total, parts = whole_parts(100.0, (33.4, 33.4, 33.2))
    assert sum(parts) == total == 100 and parts[:2] == (33, 33)
    # Parts that are not a sum of the total are only rounded.
    assert whole_parts(0.0, (-5.4, 3.0)) == (0, (-5, 3))


def test_the_budget_line_adds_up_and_stops_after_the_last_quarter(game: GameSession) -> None:
    for report in game.reports:
        lines = [line for line in report.lines if line.startswith("Next quarter's budget")]
        if report.quarter == game.quarters:
            assert lines == [], "no next quarter after the last one"
            continue
        assert len(lines) == 1
        currency = re.escape(game.scenario.company.currency)
        found = re.findall(rf"(-?{currency}\d[\d,]*)( overspent)?", lines[0])
        total, parts = found[0][0], found[1:]
        signed = [-amount(part) if over else amount(part) for part, over in parts]
        assert not any(over and part.startswith("-") for part, over in parts), lines[0]
        budget = game.series("budget")[report.quarter]
        if budget > 0:  # a budget floored at zero is not the sum of its parts
            assert sum(signed) == amount(total), lines[0]
        assert amount(total) == round(float(budget))


def test_no_card_is_both_taking_effect_and_fading_in_one_report(game: GameSession) -> None:
    adoptions = game.adoptions()
    for report in game.reports:
        assert not set(report.started) & set(report.ended), report.quarter
        assert set(report.brief) <= set(report.started)
        for name in report.brief:
            card = next(i for i in game.scenario.interventions if i.name == name)
            windows = [effect_window(card, q) for q in adoptions[card.id]]
            assert any(w[0] == report.quarter == w[2] for w in windows)


def test_reasons_that_round_to_nothing_get_no_bar() -> None:
    session = played("first-quarter")
    report = dataclasses.replace(
        session.reports[0], causes=[("boredom", 0.7), ("dark", 0.296), ("awakened", 0.004)]
    )
    text = str(report_summary(report))
    assert "70%" in text and "30%" in text
    assert "market made them compare" not in text and " 0%" not in text


def test_a_re_adopted_card_is_one_row_in_effect() -> None:
    scenario = load_scenario("first-quarter")
    session = GameSession(scenario)
    session.play(["call-round"])
    alone = {effect.name: effect for effect in session.running_effects()}
    session.play(["call-round"])
    effects = session.running_effects()
    names = [effect.name for effect in effects]
    assert len(names) == len(set(names)), names
    call = next(e for e in effects if e.name == scenario.intervention("call-round").name)
    per_adoption = session._running_adoptions()["call-round"]
    assert call.adoptions == len(per_adoption) == 2
    assert call.strength == pytest.approx(sum(e.strength for e in per_adoption))
    assert call.strength > alone[call.name].strength - 1e-9


def test_the_debrief_counts_every_customer_who_left(game: GameSession) -> None:
    """A playthrough's debrief said 516 customers left where the quarter reports added
    up to 517: the drivers' fractional shares must be counted out whole."""
    from engine.debrief.appraisal import losses_by_driver

    left = sum(report.defections for report in game.reports)
    assert sum(count for _, count in losses_by_driver(game.state.history)) == left
