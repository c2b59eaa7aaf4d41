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
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

import numpy as np

from engine import processes, spread_worker
from engine.branching import WHATIF_METRICS, Branching, PlayersRuns, final_figures, play_on
from engine.decision_log import Policy
from engine.replay_draws import ReplayDraws
from engine.session import GameSession
from engine.setup import initial_state
from engine.state import State
from engine.step import advance
from engine.whatif_plans import Alternative, alternatives, first_change

__all__ = [
    "RELIABLE",
    "WHATIF_METRICS",
    "Alternative",
    "Effect",
    "Spread",
    "alternatives",
    "exact_effects",
    "final_figures",
    "play_on",
    "ranked",
    "replay",
    "with_spreads",
]

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


# How often the wait for worker processes looks whether the caller has cancelled.
CANCEL_POLL_SECONDS = 0.05
MINE = -1  # the key of the player's own figures among the measured ones


class _Counter:
    """Reports each measured alternative to ``report(done, total)``, from any thread."""

    def __init__(self, report: Callable[[int, int], None] | None, total: int):
        self.report, self.total, self.done = report, total, 0
        self._lock = threading.Lock()

    def one_more(self) -> None:
        if self.report is not None:
            with self._lock:
                self.done += 1
                self.report(self.done, self.total)


# One branch to measure: its index among the effects, its first changed quarter, its plan.
Branch = tuple[int, int, Policy]
Measured = dict[int, dict[str, np.ndarray]]  # final figures by effect index (and MINE)


def _in_processes(
    branching: Branching,
    todo: Sequence[Branch],
    workers: int,
    stop: Callable[[], bool],
    counter: _Counter,
    measured: Measured,
) -> bool:
    """Measure ``todo`` and the player's own figures into ``measured`` in worker
    processes. False when cancelled; True when done, or when processes are off or
    broke (``measured`` then holds what they finished, and the rest is left to do)."""
    pool = processes.pool(workers, spread_worker.begin, (branching,))
    if pool is None:
        return True
    finished = False
    try:
        futures = {
            pool.submit(spread_worker.branch, start, policy): index for index, start, policy in todo
        }
        futures[pool.submit(spread_worker.to_the_end)] = MINE
        waiting = set(futures)
        while waiting:
            if stop():
                return False
            done, waiting = wait(waiting, CANCEL_POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                measured[futures[future]] = future.result()
                if futures[future] != MINE:
                    counter.one_more()
        finished = True
    except (BrokenProcessPool, OSError) as error:
        processes.give_up(error)  # the rest in threads, now and from now on
    finally:
        if finished:
            pool.shutdown()
        else:  # cancelled, broken, or an error (Ctrl+C): end the workers' work now
            processes.stop(pool)
    return True


def _in_threads(
    branching: Branching,
    todo: Sequence[Branch],
    workers: int,
    stop: Callable[[], bool],
    counter: _Counter,
    measured: Measured,
) -> bool:
    """Measure ``todo`` and the player's own figures into ``measured`` in up to
    ``workers`` threads sharing one copy of the player's runs. False when cancelled."""
    runs = PlayersRuns(branching)
    pending = iter(todo)
    lock = threading.Lock()  # guards the player's runs and the queue of branches
    failed = threading.Event()  # a thread's error ends the other's work too

    def take() -> tuple[int, State, Policy] | None:
        """The next branch and a copy of the player's runs just before it (taken in
        order under the lock, so the player's runs only move forward)."""
        with lock:
            item = next(pending, None)
            if item is None or stop() or failed.is_set():
                return None
            index, start, policy = item
            return index, runs.before(start), policy

    def play_share(_: int) -> None:
        try:
            while (taken := take()) is not None:
                index, state, policy = taken
                measured[index] = runs.branch(state, policy)
                counter.one_more()
        except BaseException:
            failed.set()
            raise

    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(play_share, range(workers)))
    else:
        play_share(0)
    if stop():
        return False
    measured[MINE] = runs.to_the_end()
    return True


def with_spreads(
    session: GameSession,
    effects: Sequence[Effect],
    runs: int = 200,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    workers: int | None = None,
    use_processes: bool | None = None,
) -> list[Effect]:
    """The effects with their spread over ``runs`` runs of other luck, same choices.

    Each alternative branches from the player's own runs just before its first changed
    quarter; the branches are measured in the order they start by up to ``workers``
    (default: two, or one on a one-core machine) worker processes
    (:mod:`engine.processes`, :mod:`engine.spread_worker`), or threads when processes
    are off (``use_processes=False``, or :func:`engine.processes.enabled` false) or
    break. Each worker plays the player's runs forward once and keeps the quarters'
    big draws for its replays (:class:`~engine.replay_draws.ReplayDraws`); threads
    share one copy of both. A run's numbers depend only on its index, so the result
    is the same however the work is shared. ``progress(done, total)`` is called as
    each alternative is measured. When ``cancelled()`` turns true the work stops and
    the effects come back as they were given, without spreads.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    played = session.quarter
    own = session.policy()
    branching = Branching(session.world, session.scenario, session.seed, runs, own, played)
    starts = [first_change(own, effect.alternative.policy, played) for effect in effects]
    todo = sorted(
        (
            (index, start, effects[index].alternative.policy)
            for index, start in enumerate(starts)
            if start is not None
        ),
        key=lambda branch: branch[1],
    )
    if not todo:
        return [_no_difference(effect, runs) for effect in effects]
    workers = max(1, min(workers or min(2, os.cpu_count() or 1), len(todo)))
    stop = cancelled or (lambda: False)
    counter = _Counter(progress, len(todo))
    measured: Measured = {}
    if use_processes is None:
        use_processes = processes.enabled()
    if (
        workers > 1
        and use_processes
        and not _in_processes(branching, todo, workers, stop, counter, measured)
    ):
        return list(effects)
    rest = [branch for branch in todo if branch[0] not in measured]
    if (rest or MINE not in measured) and not _in_threads(
        branching, rest, workers, stop, counter, measured
    ):
        return list(effects)
    mine = measured[MINE]
    result = []
    for index, effect in enumerate(effects):
        if starts[index] is None:
            result.append(_no_difference(effect, runs))
            continue
        difference = {m: mine[m] - measured[index][m] for m in WHATIF_METRICS}
        low, middle, high = (
            {m: float(np.percentile(difference[m], q)) for m in WHATIF_METRICS} for q in (5, 50, 95)
        )
        helped = float((difference["score"] > 0).mean())
        hurt = float((difference["score"] < 0).mean())
        result.append(replace(effect, spread=Spread(runs, low, middle, high, helped, hurt)))
    return result


def _no_difference(effect: Effect, runs: int) -> Effect:
    """``effect`` of an alternative that decides as the player did: a spread of zeros."""
    zeros = dict.fromkeys(WHATIF_METRICS, 0.0)
    return replace(effect, spread=Spread(runs, zeros, zeros, zeros, 0.0, 0.0))
