"""The debrief: turning points on constructed series, the appraisal's bands, goals,
true-vs-reported figures, lessons, achievements and chart series of a played game."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import merge, minimal_table

from engine.debrief import (
    BANDS,
    MIN_BEND,
    band,
    charts,
    debrief,
    loss_sentence,
    observations,
    turning_quarters,
    verdict,
)
from engine.formatting import format_change
from engine.presentation import VISIBILITY
from engine.scenario.schema import Scenario
from engine.session import GameSession

QUARTERS = 8


def straight(start: float, step: float, quarters: int = QUARTERS) -> np.ndarray:
    return start + step * np.arange(quarters + 1)


def kinked(start: float, steps: dict[int, float], quarters: int = QUARTERS) -> np.ndarray:
    """A series whose change in quarter q is ``steps[q0]`` for the latest q0 <= q."""
    values = [start]
    step = 0.0
    for quarter in range(1, quarters + 1):
        step = steps.get(quarter, step)
        values.append(values[-1] + step)
    return np.array(values)


def flat_series(**overrides) -> dict[str, np.ndarray]:
    series = {
        "logo_retention": straight(1.0, -0.04),
        "defection_risk": np.full(QUARTERS + 1, 0.04),
        "engagement": np.full(QUARTERS + 1, 0.6),
    }
    series.update(overrides)
    return series


# --- turning points on constructed series --------------------------------------------------
def test_a_steady_trajectory_has_no_turning_point():
    assert turning_quarters(flat_series()) == []


def test_a_single_kink_is_found_with_its_direction():
    worse = flat_series(logo_retention=kinked(1.0, {1: -0.02, 5: -0.07}))
    assert [(q, bend < 0) for q, bend in turning_quarters(worse)] == [(5, True)]
    better = flat_series(engagement=kinked(0.6, {1: -0.03, 4: 0.03}))
    assert [(q, bend > 0) for q, bend in turning_quarters(better)] == [(4, True)]


def test_two_kinks_are_both_found_in_quarter_order():
    series = flat_series(
        logo_retention=kinked(1.0, {1: -0.06, 3: -0.02, 6: -0.07}),
    )
    found = turning_quarters(series)
    assert [q for q, _ in found] == [3, 6]
    assert found[0][1] > 0 > found[1][1]


def test_a_one_quarter_blip_bends_down_then_up():
    steps = {1: -0.03, 4: -0.12, 5: -0.03}
    found = turning_quarters(flat_series(logo_retention=kinked(1.0, steps)))
    assert [(q, bend > 0) for q, bend in found] == [(4, False), (5, True)]


def test_the_components_add_up_and_risk_counts_against():
    # Risk starts rising faster in quarter 5: a turn for the worse even though
    # retention and engagement hold their course.
    series = flat_series(defection_risk=kinked(0.03, {1: 0.01, 2: 0.0, 5: 0.02}))
    found = turning_quarters(series)
    assert [q for q, _ in found] == [5]
    assert found[0][1] < 0


def test_risk_first_change_is_not_a_turn():
    # Quarter 0's defection risk is the baseline propensity: the jump into quarter 1 is
    # drivers starting to act, not a change of course in quarter 2.
    series = flat_series(defection_risk=np.array([0.01] + [0.04] * QUARTERS))
    assert turning_quarters(series) == []


def test_noise_below_the_floor_is_not_a_turn():
    wiggle = 0.6 + 0.0005 * np.array([0, 1, -1, 1, -1, 1, -1, 1, -1])
    assert turning_quarters(flat_series(engagement=wiggle)) == []


def test_at_most_three_turning_points_and_none_much_smaller_than_the_largest():
    steps = {1: -0.02, 2: -0.08, 3: -0.02, 4: -0.06, 5: -0.02, 6: -0.05, 7: -0.02}
    found = turning_quarters(flat_series(logo_retention=kinked(1.0, steps)))
    assert 1 <= len(found) <= 3
    largest = max(abs(bend) for _, bend in found)
    assert all(abs(bend) >= max(MIN_BEND, largest / 3) for _, bend in found)


def test_too_short_a_game_has_no_turning_point():
    assert turning_quarters(flat_series(**{k: v[:2] for k, v in flat_series().items()})) == []


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


def test_turning_points_carry_the_decisions_of_that_quarter_and_the_one_before(played):
    d = debrief(played)
    for point in d.turning_points:
        assert [taken.quarter for taken in point.taken] == [point.quarter - 1, point.quarter]
        for taken in point.taken:
            assert list(taken.adopted) == played.reports[taken.quarter - 1].adopted
        assert point.better == (point.bend > 0)
        assert point.moves


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
