"""The built-in scenarios: they load, they follow the campaign's conventions, and they
are balanced: winnable by a sensible plan, not by doing nothing, not by one dominant
intervention, and not by buying everything.

Balance is measured headless over many independent runs with a fixed seed. Every
policy plays the same runs (same seed, same run indices), so the engine's common
random numbers make the comparisons paired: a difference between two policies is
the difference their decisions made, not luck.

Policies compared in each scenario:

- ``nothing``: no interventions, every dilemma left to its default choice.
- ``sensible``: the plan in ``tests/data/plans/<id>.toml``, what a thoughtful trainee
  would do after reading the briefing, dilemma choices included.
- ``everything``: every quarter, every intervention in catalogue order (the engine
  skips what the budget or the prerequisites do not allow).
- one policy per intervention: that intervention alone, every quarter.

``everything`` and the single-intervention policies answer the dilemmas as the
sensible plan does, so that they differ from it only in the interventions chosen.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from engine.decisions import Decisions
from engine.policy import Policy, load_policy
from engine.scenario.loader import builtin_dir, builtin_paths, load_scenario
from engine.scenario.schema import Scenario
from engine.simulate import simulate
from engine.world import World

CAMPAIGN = (
    "first-quarter",
    "fine-on-paper",
    "quota-season",
    "self-sabotage",
    "teams-in-name",
    "turnaround",
    "capstone",
)
PLANS = Path(__file__).parent / "data" / "plans"
SCHEMA_LINE = "#:schema ./going-dark.schema.json"

RUNS = 256
SEED = 20_240_611
# Points (of 100) by which the sensible plan must beat doing nothing, and any
# single intervention or buying everything.
MARGIN_OVER_NOTHING = 10.0
MARGIN_OVER_ALTERNATIVES = 3.0
# Every margin must be clear: the paired mean difference minus this many standard
# errors must still reach it.
CLEAR = 3.0

# Scenarios where `everything` is allowed to match the sensible plan, and why.
EVERYTHING_MAY_WIN = {
    "first-quarter": (
        "the tutorial is forgiving on purpose: nearly every intervention is a good "
        "one, and the budget buys most of the catalogue each quarter"
    ),
}


# --- loading ---------------------------------------------------------------------------


@functools.cache
def scenario(scenario_id: str) -> Scenario:
    return load_scenario(scenario_id)


@functools.cache
def world(scenario_id: str) -> World:
    return World.from_scenario(scenario(scenario_id))


def sensible_plan(scenario_id: str) -> Policy:
    return load_policy(PLANS / f"{scenario_id}.toml")


def plan_choices(plan: Policy) -> dict[str, str]:
    """Every dilemma choice the plan makes (one answer per dilemma)."""
    choices: dict[str, str] = dict(plan.choices)
    for decisions in plan.by_quarter.values():
        for event_id, choice_id in decisions.choices.items():
            assert choices.setdefault(event_id, choice_id) == choice_id, (
                f"the plan answers dilemma '{event_id}' in two ways"
            )
    return choices


def every_quarter(scenario_id: str, interventions: tuple[str, ...]) -> Policy:
    """Try ``interventions`` every quarter, answering dilemmas as the sensible plan does."""
    choices = plan_choices(sensible_plan(scenario_id))
    quarters = scenario(scenario_id).meta.quarters
    return Policy(
        {quarter: Decisions(interventions, choices) for quarter in range(1, quarters + 1)},
        scenario_id,
    )


def policies(scenario_id: str) -> dict[str, Policy]:
    """Every policy the balance tests compare, by name."""
    catalogue = tuple(item.id for item in scenario(scenario_id).interventions)
    named = {
        "nothing": Policy(),
        "sensible": sensible_plan(scenario_id),
        "everything": every_quarter(scenario_id, catalogue),
    }
    for item in scenario(scenario_id).interventions:
        # One that needs a prerequisite can never be adopted alone: that policy would
        # only repeat doing nothing.
        if not item.requires:
            named[f"only {item.id}"] = every_quarter(scenario_id, (item.id,))
    return named


@functools.cache
def outcomes(scenario_id: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(score, stars) per run for every policy, simulated on two threads."""
    the_scenario = scenario(scenario_id)
    the_world = world(scenario_id)

    def play(policy: Policy) -> tuple[np.ndarray, np.ndarray]:
        outcome = simulate(the_world, SEED, runs=RUNS, policy=policy).outcome(the_scenario)
        return outcome.score, outcome.stars

    named = policies(scenario_id)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(play, named.values()))
    return dict(zip(named, results, strict=True))


def paired(better: np.ndarray, worse: np.ndarray) -> tuple[float, float]:
    """Mean and standard error of the per-run difference."""
    difference = better - worse
    return float(difference.mean()), float(difference.std(ddof=1) / np.sqrt(difference.size))


def clearly_ahead(better: np.ndarray, worse: np.ndarray, margin: float) -> bool:
    """Whether ``better`` beats ``worse`` by ``margin`` points, beyond doubt."""
    mean, error = paired(better, worse)
    return mean - CLEAR * error >= margin


# --- the files -------------------------------------------------------------------------


def test_every_builtin_scenario_loads_and_the_campaign_is_complete():
    paths = builtin_paths()
    loaded = {path.stem: load_scenario(path) for path in paths}
    for stem, item in loaded.items():
        assert item.meta.id == stem, f"{stem}.toml has meta.id '{item.meta.id}'"
    ids = [item.meta.id for item in loaded.values()]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(CAMPAIGN)
    orders = {item.meta.id: item.meta.campaign_order for item in loaded.values()}
    assert orders == {scenario_id: order for order, scenario_id in enumerate(CAMPAIGN, 1)}


@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_file_starts_with_the_schema_line(scenario_id):
    path = builtin_dir() / f"{scenario_id}.toml"
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE


@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_follows_the_campaign_conventions(scenario_id):
    item = scenario(scenario_id)
    assert 5 <= len(item.interventions) <= 12
    assert 2 <= len(item.goals) <= 4
    assert 2 <= len(item.achievements) <= 4
    assert any(a.never_adopted or a.adopted for a in item.achievements), "a decision achievement"
    assert 3 <= len(item.lessons) <= 6
    assert 1 <= sum(lesson.when is None for lesson in item.lessons) <= 2
    dilemmas = [event for event in item.events if event.choices]
    assert dilemmas
    for event in dilemmas:
        assert 2 <= len(event.choices) <= 3, event.id
        assert event.default_choice is not None, event.id
    assert any(event.chance is not None for event in item.events), "a random event"
    assert any(event.quarter is not None for event in item.events), "a scheduled event"
    if scenario_id == "first-quarter":
        assert item.meta.difficulty == "tutorial" and 3 <= item.meta.quarters <= 4
    if scenario_id == "capstone":
        assert item.meta.difficulty == "expert" and 12 <= item.meta.quarters <= 16


@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_sizes_and_money_make_sense(scenario_id):
    item = scenario(scenario_id)
    assert 200 <= item.customer_count <= 5_000
    assert 10 <= item.headcount <= 250
    budget = item.company.budget
    revenue = sum(segment.count * segment.value for segment in item.segments)
    payroll = budget.salary * item.headcount
    assert 0.5 * revenue < payroll < revenue, "people cost a real share of revenue"
    costs = sorted(intervention.cost for intervention in item.interventions)
    # A quarter's budget buys something, and nowhere near everything.
    assert costs[0] <= budget.per_quarter < sum(costs) / 2


@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_the_sensible_plan_is_for_this_scenario(scenario_id):
    plan = sensible_plan(scenario_id)
    assert plan.scenario == scenario_id
    plan.validate(world(scenario_id))
    plan_choices(plan)


# --- balance ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_sensible_plan_clearly_beats_doing_nothing(scenario_id):
    results = outcomes(scenario_id)
    sensible, nothing = results["sensible"][0], results["nothing"][0]
    mean, error = paired(sensible, nothing)
    assert clearly_ahead(sensible, nothing, MARGIN_OVER_NOTHING), (
        f"sensible beats nothing by {mean:.1f} ± {error:.1f} points"
    )


@pytest.mark.slow
@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_winnable_but_not_by_doing_nothing(scenario_id):
    results = outcomes(scenario_id)
    sensible_stars = results["sensible"][1].mean()
    nothing_stars = results["nothing"][1].mean()
    assert sensible_stars >= 2.0, f"the sensible plan earns {sensible_stars:.2f} stars"
    assert nothing_stars < 2.0, f"doing nothing earns {nothing_stars:.2f} stars"


@pytest.mark.slow
@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_no_single_intervention_matches_the_sensible_plan(scenario_id):
    results = outcomes(scenario_id)
    sensible = results["sensible"][0]
    matched = {}
    for name, (scores, _) in results.items():
        if not name.startswith("only "):
            continue
        if not clearly_ahead(sensible, scores, MARGIN_OVER_ALTERNATIVES):
            matched[name] = round(float(scores.mean()), 1)
    assert not matched, f"sensible scores {sensible.mean():.1f}; these match it: {matched}"


@pytest.mark.slow
@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_buying_everything_is_not_the_best_plan(scenario_id):
    if scenario_id in EVERYTHING_MAY_WIN:
        pytest.skip(EVERYTHING_MAY_WIN[scenario_id])
    results = outcomes(scenario_id)
    sensible, everything = results["sensible"][0], results["everything"][0]
    assert clearly_ahead(sensible, everything, MARGIN_OVER_ALTERNATIVES), (
        f"everything scores {everything.mean():.1f}, sensible {sensible.mean():.1f}"
    )


# --- pace: the second half of a long scenario ------------------------------------------

# Scenarios of at least this many quarters must change in their second half.
LONG = 8
# Budget the sensible plan may leave unspent at the end of a second-half quarter, on
# average, in quarters' worth of grant: more than this and the budget is piling up.
UNSPENT_GRANTS = 1.5
LONG_SCENARIOS = tuple(
    scenario_id for scenario_id in CAMPAIGN if load_scenario(scenario_id).meta.quarters >= LONG
)


def second_half(scenario_id: str) -> range:
    """The quarters after the middle of the game (5 to 8 of 8, 8 to 14 of 14)."""
    quarters = scenario(scenario_id).meta.quarters
    return range(quarters // 2 + 1, quarters + 1)


def test_there_are_long_scenarios_to_pace():
    assert {"quota-season", "capstone"} <= set(LONG_SCENARIOS)


@pytest.mark.parametrize("scenario_id", LONG_SCENARIOS)
def test_the_second_half_asks_something_new(scenario_id):
    """A scheduled event or dilemma in the second half, so later quarters are not a
    repeat of the first ones."""
    later = [
        event.id
        for event in scenario(scenario_id).events
        if event.quarter is not None and event.quarter in second_half(scenario_id)
    ]
    assert later, f"no scheduled event in quarters {second_half(scenario_id)}"


@pytest.mark.slow
@pytest.mark.parametrize("scenario_id", LONG_SCENARIOS)
def test_the_sensible_plan_does_not_pile_up_budget(scenario_id):
    rules = scenario(scenario_id).company.budget
    history = simulate(world(scenario_id), SEED, runs=64, policy=sensible_plan(scenario_id)).history
    # The budget recorded after a quarter is what was left plus the next grant (the
    # fixed grant and the share of that quarter's profit): take the grant back off.
    grant = rules.per_quarter + rules.profit_share * history["profit"]
    left = (history["budget"] - grant).mean(axis=1)
    unspent = [left[quarter] / rules.per_quarter for quarter in second_half(scenario_id)]
    assert np.mean(unspent) <= UNSPENT_GRANTS, (
        f"the sensible plan leaves {np.mean(unspent):.2f} quarters' grant unspent on "
        f"average in quarters {second_half(scenario_id)}: "
        + ", ".join(f"{value:.2f}" for value in unspent)
    )


@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_the_reference_plan_is_the_sensible_plan(scenario_id):
    """The debrief's reference plan and the balance tests' sensible plan are one plan."""
    plan = sensible_plan(scenario_id)
    reference = scenario(scenario_id).reference_plans[0]
    decisions = {
        item.quarter: (list(item.interventions), dict(item.choices)) for item in reference.decisions
    }
    assert decisions == {
        quarter: (list(item.interventions), dict(item.choices))
        for quarter, item in plan.by_quarter.items()
    }
    assert dict(reference.choices) == dict(plan.choices)
