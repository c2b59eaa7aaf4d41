"""`goingdark run --policy`: every plan decision not carried out is named, with its line
and the run's own reason; unknown names get a line and a did-you-mean; --strict fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.plan_check import plan_skips
from engine.policy import load_policy
from engine.scenario.loader import parse_scenario
from engine.simulate import simulate
from engine.world import World
from game.cli import EXIT_OK, EXIT_USER_ERROR, main

MINIMAL = (Path(__file__).resolve().parent / "data" / "minimal.toml").read_text(encoding="utf-8")
# The minimal scenario with a tight first budget, a one-off card and a dilemma in quarter 3.
SCENARIO = (
    MINIMAL.replace("start = 200_000", "start = 60_000").replace(
        "cost = 30_000\n", "cost = 30_000\nrepeatable = false\n"
    )
    + """
[[events]]
id = "storm"
title = "A storm"
text = "A storm hits the offices."
quarter = 3

[[events.choices]]
id = "close"
label = "Close for a day"

[[events.choices]]
id = "open"
label = "Stay open"
"""
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path with the scenario written there, so messages name short paths."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(SCENARIO, encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], plan: str, *extra: str) -> tuple[int, str, str]:
    Path("plan.toml").write_text(plan, encoding="utf-8")
    code = main(["run", "s.toml", "--policy", "plan.toml", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_plan_carried_out_in_full_says_nothing(workdir, capsys) -> None:
    code, out, err = run(capsys, '[[decisions]]\nquarter = 1\ninterventions = ["mandate"]\n')
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith("Minimal test company (minimal), seed 7, one run\n")


@pytest.mark.parametrize(
    ("plan", "skip"),
    [
        (
            '[[decisions]]\nquarter = 1\ninterventions = ["recognition", "mandate"]\n',
            "plan.toml:3: decisions[#1].interventions[#2]: warning: quarter 1: 'mandate' was "
            "not adopted: costs $30,000 and $10,000 was left",
        ),
        (
            '[[decisions]]\nquarter = 1\ninterventions = ["mandate", "change"]\n',
            "plan.toml:3: decisions[#1].interventions[#2]: warning: quarter 1: 'change' was "
            "not adopted: needs Boardroom mandate adopted in an earlier quarter",
        ),
        (
            '[[decisions]]\nquarter = 1\ninterventions = ["mandate"]\n\n'
            '[[decisions]]\nquarter = 2\ninterventions = ["mandate"]\n',
            "plan.toml:7: decisions[#2].interventions[#1]: warning: quarter 2: 'mandate' was "
            "not adopted: not repeatable, and adopted already in quarter 1",
        ),
        (
            '[[decisions]]\nquarter = 12\ninterventions = ["mandate"]\n',
            "plan.toml:1: decisions[#1]: warning: quarter 12 was not played: the run ends "
            "after quarter 8",
        ),
        (
            '[[decisions]]\nquarter = 2\nchoices = { storm = "open" }\n',
            "plan.toml:3: decisions[#1].choices.storm: warning: quarter 2: the dilemma 'storm' "
            "did not come up (it came up in quarter 3)",
        ),
    ],
    ids=["unaffordable", "prerequisite", "one-off-again", "after-the-game", "no-dilemma"],
)
def test_each_skip_is_named_with_its_line_and_reason(workdir, capsys, plan, skip) -> None:
    code, out, err = run(capsys, plan)
    assert (code, err) == (EXIT_OK, skip + "\n")
    assert out.startswith("Minimal test company")


def test_a_skip_in_some_runs_says_in_how_many_and_the_budgets_left(workdir, capsys) -> None:
    # Budgets that differ by run: no grant, half of each run's own profit instead.
    varied = SCENARIO.replace("per_quarter = 100_000", "per_quarter = 0\nprofit_share = 0.5")
    Path("s.toml").write_text(varied.replace("cost = 80_000", "cost = 860_000"), encoding="utf-8")
    plan = '[[decisions]]\nquarter = 1\ninterventions = ["mandate"]\n\n'
    plan += '[[decisions]]\nquarter = 2\ninterventions = ["change"]\n'
    code, _, err = run(capsys, plan, "--runs", "5")
    Path("plan.toml").write_text(plan, encoding="utf-8")
    scenario = parse_scenario(Path("s.toml").read_text(encoding="utf-8"))
    results = simulate(
        World.from_scenario(scenario), 7, runs=5, policy=load_policy(Path("plan.toml"))
    )
    budget = results.history["budget"][1]
    short = sorted(budget[budget < 860_000])
    assert 0 < len(short) < 5  # the case this test is about
    assert (code, err) == (
        EXIT_OK,
        "plan.toml:7: decisions[#2].interventions[#1]: warning: quarter 2: 'change' was not "
        f"adopted: costs $860,000 and between ${short[0]:,.0f} and ${short[-1]:,.0f} was left "
        f"(in {len(short)} of 5 runs)\n",
    )


def test_strict_makes_a_skip_an_error(workdir, capsys) -> None:
    code, out, err = run(
        capsys, '[[decisions]]\nquarter = 1\ninterventions = ["mandate", "change"]\n', "--strict"
    )
    assert (code, out) == (EXIT_USER_ERROR, "")
    assert err == (
        "plan.toml:3: decisions[#1].interventions[#2]: error: quarter 1: 'change' was not "
        "adopted: needs Boardroom mandate adopted in an earlier quarter\n"
    )


def test_strict_with_nothing_skipped_passes(workdir, capsys) -> None:
    code, _, err = run(
        capsys, '[[decisions]]\nquarter = 1\ninterventions = ["mandate"]\n', "--strict"
    )
    assert (code, err) == (EXIT_OK, "")


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (
            '[[decisions]]\nquarter = 1\ninterventions = ["mandat"]\n',
            "plan.toml:3: decisions[#1].interventions[#1]: quarter 1: unknown intervention "
            "'mandat' for scenario 'minimal'; did you mean 'mandate'?",
        ),
        (
            '[[decisions]]\nquarter = 3\nchoices = { strom = "open" }\n',
            "plan.toml:3: decisions[#1].choices.strom: quarter 3: 'strom' is not a dilemma of "
            "scenario 'minimal'; did you mean 'storm'?",
        ),
        (
            'choices = { storm = "opn" }\n',
            "plan.toml:1: choices.storm: dilemma 'storm' has no choice 'opn'; did you mean "
            "'open'? (choices: close, open)",
        ),
    ],
    ids=["intervention", "dilemma", "choice"],
)
def test_unknown_names_get_a_line_and_did_you_mean(workdir, capsys, plan, message) -> None:
    code, out, err = run(capsys, plan)
    assert (code, out, err) == (EXIT_USER_ERROR, "", f"goingdark run: {message}\n")


def test_every_unknown_name_is_listed_not_just_the_first(workdir, capsys) -> None:
    code, _, err = run(
        capsys,
        '[[decisions]]\nquarter = 1\ninterventions = ["mandat"]\n\n'
        '[[decisions]]\nquarter = 2\ninterventions = ["recogniton"]\n',
    )
    assert code == EXIT_USER_ERROR
    assert err.splitlines() == [
        "goingdark run: plan.toml:3: decisions[#1].interventions[#1]: quarter 1: unknown "
        "intervention 'mandat' for scenario 'minimal'; did you mean 'mandate'?",
        "goingdark run: plan.toml:7: decisions[#2].interventions[#1]: quarter 2: unknown "
        "intervention 'recogniton' for scenario 'minimal'; did you mean 'recognition'?",
    ]


def test_budget_skips_agree_with_the_runs_budget(workdir) -> None:
    """The money a skip names is the budget the run itself recorded, less what the
    plan's earlier cards of that quarter cost."""
    Path("plan.toml").write_text(
        '[[decisions]]\nquarter = 1\ninterventions = ["recognition", "mandate"]\n'
        '[[decisions]]\nquarter = 2\ninterventions = ["change", "recognition", "mandate"]\n',
        encoding="utf-8",
    )
    scenario = parse_scenario(SCENARIO)
    world = World.from_scenario(scenario)
    policy = load_policy(Path("plan.toml"))
    results = simulate(world, 7, runs=4, policy=policy)
    skips = plan_skips(policy, world, results)
    budget_q1 = results.history["budget"][0]
    assert budget_q1.min() == budget_q1.max() == 60_000
    left = budget_q1[0] - 50_000
    assert skips[0].message == (
        f"quarter 1: 'mandate' was not adopted: costs $30,000 and ${left:,.0f} was left"
    )
    # Every skip reported is a card the run did not adopt that quarter, and vice versa.
    for quarter, decisions in policy.by_quarter.items():
        for name in decisions.interventions:
            adopted = results.adopted_in[quarter - 1][:, world.intervention_index[name]]
            said = [s for s in skips if f"quarter {quarter}: '{name}' " in s.message]
            assert bool(said) == (not adopted.all()), (quarter, name)


def test_a_standing_answer_to_a_dilemma_that_never_came_up(workdir, capsys) -> None:
    code, _, err = run(capsys, 'choices = { storm = "open" }\n', "--quarters", "2")
    assert (code, err) == (
        EXIT_OK,
        "plan.toml:1: choices.storm: warning: the dilemma 'storm' never came up in quarters "
        "1 to 2\n",
    )
    assert run(capsys, 'choices = { storm = "open" }\n')[2] == ""
