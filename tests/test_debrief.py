"""The debrief: turning points from the effects of decisions, the appraisal's bands, goals,
true-vs-reported figures, lessons, achievements and chart series of a played game."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import merge, minimal_table

from engine.debrief import (
    BANDS,
    MIN_POINTS,
    DecisionsTaken,
    band,
    because,
    charts,
    debrief,
    loss_sentence,
    observations,
    quarter_effects,
    turning_quarters,
    verdict,
)
from engine.debrief.turning_points import points_words
from engine.formatting import format_change
from engine.presentation import METRIC_PRESENTATION, VISIBILITY
from engine.scenario.loader import load_scenario
from engine.scenario.schema import Scenario
from engine.session import GameSession
from engine.whatif import WHATIF_METRICS


# --- turning points from the effects of each quarter's decisions ---------------------------
def test_no_decision_that_mattered_has_no_turning_point():
    assert turning_quarters({}) == []
    assert turning_quarters({1: 0.5, 3: -1.5, 4: 1.9}) == []


def test_the_largest_effects_are_turning_points_with_their_sign():
    found = turning_quarters({1: 3.0, 2: -12.0, 3: 0.5, 5: 8.0})
    # A third of the largest (12 points) is 4: quarter 1's 3 points are too small.
    assert found == [(2, -12.0), (5, 8.0)]


def test_at_most_three_turning_points_and_none_much_smaller_than_the_largest():
    effects = {1: 10.0, 2: -9.0, 3: 8.0, 4: 7.0, 5: -2.5}
    found = turning_quarters(effects)
    assert found == [(1, 10.0), (2, -9.0), (3, 8.0)]
    largest = max(abs(points) for _, points in found)
    assert all(abs(points) >= max(MIN_POINTS, largest / 3) for _, points in found)


def test_the_sentence_says_the_effect_in_numbers():
    taken = DecisionsTaken(3, ("Sales blitz",), (("Quarter-end push", "Refuse"),), ())
    assert because(taken, -12.4, "adopting nothing and answering 'Push'") == (
        "Adopting 'Sales blitz' and answering 'Refuse' to 'Quarter-end push' in quarter 3 "
        "cost 12 points of the final score, against adopting nothing and answering 'Push'."
    )
    two = DecisionsTaken(2, ("A", "B", "C"), (), ())
    assert because(two, 0.44, "adopting nothing") == (
        "Adopting 'A', 'B' and 'C' in quarter 2 added 0.4 points to the final score, "
        "against adopting nothing."
    )
    assert points_words(1.2) == "1 point"


# --- the appraisal -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, 0), (19.9, 0), (20, 1), (39.9, 1), (40, 2), (59.9, 2), (60, 3), (79.9, 3), (80, 4)],
)
def test_bands_follow_the_stars(score, expected):
    assert band(score, [40, 60, 80]) == expected


def test_five_bands_with_distinct_grades_and_words():
    assert [grade for grade, _, _ in BANDS] == ["F", "D", "C", "B", "A"]
    assert len({words for _, _, words in BANDS}) == 5


def truth_series(**overrides) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    series = {
        "quality_norm": np.array([0.70, 0.70]),
        "csat_reported": np.array([0.80, 0.80]),
        "csat_true": np.array([0.78, 0.78]),
        "dark_share": np.array([0.0, 0.02]),
        "engagement": np.array([0.6, 0.6]),
        "thrill": np.array([0.5, 0.5]),
    }
    series.update({k: np.array(v) for k, v in overrides.items()})
    seen = {metric: np.zeros(2, dtype=bool) for metric in series}
    return series, seen


def test_verdict_opens_with_its_band_and_names_the_biggest_driver():
    series, seen = truth_series()
    losses = [("dark", 60), ("boredom", 30), ("baseline", 10)]
    text = verdict(0, losses, series, seen)
    assert text.startswith(BANDS[0][2])
    assert "100 customers left" in text
    assert "60% of them" in text and "stopped answering" in text


def test_verdict_names_the_norm_drift_only_when_notable():
    series, seen = truth_series(quality_norm=[0.70, 0.62])
    text = verdict(2, [("boredom", 5)], series, seen)
    assert "slipped from 0.70 to 0.62" in text
    series, seen = truth_series(quality_norm=[0.70, 0.69])
    assert "good enough" not in verdict(2, [("boredom", 5)], series, seen)


def test_observations_rank_the_most_notable_first():
    series, seen = truth_series(
        quality_norm=[0.70, 0.67], csat_reported=[0.85, 0.90], csat_true=[0.75, 0.66]
    )
    found = observations(series, seen)
    assert "survey" in found[0][1] and "never saw" in found[0][1]
    assert "good enough" in found[1][1]


def test_ordinary_churn_first_still_names_the_avoidable_reason():
    sentence = loss_sentence([("baseline", 50), ("boredom", 30), ("dark", 20)])
    assert "nobody could prevent" in sentence and "avoidable" in sentence
    assert loss_sentence([]) == "Not one customer left over the whole game."


def test_changes_that_round_to_nothing_have_no_sign():
    assert format_change(-0.00001, "share") == "0.0 pts"
    assert format_change(-0.001, "level") == "0.00"
    assert format_change(-0.02, "level") == "-0.02"
    assert format_change(0.034, "share") == "+3.4 pts"


# --- a played game -------------------------------------------------------------------------
EXTRAS = {
    "goals": [
        {"id": "kept", "text": "Keep some.", "metric": "logo_retention", "at_least": 0.1},
        {"id": "thrilled", "text": "Thrill them.", "metric": "thrill", "at_least": 0.99},
        {
            "id": "steady",
            "text": "Few leave.",
            "metric": "defections",
            "at_most": 1_000,
            "for_quarters": 3,
        },
        {
            "id": "norm-held",
            "text": "Hold the norm.",
            "metric": "quality_norm",
            "measure": "change",
            "at_least": 0.2,
        },
    ],
    "lessons": [
        {"id": "always", "title": "Always", "text": "Always applies."},
        {
            "id": "lost-some",
            "title": "Lost some",
            "text": "Customers left.",
            "when": {"metric": "logo_retention", "at_most": 0.99},
        },
        {
            "id": "never",
            "title": "Never",
            "text": "Never applies.",
            "when": {"metric": "engagement", "at_least": 2.0},
        },
    ],
    "achievements": [
        {
            "id": "some-left",
            "title": "Some left",
            "text": "Kept at least a tenth.",
            "condition": {"metric": "logo_retention", "at_least": 0.1},
        },
        {
            "id": "impossible",
            "title": "Impossible",
            "text": "Engagement above 1.",
            "condition": {"metric": "engagement", "at_least": 1.5},
        },
    ],
}


def play(table: dict, plan: dict[int, tuple[str, ...]] | None = None) -> GameSession:
    session = GameSession(Scenario.model_validate(table))
    plan = plan or {}
    while not session.is_over:
        session.play(plan.get(session.quarter + 1, ()))
    return session


@pytest.fixture(scope="module")
def played() -> GameSession:
    return play(merge(minimal_table(), EXTRAS), {1: ("recognition",), 3: ("mandate",)})


def test_goals_met_or_missed_with_final_value_and_threshold(played):
    d = debrief(played)
    goals = {goal.id: goal for goal in d.goals}
    assert goals["kept"].met and not goals["thrilled"].met
    assert goals["kept"].value == pytest.approx(played.latest("logo_retention"))
    assert goals["thrilled"].target == 0.99 and goals["thrilled"].at_least
    # Several quarters: the worst of them decides.
    assert goals["steady"].value == pytest.approx(played.series("defections")[-3:].max())
    # On the change since the start.
    norm = played.series("quality_norm")
    assert goals["norm-held"].value == pytest.approx(norm[-1] - norm[0])
    assert not goals["norm-held"].met
    assert "needed at least 0.99" in goals["thrilled"].describe()
    assert d.goals_met == sum(goal.met for goal in d.goals)


def test_true_and_reported_side_by_side_with_what_was_hidden(played):
    d = debrief(played)
    truth = {fig.metric: fig for fig in d.truth}
    assert {"csat_reported", "csat_true", "thrill", "dark_share", "defection_risk"} <= set(truth)
    for metric, fig in truth.items():
        np.testing.assert_array_equal(fig.values, played.series(metric))
    credibility = played.series("data_credibility")
    assert truth["csat_reported"].seen.all()
    np.testing.assert_array_equal(truth["csat_true"].seen, credibility >= VISIBILITY["csat_true"])
    np.testing.assert_array_equal(truth["dark_share"].seen, credibility >= VISIBILITY["dark_share"])
    # The last quarter's mask is what the dashboard showed at the end.
    for metric, fig in truth.items():
        assert bool(fig.seen[-1]) == played.visible(metric)
    assert any("true satisfaction" in finding for finding in d.findings)


def test_everything_is_seen_with_credible_data():
    credible = {"start": {"data_credibility": 0.95}, "practices": {"data_investment": 1.0}}
    session = play(merge(minimal_table(), credible))
    assert session.series("data_credibility").min() >= max(VISIBILITY.values())
    d = debrief(session)
    assert all(fig.seen.all() for fig in d.truth)
    assert not any("never saw" in finding for finding in d.findings)


def test_lessons_match_what_happened_applied_first(played):
    d = debrief(played)
    assert [(lesson.id, lesson.applies) for lesson in d.lessons] == [
        ("always", True),
        ("lost-some", True),
        ("never", False),
    ]
    assert d.lessons[0].evidence == ""
    assert "logo retention ended at" in d.lessons[1].evidence


def test_achievements_earned_and_missed(played):
    d = debrief(played)
    earned = {a.id: (a.earned, a.quarter) for a in d.achievements}
    assert earned["some-left"] == (True, played.achieved["some-left"])
    assert earned["impossible"] == (False, None)


def test_turning_points_carry_the_decisions_of_that_quarter_and_their_effect(played):
    d = debrief(played)
    effects = quarter_effects(played)
    assert set(effects) == {1, 3}  # the quarters where something was adopted
    assert d.turning_points  # quarter 1's recognition moved the score by several points
    assert [point.quarter for point in d.turning_points] == [
        quarter
        for quarter, _ in turning_quarters(
            {quarter: effect.exact["score"] for quarter, effect in effects.items()}
        )
    ]
    for point in d.turning_points:
        assert [taken.quarter for taken in point.taken] == [point.quarter]
        assert list(point.taken[0].adopted) == played.reports[point.quarter - 1].adopted
        assert point.points == effects[point.quarter].exact["score"]
        assert point.better == (point.points > 0)
        assert points_words(point.points) in point.because
        effect = effects[point.quarter].exact
        for move, metric in zip(point.moves, WHATIF_METRICS[1:], strict=False):
            shown = METRIC_PRESENTATION[metric]
            assert move == (
                f"{shown.trend_label}: {format_change(effect[metric], shown.format)} "
                "by the game's end"
            )


def test_a_sales_blitz_that_cost_points_is_no_turn_for_the_better():
    # Issue 9: Quota Season's debrief called quarter 3 "a turn for the better", the
    # quarter of a sales blitz that sent over a hundred customers dark, because
    # retention's course bent upwards then. The player retired the push in quarter 1,
    # refused every quarter-end push and ran a sales blitz in quarter 3.
    scenario = load_scenario("quota-season")
    session = GameSession(scenario, seed=1)
    plan = {
        1: (["retire-the-push"], {}),
        2: ([], {"push-q2": "hold"}),
        3: (["sales-blitz"], {}),
        4: ([], {"push-q4": "hold"}),
        6: ([], {"push-q6": "show-the-base"}),
    }
    for quarter in range(1, scenario.meta.quarters + 1):
        interventions, choices = plan.get(quarter, ([], {}))
        session.play(interventions, choices)
    assert session.reports[2].adopted == ["Sales blitz"]
    assert session.reports[2].went_dark > 80
    blitz = quarter_effects(session)[3].exact["score"]
    assert blitz < 0  # the blitz cost points, measured by the replay without it
    points = debrief(session).turning_points
    assert not [point for point in points if point.quarter == 3 and point.better]
    for point in points:
        assert point.better == (point.points > 0)
        assert ("added" in point.because) == point.better


def test_score_stars_and_grade_agree_with_the_outcome(played):
    d = debrief(played)
    outcome = played.outcome()
    assert d.score == pytest.approx(float(outcome.score[0]))
    assert d.stars == int(outcome.stars[0])
    assert d.grade == BANDS[band(d.score, played.scenario.scoring.stars)][0]
    assert d.verdict.startswith(BANDS[band(d.score, played.scenario.scoring.stars)][2])
    assert sum(count for _, count in d.losses) == pytest.approx(
        played.series("defections").sum(), abs=len(d.losses)
    )


def test_chart_series_follow_the_session_and_its_visibility(played):
    built = {chart.id: chart for chart in charts(played)}
    assert {"customers", "retention", "satisfaction", "engagement", "quality", "profit"} <= set(
        built
    )
    for chart in built.values():
        for line in chart.lines:
            assert line.visible == played.visible(line.figure.metric)
            assert line.quarters.size == line.values.size
    profit = built["profit"].lines[0]
    assert profit.quarters[0] == 1  # flows have no quarter 0
    np.testing.assert_array_equal(profit.values, played.series("profit")[1:])


def test_a_debrief_needs_a_quarter_played():
    with pytest.raises(ValueError, match="at least one quarter"):
        debrief(GameSession(Scenario.model_validate(minimal_table())))
