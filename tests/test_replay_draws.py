"""Kept draws for replays (engine.replay_draws): a game played with them is the game
played without them, bit for bit, however often the same runs are replayed."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
from conftest import make_world

from engine.decision_log import Policy
from engine.decisions import Decisions
from engine.replay_draws import ReplayDraws
from engine.setup import initial_state
from engine.state import State
from engine.step import advance
from engine.world import World

CALM = Policy({})
BUSY = Policy({1: Decisions(("recognition", "mandate")), 2: Decisions(("change",))})


def growing_world() -> World:
    """Heavy acquisition and little churn: segment blocks outgrow their first slots,
    and small pools make runs win more newcomers than their pool holds."""
    segments = make_world().scenario.model_dump()["segments"]
    world = make_world(
        segments=[dict(segment, churn={"a": 1.0, "b": 400.0}) for segment in segments],
        acquisition={"rate": 0.2},
        practices={"marketing": 1.0},
    )
    world.__dict__["pool_sizes"] = np.array([40, 3], dtype=np.int64)
    return world


def played(world: World, state: State, policy: Policy, draws: ReplayDraws | None = None) -> State:
    while state.quarter < state.horizon:
        advance(world, state, policy.for_quarter(state.quarter + 1), draws)
    return state


def assert_same_state(one: State, other: State) -> None:
    for name in one.history:
        assert np.array_equal(one.history[name], other.history[name]), name
    for part in ("customers", "workforce", "organisation"):
        for field in dataclasses.fields(getattr(one, part)):
            mine, theirs = (getattr(getattr(s, part), field.name) for s in (one, other))
            assert np.array_equal(mine, theirs), f"{part}.{field.name}"


def test_replays_with_kept_draws_play_exactly_as_without() -> None:
    world = growing_world()
    # 70 runs from run 100: the state starts inside a block of runs, whose earlier
    # rows the draws step over.
    start = initial_state(world, seed=8, runs=70, horizon=5, run_offset=100)
    draws = ReplayDraws.for_state(world, start)
    for policy in (BUSY, CALM, BUSY):
        kept = played(world, start.copy(), policy, draws)
        plain = played(world, start.copy(), policy)
        assert_same_state(kept, plain)
    assert kept.customers.active.shape[1] > sum(world.initial_segment_slots())  # grew
    # More than both pools hold: some run won more than its pool in some segment.
    assert np.asarray(plain.history["new_customers"][1:]).max() > 40 + 3
    assert draws.kept_bytes > 0


def test_a_replay_draws_nothing_the_first_play_drew() -> None:
    world = make_world(acquisition={"rate": 0.05})
    start = initial_state(world, seed=3, runs=20, horizon=4)
    draws = ReplayDraws.for_state(world, start)
    played(world, start.copy(), BUSY, draws)
    first = dict(draws._kept)
    played(world, start.copy(), CALM, draws)  # grows no block here: no new chunk to draw
    assert draws._kept.keys() == first.keys()
    assert all(draws._kept[key] is first[key] for key in first)
    kinds = {key[0] for key in first}
    assert kinds == {"counts", "customers", "newcomers", "workforce"}


def test_with_no_budget_nothing_is_kept_and_the_game_is_the_same() -> None:
    world = make_world(acquisition={"rate": 0.05})
    start = initial_state(world, seed=3, runs=4, horizon=3)
    draws = ReplayDraws.for_state(world, start, budget=0)
    assert_same_state(played(world, start.copy(), BUSY, draws), played(world, start.copy(), BUSY))
    assert draws.kept_bytes == 0 and not draws._kept


def test_once_the_budget_is_spent_the_phases_draw_only_what_they_read() -> None:
    draws = ReplayDraws(make_world(), seed=1, run_offset=0, runs=1, budget=100)
    whole, part = np.zeros(20), np.zeros(2)  # 160 bytes: over the budget once kept
    assert draws.kept("first", lambda: whole, otherwise=lambda: part) is whole
    assert draws.kept("first", lambda: np.ones(20)) is whole  # kept, however asked
    assert draws.kept("second", lambda: np.ones(20), otherwise=lambda: part) is part
    assert list(draws._kept) == ["first"] and draws.kept_bytes == 160


def test_a_view_counts_the_whole_array_it_keeps_alive() -> None:
    draws = ReplayDraws(make_world(), seed=1, run_offset=0, runs=1)
    block = np.zeros((64, 10))  # a block of runs, of which a state keeps the last rows
    draws.kept("rows", lambda: block[60:])
    assert draws.kept_bytes == block.nbytes


def test_a_draw_that_fails_lets_the_next_asker_make_it() -> None:
    draws = ReplayDraws(make_world(), seed=1, run_offset=0, runs=1)

    def failing() -> np.ndarray:
        raise RuntimeError("no numbers")

    with pytest.raises(RuntimeError, match="no numbers"):
        draws.kept("k", failing)
    made = np.zeros(3)
    assert draws.kept("k", lambda: made) is made  # nobody is left waiting for the first


def test_kept_draws_refuse_a_state_of_other_runs() -> None:
    world = make_world()
    draws = ReplayDraws.for_state(world, initial_state(world, seed=3, runs=4))
    other = initial_state(world, seed=3, runs=4, run_offset=4)
    with pytest.raises(ValueError) as caught:
        advance(world, other, Decisions(), draws)
    assert str(caught.value) == (
        "these kept draws are for seed 3, runs 0 to 3; the state plays seed 3, runs 4 to 7"
    )
    with pytest.raises(ValueError, match="the state plays seed 4, runs 0 to 3"):
        draws.check(world, initial_state(world, seed=4, runs=4))
    # The same seed and runs in another scenario: its pools are other newcomers.
    richer = make_world(acquisition={"rate": 0.3})
    with pytest.raises(ValueError) as caught:
        advance(richer, initial_state(richer, seed=3, runs=4), Decisions(), draws)
    assert str(caught.value) == "these kept draws are for another world (another scenario)"


def test_two_threads_asking_for_the_same_draw_get_it_made_once() -> None:
    draws = ReplayDraws(make_world(), seed=1, run_offset=0, runs=1)
    made = []
    started = threading.Event()

    def make() -> np.ndarray:
        made.append(1)
        started.set()
        threading.Event().wait(0.05)  # long enough for the other thread to ask
        return np.zeros(3)

    results = []
    first = threading.Thread(target=lambda: results.append(draws.kept("k", make)))
    first.start()
    started.wait()
    results.append(draws.kept("k", make))
    first.join()
    assert len(made) == 1
    assert results[0] is results[1]
