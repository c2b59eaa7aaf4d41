"""What-ifs: a game replayed with one decision changed, the same seed (engine.whatif).

The exact effect must be what an independent ``goingdark run --policy`` of the changed
plan gives, bit for bit; the spread must not depend on how the runs are batched.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.policy import load_policy
from engine.scenario.loader import load_scenario
from engine.session import GameSession
from engine.simulate import simulate
from engine.whatif import (
    WHATIF_METRICS,
    Effect,
    Spread,
    alternatives,
    exact_effects,
    final_figures,
    ranked,
    with_spreads,
)
from engine.whatif_plans import dilemmas_answered, first_change
from engine.whatif_words import verdict_sentence
from game.cli import main

PLANS = Path(__file__).parent / "data" / "plans"
SEED = 4242


def played(scenario_id: str, seed: int = SEED, quarters: int | None = None) -> GameSession:
    """A game of the scenario played with its sensible plan (tests/data/plans)."""
    scenario = load_scenario(scenario_id)
    session = GameSession(scenario, seed=seed)
    plan = load_policy(PLANS / f"{scenario_id}.toml")
    for quarter in range(1, (quarters or scenario.meta.quarters) + 1):
        decisions = plan.for_quarter(quarter)
        session.play(decisions.interventions, decisions.choices)
    return session


@pytest.fixture(scope="module")
def quota() -> GameSession:
    return played("quota-season")


@pytest.fixture(scope="module")
def quota_effects(quota: GameSession) -> list[Effect]:
    return exact_effects(quota, alternatives(quota))


def run_json(capsys, policy_file: Path, scenario_id: str, seed: int) -> dict:
    code = main(["run", scenario_id, "--policy", str(policy_file), "--seed", str(seed), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_a_what_if_equals_an_independent_run_of_the_changed_plan(
    quota: GameSession, quota_effects: list[Effect], tmp_path: Path, capsys
) -> None:
    mine = final_figures(quota.scenario, quota.state.history)
    kinds = {effect.alternative.kind for effect in quota_effects}
    assert {"drop", "answer", "nothing"} <= kinds
    checked = [e for e in quota_effects if e.alternative.kind != "drop"]
    checked += [e for e in quota_effects if e.alternative.kind == "drop"][::3]
    for effect in checked:
        policy_file = tmp_path / "alternative.toml"
        policy_file.write_text(effect.alternative.policy.dumps(), encoding="utf-8")
        summary = run_json(capsys, policy_file, "quota-season", SEED)
        last = summary["quarters"][-1]
        theirs = {m: last[m]["mean"] for m in WHATIF_METRICS[1:]}
        theirs["score"] = summary["outcome"]["score"]["mean"]
        for metric in WHATIF_METRICS:
            # The same subtraction of the same numbers: equal bit for bit.
            assert effect.exact[metric] == float(mine[metric][0] - theirs[metric]), (
                effect.alternative.label,
                metric,
            )


def test_the_player_s_own_figures_are_those_of_an_independent_run(
    quota: GameSession, tmp_path: Path, capsys
) -> None:
    policy_file = tmp_path / "own.toml"
    policy_file.write_text(quota.policy().dumps(), encoding="utf-8")
    summary = run_json(capsys, policy_file, "quota-season", SEED)
    mine = final_figures(quota.scenario, quota.state.history)
    assert summary["outcome"]["score"]["mean"] == float(mine["score"][0])
    assert summary["quarters"][-1]["dark_share"]["mean"] == float(mine["dark_share"][0])


def test_alternatives_cover_each_adoption_each_other_answer_and_doing_nothing(
    quota: GameSession,
) -> None:
    found = alternatives(quota)
    drops = [(a.quarter, a.label) for a in found if a.kind == "drop"]
    adoptions = sorted((q, n) for n, qs in quota.adoptions().items() for q in qs)
    assert len(drops) == len(adoptions)
    for (quarter, name), (alt_quarter, label) in zip(adoptions, drops, strict=True):
        assert alt_quarter == quarter
        assert label == f"Without '{quota.scenario.intervention(name).name}' (quarter {quarter})"
    answered = dilemmas_answered(quota)
    expected = sum(len(e.choices) - 1 for dilemmas in answered.values() for e, _ in dilemmas)
    assert sum(a.kind == "answer" for a in found) == expected
    assert [a.label for a in found if a.kind == "nothing"] == ["Doing nothing at all"]
    # The player followed the reference plan, so it is no alternative.
    assert not [a for a in found if a.kind == "reference"]
    for alt in found:
        changed = first_change(quota.policy(), alt.policy, quota.quarter)
        assert changed is not None
        if alt.quarter is not None:
            assert changed == alt.quarter


def test_an_answer_alternative_names_both_choices(quota: GameSession) -> None:
    answered = dilemmas_answered(quota)
    quarter, [(event, taken)] = next(iter(sorted(answered.items())))
    labels = {c.id: c.label for c in event.choices}
    other = next(c.id for c in event.choices if c.id != taken)
    found = [a for a in alternatives(quota) if a.kind == "answer" and a.quarter == quarter]
    assert found[0].label == (
        f"Quarter {quarter}, '{event.title}': '{labels[other]}' instead of '{labels[taken]}'"
    )
    assert found[0].policy.for_quarter(quarter).choices[event.id] == other


def test_the_reference_plan_is_an_alternative_to_another_game() -> None:
    scenario = load_scenario("first-quarter")
    session = GameSession(scenario, seed=SEED)
    for _ in range(scenario.meta.quarters):
        session.play()
    found = alternatives(session)
    title = scenario.reference_plans[0].title
    references = [a for a in found if a.kind == "reference"]
    assert [a.label for a in references] == [f"The scenario's reference plan '{title}'"]
    # Doing nothing is what the player did: not an alternative.
    assert not [a for a in found if a.kind == "nothing"]
    effect = exact_effects(session, references)[0]
    alone = simulate(session.world, SEED, 1, policy=references[0].policy)
    assert effect.exact["score"] == float(
        final_figures(scenario, session.state.history)["score"][0]
        - final_figures(scenario, alone.history)["score"][0]
    )


def test_dropping_a_prerequisite_says_the_later_decision_is_skipped(tmp_path, capsys) -> None:
    session = played("capstone", quarters=5)
    found = {a.label: a for a in alternatives(session)}
    mandate = found["Without 'Boardroom mandate' (quarter 1)"]
    assert mandate.note == (
        "'Customer-first programme' in quarter 2 is skipped: it needs 'Boardroom mandate' "
        "adopted first; 'Reinforce the programme' in quarter 4 is skipped: it needs "
        "'Customer-first programme' adopted first"
    )
    assert found["Without 'Customer health data' (quarter 1)"].note == ""
    # The skipped decision stays in the plan, and the engine skips it as `run` does.
    assert "customer-first" in mandate.policy.for_quarter(2).interventions
    effect = exact_effects(session, [mandate])[0]
    alone = simulate(session.world, SEED, 1, quarters=5, policy=mandate.policy)
    mine = final_figures(session.scenario, session.state.history)
    theirs = final_figures(session.scenario, alone.history)
    assert effect.exact == {m: float(mine[m][0] - theirs[m][0]) for m in WHATIF_METRICS}
    assert not alone.ever_adopted[0, session.world.intervention_index["customer-first"]]


def test_a_game_in_progress_is_compared_at_its_quarter(quota: GameSession) -> None:
    session = played("quota-season", quarters=3)
    found = alternatives(session)
    assert all(a.quarter is None or a.quarter <= 3 for a in found)
    for effect in exact_effects(session, found):
        alone = simulate(session.world, SEED, 1, quarters=3, policy=effect.alternative.policy)
        mine = final_figures(session.scenario, session.state.history)
        theirs = final_figures(session.scenario, alone.history)
        assert effect.exact == {m: float(mine[m][0] - theirs[m][0]) for m in WHATIF_METRICS}


def test_ranked_puts_the_largest_score_effect_first(quota_effects: list[Effect]) -> None:
    sizes = [abs(effect.exact["score"]) for effect in ranked(quota_effects)]
    assert sizes == sorted(sizes, reverse=True)


def test_spreads_do_not_depend_on_batching(quota: GameSession, quota_effects: list[Effect]) -> None:
    some = ranked(quota_effects)[:3]
    together = with_spreads(quota, some, runs=70)
    for effect, batched in zip(some, together, strict=True):
        [alone] = with_spreads(quota, [effect], runs=70, workers=1)
        assert alone.spread == batched.spread
        assert alone.spread.runs == 70


def test_a_spread_is_the_difference_of_independent_simulations(
    quota: GameSession, quota_effects: list[Effect]
) -> None:
    effect = ranked(quota_effects)[0]
    [spread_effect] = with_spreads(quota, [effect], runs=40)
    mine = simulate(quota.world, SEED, 40, policy=quota.policy())
    theirs = simulate(quota.world, SEED, 40, policy=effect.alternative.policy)
    difference = {
        m: final_figures(quota.scenario, mine.history)[m]
        - final_figures(quota.scenario, theirs.history)[m]
        for m in WHATIF_METRICS
    }
    spread = spread_effect.spread
    for metric in WHATIF_METRICS:
        assert spread.p50[metric] == float(np.percentile(difference[metric], 50))
        assert spread.p05[metric] == float(np.percentile(difference[metric], 5))
    assert spread.helped_share == float((difference["score"] > 0).mean())
    assert spread.hurt_share == float((difference["score"] < 0).mean())
    # Run 0 of the spread is this very game: the exact effect is among the differences.
    assert difference["score"][0] == pytest.approx(effect.exact["score"], abs=0)


def test_one_run_spread_is_the_exact_effect(
    quota: GameSession, quota_effects: list[Effect]
) -> None:
    for effect in with_spreads(quota, ranked(quota_effects)[:4], runs=1):
        assert effect.spread.p50 == effect.exact


def test_progress_counts_up_and_cancelling_leaves_spreads_unknown(
    quota: GameSession, quota_effects: list[Effect]
) -> None:
    some = ranked(quota_effects)[:3]
    seen: list[tuple[int, int]] = []
    with_spreads(quota, some, runs=10, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(done, 3) for done in (0, 1, 2, 3)]  # 0: the spreads begin
    stopped = with_spreads(quota, some, runs=10, cancelled=lambda: True)
    assert [effect.spread for effect in stopped] == [None, None, None]
    assert [effect.verdict for effect in stopped] == [None, None, None]


def test_verdicts_follow_the_share_of_worlds() -> None:
    alt = alternatives(played("quota-season", quarters=2))[0]
    zeros = dict.fromkeys(WHATIF_METRICS, 0.0)

    def verdict(helped: float, hurt: float) -> str | None:
        return Effect(alt, zeros, Spread(100, zeros, zeros, zeros, helped, hurt)).verdict

    assert verdict(0.9, 0.1) == "reliable help"
    assert verdict(0.1, 0.85) == "reliable harm"
    assert verdict(0.6, 0.4) == "luck"
    assert Effect(alt, zeros, Spread(100, zeros, zeros, zeros, 0.87, 0.1)).helped_in_ten == 9


def test_a_policy_with_standing_answers_gets_answer_alternatives() -> None:
    # The capstone plan answers the push-back "whenever it comes up".
    session = played("capstone", quarters=4)
    assert load_policy(PLANS / "capstone.toml").choices == {"pushback": "hold-course"}
    answered = dilemmas_answered(session)
    pushbacks = [q for q, ds in answered.items() for event, _ in ds if event.id == "pushback"]
    assert pushbacks
    for quarter in pushbacks:
        found = [
            a
            for a in alternatives(session)
            if a.kind == "answer"
            and a.quarter == quarter
            and a.policy.for_quarter(quarter).choices.get("pushback") != "hold-course"
        ]
        assert found


def test_verdict_sentences_say_how_many_worlds() -> None:
    alt = alternatives(played("quota-season", quarters=2))[0]
    zeros = dict.fromkeys(WHATIF_METRICS, 0.0)

    def sentence(helped: float, hurt: float) -> str:
        return verdict_sentence(Effect(alt, zeros, Spread(200, zeros, zeros, zeros, helped, hurt)))

    assert sentence(0.9, 0.1) == "in 9 of 10 worlds this helped: reliable"
    assert sentence(0.05, 0.95) == "in 10 of 10 worlds this hurt: reliable"
    assert sentence(0.55, 0.3) == "this was luck: it helped in 6 of 10 worlds and hurt in 3"
    assert verdict_sentence(Effect(alt, zeros)) == "range not measured yet"
