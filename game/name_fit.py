"""Scenario names the game cannot show whole at 100×30, for ``goingdark check``.

The schema caps the other names at a maximum length (intervention names at 40, which
the picker shows whole at 100×30: the picker's long-names test), and department names
wrap onto a line of their own (the room's long-names test). The company name has no
cap: it heads one-line status bars, where it gives way first when the line is too
long. The bars' words are built here as the screens build them
(``Dashboard._status``, ``ChartsScreen.status``); ``tests/test_app_name_fit.py``
renders both screens to keep the two in step.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from engine.errors import Problem
from engine.formatting import format_value
from engine.scenario.lint import most_budget
from engine.scenario.locate import KeyLocator
from engine.scenario.schema import Scenario

# The terminal size the game is designed for, and the status bars' padding (one cell
# each side).
DESIGN_WIDTH = 100
STATUS_PADDING = 2


def status_budget(scenario: Scenario) -> tuple[float, str]:
    """The budget to lay the dashboard's status bar out with, and how it was chosen: the
    most any quarter can have, else (a share of profit is added) the starting budget."""
    most = most_budget(scenario)
    if most is not None:
        return most, "the most budget a quarter can have"
    return scenario.company.budget.start, "the starting budget"


def dashboard_tail(quarter: int, quarters: int, budget: str, score: str) -> str:
    """What follows the company name on the dashboard's status bar in its shorter words
    (the form it falls back on before it cuts the name): ``score`` is the score and
    stars as shown, e.g. ``"67 ★★☆"``."""
    return f" · Q{quarter}/{quarters} · Budget {budget} · Score {score}"


def charts_tail(quarters_played: int, quarters: int) -> str:
    """What follows the company name on the charts' status bar, up to its muted note."""
    return f"  ·  {quarters_played} of {quarters} quarters played  ·  "


def longest_company_name(scenario: Scenario) -> tuple[int, str]:
    """How many cells of the company name the status bars show whole at 100 columns in
    the last quarter, with the score shown and the budget of :func:`status_budget`; and
    which bar is the narrower."""
    width = DESIGN_WIDTH - STATUS_PADDING
    quarters = scenario.meta.quarters
    amount, _ = status_budget(scenario)
    budget = format_value(amount, "money", scenario.company.currency)
    # The dashboard's shorter words, which it falls back on before cutting the name.
    dashboard = dashboard_tail(quarters, quarters, budget, "100 ★★★")
    charts = charts_tail(quarters, quarters)
    fits = {"the dashboard": width - cell_len(dashboard), "the charts": width - cell_len(charts)}
    where = min(fits, key=fits.get)
    return fits[where], where


def name_warnings(scenario: Scenario, text: str, path: Path | None = None) -> list[Problem]:
    """A warning for each name the game would cut at 100×30."""
    longest, where = longest_company_name(scenario)
    name = scenario.company.name
    if cell_len(name) <= longest:
        return []
    amount, chosen = status_budget(scenario)
    budget = format_value(amount, "money", scenario.company.currency)
    line = KeyLocator(text).line(("company", "name"))
    return [
        Problem(
            path,
            line,
            "company.name",
            f"{cell_len(name)} characters, but the status bar of {where} shows at most "
            f"{longest} of it whole at 100 columns (in quarter {scenario.meta.quarters}, with "
            f"{chosen}, {budget}); the rest is cut",
        )
    ]
