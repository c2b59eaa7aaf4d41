"""The forecast before committing (engine.forecast): common random numbers, the gap is
this quarter's decision, run 0 is the game's own future."""

from __future__ import annotations

import numpy as np
import pytest

from engine.decisions import Decisions
from engine.forecast import ForecastCancelled, default_runs, forecast, play_out
from engine.scenario.loader import load_scenario
from engine.session import GameSession

RUNS = 12


@pytest.fixture
def session() -> GameSession:
    game = GameSession(load_scenario("first-quarter"))
    game.play(["call-round"])
    return game


def test_the_same_plan_twice_gives_the_same_bands(session: GameSession):
    first = forecast(session, ["seasonal-blends"], {}, runs=RUNS)
    second = forecast(session, ["seasonal-blends"], {}, runs=RUNS)
    for metric in ("logo_retention", "score"):
        for a, b in (
            (first.plan[metric], second.plan[metric]),
            (first.nothing[metric], second.nothing[metric]),
        ):
            assert a.quarters == b.quarters
            for field in ("p05", "p50", "p95"):
                assert np.array_equal(getattr(a, field), getattr(b, field))
    assert first.beats_nothing == second.beats_nothing


def test_doing_nothing_against_nothing_has_no_gap(session: GameSession):
    result = forecast(session, [], {}, runs=RUNS)
    assert result.plan_is_nothing
    for metric in ("logo_retention", "score"):
        for field in ("p05", "p50", "p95"):
            assert np.array_equal(
                getattr(result.plan[metric], field), getattr(result.nothing[metric], field)
            )
    assert result.beats_nothing == 0.0


def test_bands_cover_the_rest_of_the_game_from_now(session: GameSession):
    result = forecast(session, ["seasonal-blends"], {}, runs=RUNS)
    band = result.plan["logo_retention"]
    assert band.quarters == tuple(range(session.quarter, session.quarters + 1))
    assert np.all(band.p05 <= band.p50) and np.all(band.p50 <= band.p95)
    # The first point is where the game stands now, the same in every run.
    assert band.p50[0] == pytest.approx(session.latest("logo_retention"))
    assert result.runs == RUNS


def test_run_zero_is_playing_the_quarter_then_nothing(session: GameSession):
    plan = Decisions(("seasonal-blends",), {})
    forecast_state = play_out(session, plan, 3, lambda: False)
    session.play(["seasonal-blends"])
    while not session.is_over:
        session.play([])
    for name, values in session.state.history.items():
        assert len(values) == len(forecast_state.history[name])
        for own, forecast_quarter in zip(values, forecast_state.history[name], strict=True):
            assert own[0] == forecast_quarter[0] or (
                np.isnan(own[0]) and np.isnan(forecast_quarter[0])
            ), name


def test_the_final_score_is_the_scenario_own_score(session: GameSession):
    result = forecast(session, ["seasonal-blends"], {}, runs=1)
    session.play(["seasonal-blends"])
    while not session.is_over:
        session.play([])
    assert result.plan["score"].p50[-1] == pytest.approx(float(session.outcome().score[0]))


def test_a_cancelled_forecast_stops(session: GameSession):
    with pytest.raises(ForecastCancelled):
        forecast(session, ["seasonal-blends"], {}, runs=RUNS, cancelled=lambda: True)


def test_runs_shrink_as_more_quarters_remain():
    short = GameSession(load_scenario("first-quarter"))
    long = GameSession(load_scenario("capstone"))
    assert default_runs(short) > default_runs(long) >= 40


def test_the_baseline_is_reused_only_for_the_same_state(session: GameSession):
    before = forecast(session, ["seasonal-blends"], {}, runs=RUNS)
    again = forecast(session, ["thank-the-techs"], {}, runs=RUNS)
    assert again.nothing is before.nothing  # the same quarter: doing nothing is known
    session.play([])
    after = forecast(session, ["seasonal-blends"], {}, runs=RUNS)
    assert after.nothing["score"].quarters[0] == session.quarter
    assert after.nothing is not before.nothing
