"""The customer map's counts (engine.session.customer_breakdown) agree with the model's
defection drivers: its "bored" are the customers the boredom driver weighs heaviest."""

from __future__ import annotations

import tomllib
from pathlib import Path

from engine.decisions import Availability
from engine.params import DEFECTION_DRIVERS
from engine.scenario.loader import find_scenario, load_scenario
from engine.session import GameSession

PLANS = Path(__file__).parent / "data" / "plans"


def play_plan(session: GameSession, quarter: int, row: dict) -> None:
    """Play one quarter of a plan file: the interventions that are available and
    affordable, the plan's answers (the first choice otherwise)."""
    status, wanted, cost = session.availability(), [], 0.0
    for name in row.get("interventions", []):
        price = session.scenario.intervention(name).cost
        if status[name][0] is Availability.AVAILABLE and cost + price <= session.budget:
            wanted.append(name)
            cost += price
    answers = row.get("choices", {})
    session.play(
        wanted, {e.id: answers.get(e.id, e.choices[0].id) for e in session.pending_dilemmas()}
    )


def test_the_maps_bored_are_those_the_boredom_driver_pulls_on() -> None:
    scenario = load_scenario(find_scenario("quota-season"))
    plan = tomllib.loads((PLANS / "quota-season.toml").read_text(encoding="utf-8"))
    rows = {row["quarter"]: row for row in plan["decisions"]}
    session = GameSession(scenario)
    scenario_dynamics = session.world.dynamics
    checked = bored_quarters = 0
    for quarter in range(1, scenario.meta.quarters + 1):
        play_plan(session, quarter, rows.get(quarter, {}))
        counts = session.customer_breakdown()
        if "bored" not in counts:  # mood not visible yet: the map claims nothing
            continue
        checked += 1
        customers = session.state.customers
        responsive = customers.active[0] & ~customers.dark[0]
        # The boredom driver's hazard as engine.market computes it, against each
        # customer's own baseline churn.
        hazard = (1 - customers.thrill[0]) * scenario_dynamics.defect_boredom
        assert counts["bored"] == int((responsive & (hazard > customers.propensity[0])).sum())
        lost = {
            name: float(session.state.history[f"drivers.{name}"][-1][0])
            for name in DEFECTION_DRIVERS
        }
        if max(lost, key=lost.get) == "boredom":
            # Boredom the top reason for leaving: the map never shows few bored.
            assert counts["bored"] > counts["loyal"], (quarter, counts, lost)
            bored_quarters += 1
    assert checked >= 4 and bored_quarters >= 1
