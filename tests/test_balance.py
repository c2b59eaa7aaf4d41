"""``goingdark balance``: the plans it measures, its warnings (each checked against the
figures it rests on), its JSON (stable for a fixed seed) and its HTML file.

Regenerate the expected JSON after a deliberate change with:
    python tests/test_balance.py --regenerate
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.balance.findings import findings, score_gap
from engine.balance.html import render_html
from engine.balance.plans import BudgetPlanner, standard_plans
from engine.balance.report import DEFAULT_RUNS, DEFAULT_SEARCH, balance_report
from engine.balance.search import random_plans
from engine.balance.text import driver_words, render_text, report_data
from engine.params import DEFECTION_DRIVERS
from engine.scenario.loader import builtin_paths, load_scenario
from game.cli import main
from game.cli_balance import ProgressBar

DATA = Path(__file__).parent / "data"
DOMINANT = DATA / "balance-dominant.toml"
EXPECTED_JSON = DATA / "balance-dominant.expected.json"
# The fixed report whose JSON is committed: small, so the test stays quick.
FIXED = {"seed": 11, "runs": 8, "search": 4}


def _fixed_report():
    return balance_report(load_scenario(DOMINANT), **FIXED)


@pytest.fixture(scope="module")
def dominant():
    return _fixed_report()


def test_dominance_fires_on_a_scenario_built_to_have_a_dominant_card(dominant):
    texts = [f.text for f in findings(dominant) if f.kind == "dominant"]
    fixer = [text for text in texts if text.startswith("'Fix everything' alone scores")]
    assert len(fixer) == 1
    alone = next(m for m in dominant.of_kind("alone") if m.plan.card == "fix-everything")
    reference = dominant.of_kind("reference")[0]
    assert alone.mean_score > reference.mean_score
    assert fixer[0] == (
        f"'Fix everything' alone scores {alone.mean_score:.1f} on average, more than the"
        f" reference plan 'The intended plan' ({reference.mean_score:.1f}): one card does"
        " as much as the whole plan"
    )


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda p: p.stem)
def test_dominance_does_not_fire_on_the_builtins(path):
    report = balance_report(load_scenario(path), seed=3, runs=8, search=0)
    assert [f.text for f in findings(report) if f.kind == "dominant"] == []


def test_every_warning_is_true_of_the_figures(dominant):
    plans = dominant.all_plans()
    kinds = {f.kind for f in findings(dominant)}
    assert {"dominant", "goal", "lesson", "search"} <= kinds
    # The goal nobody can meet, under every plan measured.
    assert all(not m.runs.outcome.goals["impossible"].any() for m in plans)
    assert all(not m.runs.outcome.lessons["never"].any() for m in plans)
    # The search's best plan beats the reference by what the sentence says.
    gain, _ = score_gap(dominant.best, dominant.of_kind("reference")[0])
    search = next(f.text for f in findings(dominant) if f.kind == "search")
    assert f"{gain:.1f} points more than the reference plan" in search
    for finding in findings(dominant):
        if finding.kind == "stars":
            top = max(float(m.runs.outcome.score.max()) for m in plans)
            assert finding.text.endswith(f"the highest score of any run was {top:.1f}")


def test_card_warnings_are_true_of_the_figures(dominant):
    by_kind = {}
    for finding in findings(dominant):
        by_kind.setdefault(finding.kind, []).append(finding.text)
    nothing = dominant.nothing()
    survey = [
        abs(score_gap(m, nothing)[0])
        for m in dominant.measured
        if m.plan.card == "survey" and m.plan.kind in ("alone", "every-quarter")
    ]
    survey += [
        abs(score_gap(m, dominant.of_kind("reference")[0])[0])
        for m in dominant.of_kind("plus")
        if m.plan.card == "survey"
    ]
    assert max(survey) < 1
    assert by_kind["weak"] == [
        f"'Honest survey' is worth under 1 point in every plan measured ({len(survey)}"
        f" comparisons, the largest change {max(survey):.2f} points); its value is"
        " information only: it acts on data credibility and nothing else, which a fixed"
        " plan cannot use"
    ]
    assert by_kind["unaffordable"] == [
        "'Gold-plated programme' costs $90,000,000 and fits no quarter's budget (estimated"
        " from the grants, without the profit share), so no plan measured could buy it"
    ]
    assert not any(m.plan.card == "gold-plated" for m in dominant.measured)
    early = nothing.runs.early_achievements["still-here"].mean()
    assert early >= 0.5
    assert by_kind["early"] == [
        f"achievement 'Still here' is earned by the end of quarter 1 in {100 * early:.0f}%"
        " of runs of doing nothing: the player gets it without acting"
    ]


def test_plans_respect_prerequisites_and_the_budget_estimate():
    scenario = load_scenario(DOMINANT)
    plans = {p.label: p for p in standard_plans(scenario)}
    change = plans["'Change programme' alone (after 'Boardroom mandate')"].policy.by_quarter
    assert change[1].interventions == ("mandate",)
    assert change[2].interventions == ("change",)
    for plan in [*plans.values(), *random_plans(scenario, 5, 10)]:
        planner = BudgetPlanner(
            scenario, {q: list(d.interventions) for q, d in plan.policy.by_quarter.items()}
        )
        if plan.kind != "reference":
            assert min(planner.budget_left()) >= 0, plan.label


def test_the_search_is_the_same_for_the_same_seed():
    scenario = load_scenario(DOMINANT)
    first = [p.policy.by_quarter for p in random_plans(scenario, 5, 6)]
    assert first == [p.policy.by_quarter for p in random_plans(scenario, 5, 6)]
    assert first != [p.policy.by_quarter for p in random_plans(scenario, 6, 6)]


def test_all_plans_share_their_random_numbers(dominant):
    # Doing nothing and a dilemma-free plan that changes nothing are the same runs.
    nothing = dominant.nothing()
    again = balance_report(load_scenario(DOMINANT), FIXED["seed"], runs=8, search=0).nothing()
    assert np.array_equal(nothing.runs.outcome.score, again.runs.outcome.score)


def test_json_is_stable_for_a_fixed_seed(dominant):
    expected = json.loads(EXPECTED_JSON.read_text(encoding="utf-8"))
    assert report_data(dominant) == expected


def test_segment_drivers_add_up_to_the_whole_company(dominant):
    # Each segment's defections by driver, summed over segments, are the company's.
    for measured in dominant.all_plans():
        runs = measured.runs
        assert runs.segment_drivers.shape == (2, len(runs.drivers))
        assert np.allclose(runs.segment_drivers.sum(axis=0), runs.drivers)


def test_segment_drivers_in_json_text_and_html(dominant):
    nothing = dominant.nothing()
    segments = nothing.runs.segment_drivers
    data = report_data(dominant)["plans"][0]["segments"]
    for index, segment_id in enumerate(("smb", "enterprise")):
        shares = data[segment_id]["defection_drivers"]
        for column, name in enumerate(DEFECTION_DRIVERS):
            expected = segments[index, column] / segments[index].sum()
            assert shares[name] == pytest.approx(expected, abs=1e-4)
    # The enterprise segment leaves mostly for poor service, unlike small businesses.
    assert (
        data["enterprise"]["defection_drivers"]["poor_experience"]
        > (data["smb"]["defection_drivers"]["poor_experience"])
    )
    text = render_text(dominant)
    words = driver_words(nothing.runs.segment_driver_shares(1))
    assert words.startswith("poor service experience ")
    assert " ".join(f"Enterprise: {words}".split()) in " ".join(text.split())
    assert "Every segment: " in text
    # Retention by segment under the outcome table's short names, the plan spelled out.
    reference = dominant.of_kind("reference")[0]
    retention = [
        f"{100 * m.runs.segment_retention[:, 1].mean():>8.1f}" for m in (nothing, reference)
    ]
    table = text.split("by segment\n")[1]
    assert table.startswith("  ref 1: Reference plan 'The intended plan'\n")
    assert f"\n  {'Enterprise':<34}{''.join(retention)}\n" in table
    page = render_html(dominant)
    assert "Enterprise: share of the customers who left, by why they left" in page
    assert "Every segment: share of the customers who left, by why they left" in page


def test_outcome_names_wrap_whole_rather_than_being_cut(dominant):
    # "A lesson for a metric nobody reaches" is longer than the 34-column label.
    text = render_text(dominant)
    shares = [m.runs.outcome.lessons["never"].mean() for _, m in dominant.headline_plans()]
    cells = "".join(f"{100 * share:>8.0f}" for share in shares)
    assert f"  A lesson for a metric nobody\n  {'  reaches':<34}{cells}  0–0\n" in text
    assert "…" not in text.split("Share of runs")[1].split("Starting customers")[0]


def test_driver_words():
    shares = {"baseline": 0.25, "poor_experience": 0.75, "dark": 0.0}
    assert driver_words(shares) == (
        "poor service experience 75%, ordinary churn (budgets, needs) 25%"
    )
    assert driver_words(dict.fromkeys(shares, 0.0)) == "nobody left"


def test_text_report_fits_80_columns(dominant):
    text = render_text(dominant)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Warnings (" in text


def test_html_is_one_self_contained_file(dominant):
    page = render_html(dominant)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == len({t.metric for t in dominant.scenario.scoring.terms})
    for outside in ("http:", "https:", "src=", "<script", "<link", "url("):
        assert outside not in page


def test_cli_json_and_html(tmp_path, capsys):
    target = tmp_path / "report.html"
    code = main(
        ["balance", str(DOMINANT), "--runs", "4", "--search", "0", "--json", "--html", str(target)]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"] == 4 and data["plans"][0]["label"] == "Doing nothing"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--runs", "1"], "goingdark balance: a balance report needs at least 2 runs, got 1\n"),
        (["--search", "-1"], "goingdark balance: --search must be 0 or more, got -1\n"),
    ],
)
def test_bad_inputs(arguments, message, capsys):
    assert main(["balance", str(DOMINANT), *arguments]) == 1
    assert capsys.readouterr().err == message


def test_cli_defaults_are_the_engine_defaults():
    from game.cli import build_parser

    args = build_parser().parse_args(["balance", "x"])
    assert (args.runs, args.search) == (DEFAULT_RUNS, DEFAULT_SEARCH)


def test_progress_bar_draws_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    bar = ProgressBar(terminal)
    bar(1, 4)
    bar(4, 4)
    assert terminal.getvalue() == (
        "\r[#######.......................] 1/4 plans\r[##############################] 4/4 plans\n"
    )
    silent = io.StringIO()
    ProgressBar(silent)(1, 4)
    assert silent.getvalue() == ""


if __name__ == "__main__" and sys.argv[1:] == ["--regenerate"]:
    data = report_data(_fixed_report())
    EXPECTED_JSON.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED_JSON}")
