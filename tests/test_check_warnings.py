"""`goingdark check` warnings: valid, but almost certainly not meant.

Each warning has an exact-text test; the built-in scenarios have none; --strict turns
warnings into errors (exit 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.memory import MIB
from engine.scenario import lint
from engine.scenario.lint import scenario_warnings
from engine.scenario.loader import builtin_paths, parse_scenario
from engine.setup import initial_state
from engine.simulate import memory_needed
from engine.world import World
from game.cli import EXIT_OK, EXIT_USER_ERROR, main
from game.name_fit import longest_company_name, name_warnings

MINIMAL = (Path(__file__).resolve().parent / "data" / "minimal.toml").read_text(encoding="utf-8")
ENGAGEMENT_TERM = '{ metric = "engagement", weight = 50, worst = 0.3, best = 0.8 }'


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], text: str, *extra: str) -> tuple[int, str, str]:
    Path("s.toml").write_text(text, encoding="utf-8")
    code = main(["check", "s.toml", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_clean_scenario_is_ok(workdir, capsys) -> None:
    assert check(capsys, MINIMAL) == (EXIT_OK, "s.toml: ok\n", "")


@pytest.mark.parametrize(
    ("term", "said"),
    [
        (
            '{ metric = "engagement", weight = 50, worst = 30, best = 70 }',
            "engagement is a level from 0 to 1, but worst = 30: it scores 0% of its weight "
            "in every game",
        ),
        (
            '{ metric = "engagement", weight = 50, worst = 0.3, best = 1.5 }',
            "engagement is a level from 0 to 1, but best = 1.5: it can only score between 0% "
            "and 58% of its weight",
        ),
        (
            '{ metric = "logo_retention", weight = 50, worst = -1, best = -0.5 }',
            "logo_retention is a share from 0 to 1, but worst = -1: it scores 100% of its "
            "weight in every game",
        ),
    ],
    ids=["always-zero", "partial", "always-full"],
)
def test_score_bounds_outside_the_metrics_range(workdir, capsys, term, said) -> None:
    text = MINIMAL.replace(ENGAGEMENT_TERM, term)
    code, out, _ = check(capsys, text)
    line = line_of(text, term)
    key = "worst" if "worst" in said.split(":")[0] else "best"
    assert code == EXIT_OK
    assert (
        out == f"s.toml:{line}: scoring.terms[#2].{key}: warning: {said}\ns.toml: ok, 1 warning\n"
    )


def test_revenue_retention_may_be_scored_above_one(workdir, capsys) -> None:
    term = '{ metric = "revenue_retention", weight = 50, worst = 0.9, best = 1.2 }'
    assert check(capsys, MINIMAL.replace(ENGAGEMENT_TERM, term)) == (EXIT_OK, "s.toml: ok\n", "")


@pytest.mark.parametrize(
    ("metric", "what"),
    [("revenue", "an amount of money in $"), ("active_customers", "a number of people")],
)
def test_a_share_on_a_money_or_count_metric(workdir, capsys, metric, what) -> None:
    text = MINIMAL + (
        f'\n[[goals]]\nid = "g"\ntext = "Grow."\nmetric = "{metric}"\nat_least = 0.45\n'
    )
    code, out, _ = check(capsys, text)
    assert code == EXIT_OK
    assert out == (
        f"s.toml:{line_of(text, 'at_least = 0.45')}: goals.g.at_least: warning: {metric} is "
        f"{what}, so 0.45 reads like a share: did you mean a share metric, or a whole amount?\n"
        "s.toml: ok, 1 warning\n"
    )


def test_a_cost_above_any_budget_with_carry_over(workdir, capsys) -> None:
    text = MINIMAL.replace("cost = 80_000", "cost = 4_500_000")
    code, out, _ = check(capsys, text)
    assert code == EXIT_OK
    assert out == (
        f"s.toml:{line_of(text, 'cost = 4_500_000')}: interventions.change.cost: warning: "
        "costs $4,500,000, more than any quarter's budget can be ($900,000: $200,000 at the "
        "start plus $100,000 a quarter, all saved up), so it can never be adopted\n"
        "s.toml: ok, 1 warning\n"
    )


def test_a_cost_above_any_budget_without_carry_over(workdir, capsys) -> None:
    text = MINIMAL.replace("cost = 80_000", "cost = 250_000").replace(
        "hiring_cost = 5_000", "hiring_cost = 5_000\ncarry_over = false"
    )
    _, out, _ = check(capsys, text)
    assert out.splitlines()[0].endswith(
        "costs $250,000, more than any quarter's budget can be ($200,000: the larger of "
        "$200,000 at the start and $100,000 a quarter, as unspent budget does not carry "
        "over), so it can never be adopted"
    )


def test_no_cost_warning_when_profit_adds_to_the_budget(workdir, capsys) -> None:
    text = MINIMAL.replace("cost = 80_000", "cost = 4_500_000").replace(
        "hiring_cost = 5_000", "hiring_cost = 5_000\nprofit_share = 0.5"
    )
    assert check(capsys, text) == (EXIT_OK, "s.toml: ok\n", "")


def test_a_default_run_over_the_memory_budget(workdir, capsys, monkeypatch) -> None:
    world = World.from_scenario(parse_scenario(MINIMAL))
    needed = memory_needed(world, 1, 8)
    # A budget the state fits (so the loader accepts it) but the run's records do not.
    monkeypatch.setattr(lint, "MEMORY_BUDGET", needed - 1)
    code, out, _ = check(capsys, MINIMAL)
    assert code == EXIT_OK
    assert out == (
        f"s.toml:{line_of(MINIMAL, '[[segments]]')}: segments: warning: "
        f"{world.initial_customers:,} customers need about {needed / MIB:,.0f} MiB for one "
        f"run of 8 quarters with its recorded figures, over the {(needed - 1) / MIB:,.0f} MiB "
        "budget, so goingdark run refuses it; use fewer customers\ns.toml: ok, 1 warning\n"
    )


def test_an_achievement_earned_at_the_start(workdir, capsys) -> None:
    text = MINIMAL + (
        '\n[[achievements]]\nid = "quiet"\ntitle = "Quiet"\ntext = "Few dark."\n'
        'condition = { metric = "dark_share", at_most = 0.05 }\n'
    )
    world = World.from_scenario(parse_scenario(text))
    start = initial_state(world, 7).history["dark_share"][0][0]
    assert start <= 0.05  # the case this test is about, read from the starting position
    code, out, _ = check(capsys, text)
    assert code == EXIT_OK
    assert out == (
        f"s.toml:{line_of(text, 'condition = ')}: achievements.quiet.condition.at_most: "
        f"warning: achievement 'quiet' holds at the starting position (dark_share starts at "
        f"{start:.1%}, at the scenario's seed 7) and needs to hold for one quarter only, so a "
        "player who does nothing earns it in quarter 1 unless that quarter undoes it\n"
        "s.toml: ok, 1 warning\n"
    )


def test_an_achievement_kept_for_quarters_or_adopted_is_not_free(workdir, capsys) -> None:
    text = MINIMAL + (
        '\n[[achievements]]\nid = "quiet"\ntitle = "Quiet"\ntext = "Few dark."\n'
        'condition = { metric = "dark_share", at_most = 0.05, for_quarters = 4 }\n'
        '\n[[achievements]]\nid = "backed"\ntitle = "Backed"\ntext = "Mandate."\n'
        'adopted = ["mandate"]\ncondition = { metric = "dark_share", at_most = 0.05 }\n'
    )
    assert check(capsys, text) == (EXIT_OK, "s.toml: ok\n", "")


def test_a_company_name_the_status_bars_cut(workdir, capsys) -> None:
    scenario = parse_scenario(MINIMAL)
    longest, where = longest_company_name(scenario)
    # 98 cells inside the padding, less " · Q8/8 · Budget $900k · Score 100 ★★★".
    assert (longest, where) == (60, "the dashboard")
    fits = "N" * longest
    assert check(capsys, MINIMAL.replace('"Testco"', f'"{fits}"'))[1] == "s.toml: ok\n"
    code, out, _ = check(capsys, MINIMAL.replace('"Testco"', f'"{fits}X"'))
    assert code == EXIT_OK
    assert out == (
        f"s.toml:{line_of(MINIMAL, 'Testco')}: company.name: warning: 61 characters, but the "
        "status bar of the dashboard shows at most 60 of it whole at 100 columns (in quarter "
        "8, with the most budget a quarter can have, $900k); the rest is cut\n"
        "s.toml: ok, 1 warning\n"
    )


def test_strict_makes_warnings_errors(workdir, capsys) -> None:
    text = MINIMAL.replace("cost = 80_000", "cost = 4_500_000")
    code, out, _ = check(capsys, text, "--strict")
    assert code == EXIT_USER_ERROR
    assert out == (
        f"s.toml:{line_of(text, 'cost = 4_500_000')}: interventions.change.cost: error: "
        "costs $4,500,000, more than any quarter's budget can be ($900,000: $200,000 at the "
        "start plus $100,000 a quarter, all saved up), so it can never be adopted\n"
    )
    assert check(capsys, MINIMAL, "--strict") == (EXIT_OK, "s.toml: ok\n", "")


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda path: path.stem)
def test_the_builtin_scenarios_have_no_warnings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    scenario = parse_scenario(text, path)
    assert scenario_warnings(scenario, text, path) == []
    assert name_warnings(scenario, text, path) == []
