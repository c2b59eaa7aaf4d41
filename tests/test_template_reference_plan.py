"""`goingdark new` writes a reference plan, so that `goingdark balance` has the plan
the case means to reward to measure everything else against."""

from __future__ import annotations

from engine.balance.report import balance_report
from engine.scenario.authoring import blank_scenario, commented_toml
from engine.scenario.loader import parse_scenario


def test_the_template_has_a_reference_plan_that_balance_measures():
    scenario = parse_scenario(commented_toml(blank_scenario("draft")))
    assert [plan.id for plan in scenario.reference_plans] == ["intended"]
    report = balance_report(scenario, seed=1, runs=2, search=0)
    reference = report.of_kind("reference")
    assert [m.plan.label for m in reference] == ["Reference plan 'The plan the case rewards'"]
    # Every purchase of the plan is affordable and made, in every run.
    assert reference[0].runs.carried_out.all()
    assert "minus" in {m.plan.kind for m in report.measured}
