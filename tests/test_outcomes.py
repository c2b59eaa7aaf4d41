"""Scoring and achievements by a scenario's rules."""

from __future__ import annotations

import numpy as np
from conftest import make_world

from engine.outcomes import achievement_earned, score, stars
from engine.scenario.schema import Achievement, Condition


def history(**series):
    """A one-run history: metric -> values per quarter, quarter 0 first."""
    return {name: [np.array([value]) for value in values] for name, values in series.items()}


def test_an_achievement_window_never_includes_the_starting_position():
    steady = Achievement(
        id="lights-on",
        title="Lights on",
        text="Nobody dark for two quarters.",
        condition=Condition(metric="dark_share", at_most=0.01, for_quarters=2),
    )
    ever = np.zeros((1, 0), dtype=bool)
    # Quarters 0 and 1 qualify, but quarter 0 is where the player started, not play.
    started_well = history(dark_share=[0.0, 0.0, 0.05, 0.05], logo_retention=[1, 1, 1, 1])
    assert not achievement_earned(steady, started_well, ever, {})[0]
    # Two played quarters in a row do earn it.
    played_well = history(dark_share=[0.0, 0.05, 0.0, 0.0], logo_retention=[1, 1, 1, 1])
    assert achievement_earned(steady, played_well, ever, {})[0]
    assert not achievement_earned(steady, played_well, ever, {}, upto=2)[0]


def test_decision_achievements_need_the_decisions():
    world = make_world()
    index = world.intervention_index
    backed = Achievement(
        id="backed", title="Backed", text="Had the board's backing.", adopted=["mandate"]
    )
    plain = history(logo_retention=[1, 1])
    adopted = np.zeros((2, len(index)), dtype=bool)
    adopted[1, index["mandate"]] = True
    plain = {name: [np.repeat(v, 2) for v in values] for name, values in plain.items()}
    assert achievement_earned(backed, plain, adopted, index).tolist() == [False, True]


def test_score_interpolates_between_worst_and_best_and_stars_follow_thresholds():
    scenario = make_world().scenario  # logo_retention 0.5 -> 0.95 and engagement 0.3 -> 0.8
    runs = {
        "logo_retention": [np.array([1.0, 1.0, 1.0]), np.array([0.5, 0.95, 0.725])],
        "engagement": [np.array([0.6, 0.6, 0.6]), np.array([0.3, 0.8, 0.55])],
    }
    scores = score(scenario, runs)
    assert np.allclose(scores, [0.0, 100.0, 50.0])
    assert stars(scenario, scores).tolist() == [0, 3, 1]  # stars at 40, 60 and 80


def test_a_lesson_can_depend_on_what_the_player_did():
    from engine.outcomes import lesson_applies
    from engine.scenario.schema import Lesson

    index = make_world().intervention_index
    ever = np.zeros((3, len(index)), dtype=bool)
    ever[1, index["mandate"]] = True
    ever[2, index["mandate"]] = ever[2, index["change"]] = True
    runs = {"engagement": [np.array([0.5, 0.5, 0.5]), np.array([0.4, 0.6, 0.7])]}
    backed_but_no_change = Lesson(
        id="half",
        title="Half a turnaround",
        text="A mandate and nothing after it.",
        adopted=["mandate"],
        never_adopted=["change"],
    )
    assert lesson_applies(backed_but_no_change, runs, ever, index).tolist() == [False, True, False]
    engaged = Lesson(
        id="up",
        title="Up",
        text="Engagement rose.",
        adopted=["mandate"],
        when=Condition(metric="engagement", at_least=0.65),
    )
    assert lesson_applies(engaged, runs, ever, index).tolist() == [False, False, True]


def test_a_lesson_can_depend_on_the_dilemma_answers_given():
    from engine.outcomes import lesson_applies
    from engine.scenario.schema import Lesson

    index = make_world().intervention_index
    ever = np.zeros((3, len(index)), dtype=bool)
    runs = {"engagement": [np.array([0.5, 0.5, 0.5])]}
    answers = {
        "push.hold": np.array([True, False, True]),
        "push.ring": np.array([False, True, True]),
    }
    held = Lesson(id="held", title="Held", text="You held.", chose=["push.hold"])
    assert lesson_applies(held, runs, ever, index, answers).tolist() == [True, False, True]
    never_rang = Lesson(id="quiet", title="Quiet", text="No calls.", never_chose=["push.ring"])
    assert lesson_applies(never_rang, runs, ever, index, answers).tolist() == [True, False, False]
    # Without answers, no dilemma was answered.
    assert lesson_applies(held, runs, ever, index).tolist() == [False, False, False]
    assert lesson_applies(never_rang, runs, ever, index).tolist() == [True, True, True]
