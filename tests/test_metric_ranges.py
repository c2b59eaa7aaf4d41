"""Revenue retention counts expansion, so it may exceed 1: a condition asking for more
than 100% of the starting revenue is valid (net revenue retention of 105%)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.errors import ScenarioError
from engine.scenario.loader import parse_scenario
from engine.simulate import simulate
from engine.vocabulary import metric_range
from engine.world import World

MINIMAL = (Path(__file__).resolve().parent / "data" / "minimal.toml").read_text(encoding="utf-8")


def goal(metric: str, bound: str) -> str:
    return MINIMAL + f'\n[[goals]]\nid = "g"\ntext = "Grow."\nmetric = "{metric}"\n{bound}\n'


def test_revenue_retention_can_exceed_one_in_a_run() -> None:
    """The reason for the range: thrilled customers who stay buy more."""
    text = MINIMAL.replace("churn = { a = 1.0, b = 30.0 }", "churn = { a = 1.0, b = 3000.0 }")
    text = text.replace("[practices]", "[dynamics]\nvalue_growth = 0.1\n\n[practices]")
    text = text.replace(
        'served_by = ["sales", "delivery"]\n', 'served_by = ["sales", "delivery"]\nthrill = 0.95\n'
    )
    results = simulate(World.from_scenario(parse_scenario(text)), 7, runs=2, quarters=2)
    assert np.max(results.history["revenue_retention"]) > 1.0
    assert metric_range("revenue_retention") == (0.0, float("inf"))
    assert metric_range("logo_retention") == (0.0, 1.0)


def test_a_revenue_retention_threshold_above_one_is_valid() -> None:
    assert parse_scenario(goal("revenue_retention", "at_least = 1.05")).goals[0].at_least == 1.05


@pytest.mark.parametrize(
    ("metric", "bound", "message"),
    [
        (
            "revenue_retention",
            "at_least = -0.5",
            "revenue_retention is a share from 0 up, so a value of it is at least 0; found -0.5",
        ),
        (
            "logo_retention",
            "at_least = 1.05",
            "logo_retention is a share from 0 to 1, so a value of it lies between 0 and 1; "
            "found 1.05",
        ),
    ],
)
def test_thresholds_outside_the_range_are_still_errors(metric, bound, message) -> None:
    with pytest.raises(ScenarioError) as error:
        parse_scenario(goal(metric, bound))
    assert [problem.message for problem in error.value.problems] == [message]
