"""Regression tests for the sentences issue 9 found contradicting the run: each plays a
built-in scenario with its own seed and a plan, and checks the words against the run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.debrief import debrief
from engine.decision_log import Policy
from engine.policy import load_policy
from engine.scenario.loader import builtin_dir, load_scenario
from engine.session import GameSession

PLANS = Path(__file__).parent / "data" / "plans"


def play(scenario_id: str, policy: Policy | None = None) -> GameSession:
    """A whole game of a built-in scenario, with its own seed, under ``policy``."""
    session = GameSession(load_scenario(scenario_id))
    policy = policy or load_policy(PLANS / f"{scenario_id}.toml")
    while not session.is_over:
        decisions = policy.for_quarter(session.quarter + 1)
        session.play(decisions.interventions, decisions.choices)
    return session


def policy_of(table: dict) -> Policy:
    return Policy.from_table(table)


@pytest.fixture(scope="module")
def fine() -> GameSession:
    return play("fine-on-paper")


@pytest.fixture(scope="module")
def quota() -> GameSession:
    return play("quota-season")


@pytest.fixture(scope="module")
def tutorial() -> GameSession:
    return play("first-quarter")


@pytest.fixture(scope="module")
def retired_and_refused() -> GameSession:
    """Quota Season: the push retired in quarter 1, every quarter-end push refused, and
    nothing else done, so that retention falls under 75%."""
    return play(
        "quota-season",
        policy_of(
            {
                "decisions": [
                    {"quarter": 1, "interventions": ["retire-the-push"]},
                    {"quarter": 2, "choices": {"push-q2": "hold"}},
                    {"quarter": 4, "choices": {"push-q4": "hold"}},
                    {"quarter": 6, "choices": {"push-q6": "show-the-base"}},
                ]
            }
        ),
    )


def lessons(session: GameSession) -> dict:
    return {lesson.id: lesson for lesson in debrief(session).lessons}


def test_satisfied_is_not_loyal_needs_thrill_to_have_slid(fine):
    thrill = fine.series("thrill")
    assert thrill[-1] > thrill[0]  # the plan renews interest
    lesson = lessons(fine)["satisfied-not-loyal"]
    assert not lesson.applies
    assert lesson.evidence == f"thrill rose from {thrill[0]:.2f} to {thrill[-1]:.2f} in your game"


def test_bookings_lesson_not_for_a_player_who_retired_the_push(retired_and_refused):
    session = retired_and_refused
    assert session.latest("logo_retention") <= 0.75  # the old rule would have fired
    found = lessons(session)
    for lesson_id in ("bookings-in-customers-out", "pushed-go-dark"):
        assert not found[lesson_id].applies
        assert "you adopted 'Retire the quarter-end push' in quarter 1" in found[lesson_id].evidence


def test_the_unaudited_survey_is_named_only_without_an_honest_survey(fine, tutorial):
    for session in (fine, tutorial):
        assert not any("nobody audits" in finding for finding in debrief(session).findings)
    untouched = play("first-quarter", policy_of({}))
    assert any("nobody audits" in finding for finding in debrief(untouched).findings)


def test_lessons_that_do_not_apply_give_plain_reasons_not_thresholds(fine, quota, tutorial):
    for session in (fine, quota, tutorial):
        for lesson in lessons(session).values():
            assert "applies at" not in lesson.evidence
            if not lesson.applies:
                assert lesson.evidence  # every lesson that did not apply says why


def test_headline_names_what_was_working_against_the_top_driver(quota):
    q3 = quota.reports[2]
    assert q3.driver is not None and q3.driver.driver == "boredom"
    assert "although" in q3.headline and "'Fleet insights report'" in q3.headline
    for report in quota.reports:
        if report.driver and report.driver.counters:
            assert "nothing new" not in report.headline and "too little new" not in report.headline


def test_the_tutorial_summary_does_not_praise_and_blame_the_same_thing(tutorial):
    text = debrief(tutorial).verdict
    assert "kept giving them reasons to" in text  # thrill rose
    assert "nobody brought them anything new" not in text


def test_resistance_to_retiring_the_push_is_named_with_when_it_fades(quota):
    line = next(line for line in quota.reports[0].lines if line.startswith("Engagement fell"))
    assert "resistance to 'Retire the quarter-end push'" in line
    match = re.search(r"fades in about (\d+) quarters", line)
    assert match
    claim = quota.reports[0].engagement
    assert claim is not None and claim.fades_in == int(match.group(1))
    assert claim.move.before == pytest.approx(quota.series("engagement")[0])


def test_a_more_honest_survey_is_labelled_as_such(tutorial):
    labelled = [report for report in tutorial.reports if report.survey is not None]
    assert labelled
    for report in labelled:
        assert "became more honest" in report.lines[0]
        reported = tutorial.series("csat_reported")
        assert report.survey.move.after == pytest.approx(reported[report.quarter])
        assert report.survey.move.after < report.survey.move.before


def test_the_honest_survey_card_promises_only_what_the_model_does():
    scenario = load_scenario("fine-on-paper")
    card = scenario.intervention("honest-survey").description
    assert "will drop" not in card  # the survey barely moved: truth rose as bias shrank
    assert "stopped answering still do not answer" in card.replace("\n", " ")


def test_dilemma_answers_show_what_they_changed_and_which_costs_later():
    hasty = play(
        "first-quarter",
        policy_of({"decisions": [{"quarter": 2, "choices": {"fairbank-order": "promise-monday"}}]}),
    )
    careful = play(
        "first-quarter",
        policy_of({"decisions": [{"quarter": 2, "choices": {"fairbank-order": "promise-a-week"}}]}),
    )
    said = {
        label: next(c for c in game.reports[1].changed if c.choice)
        for label, game in (("hasty", hasty), ("careful", careful))
    }
    assert "overpromising +0.30" in said["hasty"].text
    assert "costs more later" in said["hasty"].text
    assert "customer contact +0.10" in said["careful"].text
    assert "costs more later" not in said["careful"].text


# --- every built-in lesson states the conditions of the mechanism it claims --------------
def _raises_quota(effects) -> bool:
    return any(e.lever == "quota_pressure" for e in effects)


def _metric_falls(metric):
    return lambda lesson, _: (
        lesson.when is not None
        and lesson.when.metric == metric
        and lesson.when.measure == "change"
        and lesson.when.at_most is not None
        and lesson.when.at_most <= 0
    )


def _metric_named(metric):
    return lambda lesson, _: lesson.when is not None and lesson.when.metric == metric


def _push_decided(lesson, scenario) -> bool:
    """A condition on a decision that acts on the quarter-end push."""
    interventions = [*lesson.adopted, *lesson.never_adopted]
    if any(_raises_quota(scenario.intervention(name).effects) for name in interventions):
        return True
    events = {event.id: event for event in scenario.events}
    for answer in [*lesson.chose, *lesson.never_chose]:
        event_id, choice_id = answer.split(".")
        choice = next(c for c in events[event_id].choices if c.id == choice_id)
        if _raises_quota(choice.effects):
            return True
    return False


# (what a lesson's title or text claims about this game, the condition that must say so)
MECHANISMS = (
    (r"thrill\b.*\b(slid|sliding|fell|slipped|faded)|interest fades", _metric_falls("thrill")),
    (r"\bthe pushes\b|quarter-end push\b", _push_decided),
    (r"nobody audits|unaudited", _metric_named("data_credibility")),
    (r"were dark|went dark|went quiet|stopped answering", _metric_named("dark_share")),
    (r"engagement (stayed|ended)", _metric_named("engagement")),
    (r"norm ended|good enough slid|bar stayed low", _metric_named("quality_norm")),
    (r"self-focus (stayed|rose)", _metric_named("self_focus")),
    (r"role clarity (stayed|ended)", _metric_named("role_clarity")),
    (r"trust ended", _metric_falls("trust")),
    (r"attrition stayed", _metric_named("employee_attrition")),
    (r"expectation gap opened|over-promising lifted", _metric_named("expectation_gap")),
    (r"lost more than a quarter", _metric_named("logo_retention")),
    (r"digital maturity stayed", _metric_named("digital_maturity")),
)


def builtin_lessons():
    for path in sorted(builtin_dir().glob("*.toml")):
        scenario = load_scenario(path)
        for lesson in scenario.lessons:
            yield pytest.param(scenario, lesson, id=f"{scenario.meta.id}:{lesson.id}")


@pytest.mark.parametrize(("scenario", "lesson"), list(builtin_lessons()))
def test_a_lesson_that_claims_a_mechanism_has_a_condition_for_it(scenario, lesson):
    words = " ".join(f"{lesson.title} {lesson.text}".lower().split())
    for pattern, condition in MECHANISMS:
        if re.search(pattern, words):
            assert condition(lesson, scenario), f"claims /{pattern}/ without a condition for it"


def test_a_lesson_that_missed_says_how_without_its_threshold() -> None:
    """A playthrough read 'Not this time … thrill fell from 0.55 to 0.44' as a
    contradiction: when the figure moved the lesson's way but not far enough, the reason
    says so, still without the scenario's threshold."""
    import numpy as np

    from engine.debrief.lessons import metric_reason
    from engine.scenario.schema import Condition

    fell = Condition(metric="thrill", measure="change", at_most=-0.2)
    text = metric_reason(fell, np.array([0.55, 0.50, 0.44]), False, "$").text
    assert text == "thrill fell from 0.55 to 0.44 in your game, not far enough for this lesson"
    rose = metric_reason(fell, np.array([0.55, 0.60]), False, "$").text
    assert rose == "thrill rose from 0.55 to 0.60 in your game"
    high = Condition(metric="dark_share", at_least=0.1)
    text = metric_reason(high, np.array([0.02, 0.06]), False, "$").text
    assert text == "dark share ended at 6.0% in your game, not as high as this lesson is about"
    assert "0.2" not in text and "10" not in text


def test_a_safe_pair_of_hands_says_a_few_left_only_when_few_did() -> None:
    """A playthrough's grade-B capstone lost 701 customers and kept 61%, yet read 'most
    customers would renew … A few left who need not have'."""
    from engine.debrief.appraisal import BANDS, FEW_LEFT_KEPT, band_words

    assert band_words(3, FEW_LEFT_KEPT + 0.01) == BANDS[3][2]
    many = band_words(3, 0.612)
    assert "A few left" not in many and "would renew" not in many
    assert "61% of those you started with are still with you" in many
