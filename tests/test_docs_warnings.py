"""The warnings and run messages the authoring guide quotes are what the commands say,
made in the guide's own walk-through scenario and plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import Problem
from engine.scenario.lint import scenario_warnings
from engine.scenario.loader import parse_scenario
from game.cli import main
from game.name_fit import name_warnings
from tests.test_docs import DOC, example

# (name, old text, new text) in the walk-through scenario; each makes one warning.
WARNINGS = [
    ("score-bounds", "worst = 0.5, best = 0.8 }", "worst = 50, best = 80 }"),
    (
        "money-threshold",
        'metric = "logo_retention"\nat_least = 0.7',
        'metric = "revenue"\nat_least = 0.7',
    ),
    ("cost", "cost = 45_000", "cost = 4_500_000"),
    ("earned-at-start", "at_most = 0.05, for_quarters = 4 }", "at_most = 0.05 }"),
    (
        "company-name",
        'name = "Northgate IT"',
        'name = "Northgate IT Managed Services and Infrastructure Partners Limited"',
    ),
]


@pytest.mark.parametrize(("old", "new"), [w[1:] for w in WARNINGS], ids=[w[0] for w in WARNINGS])
def test_warnings_quoted_in_the_guide_are_real(old: str, new: str) -> None:
    scenario_text = example("helpdesk-drift.toml")
    assert scenario_text.count(old) == 1, f"{old!r} is not once in the walk-through scenario"
    text = scenario_text.replace(old, new)
    path = Path("helpdesk-drift.toml")
    scenario = parse_scenario(text, path)
    [warning] = scenario_warnings(scenario, text, path) + name_warnings(scenario, text, path)
    shown = Problem(warning.path, warning.line, warning.key, f"warning: {warning.message}")
    assert f"`{shown}`" in DOC, f"the guide should quote goingdark check's warning:\n{shown}"


@pytest.mark.parametrize(
    ("plan", "old", "new"),
    [
        ("bad-plan.toml", 'licence-push = "hold"', 'licence-push = "pushy"'),
        (
            "rushed-plan.toml",
            'interventions = ["drop-ticket-targets"]\n\n[[decisions]]\nquarter = 4',
            'interventions = ["drop-ticket-targets", "career-ladder"]\n\n[[decisions]]\n'
            "quarter = 3",
        ),
    ],
)
def test_run_messages_quoted_in_the_guide_are_real(
    tmp_path, monkeypatch, capsys, plan: str, old: str, new: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("helpdesk-drift.toml").write_text(example("helpdesk-drift.toml"), encoding="utf-8")
    good = example("good-policy.toml")
    assert good.count(old) == 1
    Path(plan).write_text(good.replace(old, new), encoding="utf-8")
    main(["run", "helpdesk-drift.toml", "--policy", plan])
    lines = capsys.readouterr().err.splitlines()
    assert lines
    for line in lines:
        assert line in DOC, f"the guide should quote goingdark run's message:\n{line}"
