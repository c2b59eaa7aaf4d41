"""What-ifs: the same game replayed with one decision changed and the same seed.

Common random numbers make the comparison exact: every draw is keyed by seed, concern,
quarter and run index (:mod:`engine.randomness`), so a replay that changes one decision
meets exactly the same luck, and the difference in the final figures is that decision's
effect. :func:`exact_effects` measures it in this very game (run 0); :func:`with_spreads`
repeats the comparison over many runs of other luck with the same choices, which says
whether the effect is reliable or luck.

Each alternative starts from the player's own state just before its first changed
quarter (the shared prefix is played once), so a change late in the game costs only
the quarters after it. See :mod:`engine.whatif_plans` for how the alternatives are made.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from engine.decision_log import Policy
from engine.outcomes import score
from engine.replay_draws import ReplayDraws
from engine.session import GameSession
from engine.setup import initial_state
from engine.state import State
from engine.step import advance
from engine.whatif_plans import Alternative, alternatives, first_change
from engine.world import World

__all__ = [
    "RELIABLE",
    "WHATIF_METRICS",
    "Alternative",
    "Effect",
    "Spread",
    "alternatives",
    "exact_effects",
    "final_figures",
    "ranked",
    "replay",
    "with_spreads",
]

WHATIF_METRICS = ("score", "logo_retention", "revenue_retention", "dark_share", "engagement")
# An effect is reliable when it goes the same way in at least this share of the runs.
RELIABLE = 0.8


@dataclass(frozen=True)
class Spread:
    """The player's plan against an alternative over many runs of other luck (same run
    index, same seed for both: common random numbers)."""

    runs: int
    p05: dict[str, float]
    p50: dict[str, float]
    p95: dict[str, float]
    helped_share: float  # share of runs where the player's decision scored higher
    hurt_share: float = 0.0  # share of runs where it scored lower (the rest: no difference)


@dataclass(frozen=True)
class Effect:
    """What one decision did: the player's final figures minus the alternative's."""

    alternative: Alternative
    exact: dict[str, float]  # in this very game (run 0); positive score: the decision helped
    spread: Spread | None = None  # None until :func:`with_spreads` has run

    @property
    def verdict(self) -> str | None:
        """'reliable help', 'reliable harm' or 'luck' once the spread is known, else None."""
        if self.spread is None:
            return None
        if self.spread.helped_share >= RELIABLE:
            return "reliable help"
        if self.spread.hurt_share >= RELIABLE:
            return "reliable harm"
        return "luck"

    @property
    def helped_in_ten(self) -> int | None:
        """In how many of 10 worlds the player's decision helped (rounded), once known."""
        return None if self.spread is None else round(10 * self.spread.helped_share)


def final_figures(scenario, history: dict) -> dict[str, np.ndarray]:
    """Each of :data:`WHATIF_METRICS` at the last quarter of ``history``, per run."""
    figures = {"score": np.asarray(score(scenario, history), dtype=np.float64)}
    for metric in WHATIF_METRICS[1:]:
        figures[metric] = np.asarray(history[metric][-1], dtype=np.float64)
    return figures


def play_on(
    world: World, state: State, policy: Policy, last: int, draws: ReplayDraws | None = None
) -> State:
    """Advance ``state`` in place to quarter ``last`` under ``policy`` and return it,
    with ``draws`` kept for the replays of the same runs."""
    while state.quarter < last:
        advance(world, state, policy.for_quarter(state.quarter + 1), draws)
    return state


def replay(session: GameSession, alternative: Alternative) -> State:
    """The changed game itself (run 0, same seed), to the quarter the game has reached."""
    state = initial_state(session.world, session.seed)
    return play_on(session.world, state, alternative.policy, session.quarter)


def ranked(effects: Sequence[Effect]) -> list[Effect]:
    """Effects by the size of their exact score effect, largest first."""
    return sorted(effects, key=lambda effect: -abs(effect.exact["score"]))


def exact_effects(session: GameSession, alternatives: Sequence[Alternative]) -> list[Effect]:
    """The effect of each alternative in this very game: same seed, run 0, up to the
    quarter the game has reached."""
    world, played = session.world, session.quarter
    own = session.policy()
    starts = {id(alt): first_change(own, alt.policy, played) for alt in alternatives}
    needed = {start for start in starts.values() if start is not None}
    mine = final_figures(session.scenario, session.state.history)
    # One replay of the player's game, keeping a copy just before each changed quarter.
    before: dict[int, State] = {}
    state = initial_state(world, session.seed)
    draws = ReplayDraws.for_state(world, state)
    for quarter in range(1, played + 1):
        if quarter in needed:
            before[quarter] = state.copy()
        advance(world, state, own.for_quarter(quarter), draws)
    effects = []
    for alt in alternatives:
        start = starts[id(alt)]
        if start is None:  # the same decisions: no effect
            effects.append(Effect(alt, dict.fromkeys(WHATIF_METRICS, 0.0)))
            continue
        changed = play_on(world, before[start].copy(), alt.policy, played, draws)
        theirs = final_figures(session.scenario, changed.history)
        effects.append(Effect(alt, {m: float(mine[m][0] - theirs[m][0]) for m in WHATIF_METRICS}))
    return effects


def with_spreads(
    session: GameSession,
    effects: Sequence[Effect],
    runs: int = 200,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    workers: int | None = None,
) -> list[Effect]:
    """The effects with their spread over ``runs`` runs of other luck, same choices.

    The alternatives are taken in the order they branch by (up to) two threads, each
    playing every run: the player's own runs are played forward once, and each
    alternative branches from them just before its first changed quarter. Both threads
    keep the quarters' big draws in one shared :class:`~engine.replay_draws.ReplayDraws`,
    so the same numbers are drawn once for every replay. (Sharing out alternatives rather than
    runs pays each quarter's fixed cost once per replay, not once per thread.) A run's
    numbers depend only on its index, so the result is the same however the work is
    shared. When ``cancelled()`` turns true the effects not yet measured are returned
    without a spread.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    world, played, scenario = session.world, session.quarter, session.scenario
    own = session.policy()
    starts = [first_change(own, effect.alternative.policy, played) for effect in effects]
    order = sorted(
        (index for index, start in enumerate(starts) if start is not None),
        key=lambda index: starts[index],
    )
    workers = max(1, min(workers or min(2, os.cpu_count() or 1), len(order)))
    mine_state = initial_state(world, session.seed, runs)
    draws = ReplayDraws.for_state(world, mine_state)
    pending = iter(order)
    done = [0]
    lock = threading.Lock()  # guards the player's runs and the queue of alternatives
    counting = threading.Lock()
    stop = cancelled or (lambda: False)

    failed = threading.Event()  # a thread's error ends the other's work too

    def take() -> tuple[int, State] | None:
        """The next alternative and a copy of the player's runs just before it branches
        (the player's runs only move forward: the alternatives come in branching order)."""
        with lock:
            index = next(pending, None)
            if index is None or stop() or failed.is_set():
                return None
            play_on(world, mine_state, own, starts[index] - 1, draws)
            return index, mine_state.copy()

    def play_share(_: int) -> dict[int, dict]:
        theirs: dict[int, dict] = {}
        try:
            while (taken := take()) is not None:
                index, state = taken
                branch = play_on(world, state, effects[index].alternative.policy, played, draws)
                theirs[index] = final_figures(scenario, branch.history)
                if progress is not None:
                    with counting:
                        done[0] += 1
                        progress(done[0], len(order))
        except BaseException:
            failed.set()
            raise
        return theirs

    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(play_share, range(workers)))
    else:
        parts = [play_share(0)]
    measured = {index: figures for theirs in parts for index, figures in theirs.items()}
    if measured:  # the player's runs to the end, to compare with (not if nothing was)
        mine = final_figures(scenario, play_on(world, mine_state, own, played, draws).history)
    result = []
    for index, effect in enumerate(effects):
        if starts[index] is None:
            zeros = dict.fromkeys(WHATIF_METRICS, 0.0)
            result.append(replace(effect, spread=Spread(runs, zeros, zeros, zeros, 0.0, 0.0)))
            continue
        if index not in measured:
            result.append(effect)  # cancelled before this one was measured
            continue
        difference = {m: mine[m] - measured[index][m] for m in WHATIF_METRICS}
        low, middle, high = (
            {m: float(np.percentile(difference[m], q)) for m in WHATIF_METRICS} for q in (5, 50, 95)
        )
        helped = float((difference["score"] > 0).mean())
        hurt = float((difference["score"] < 0).mean())
        result.append(replace(effect, spread=Spread(runs, low, middle, high, helped, hurt)))
    return result
