"""What-ifs: the same game replayed with one decision changed and the same seed.

Common random numbers make the comparison exact: every draw is keyed by seed, concern,
quarter and run index (:mod:`engine.randomness`), so a replay that changes one decision
meets exactly the same luck, and the difference in the final figures is that decision's
effect. :func:`exact_effects` measures it in this very game (run 0); :func:`with_spreads`
repeats the comparison over many runs of other luck with the same choices, which says
whether the effect is reliable or luck; :func:`measured_effects` does both, as the
debrief shows them: exact effects first, spreads after.

Each alternative starts from the player's own state just before its first changed
quarter (the shared prefix is played once per worker), so a change late in the game
costs only the quarters after it (:mod:`engine.branching`). The spreads, and with
:func:`measured_effects` the exact replays too, are played by two worker processes
(:mod:`engine.processes`, :mod:`engine.spread_worker`), or by threads where processes
are off. See :mod:`engine.whatif_plans` for how the alternatives are made.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable, Sequence
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
    "measured_effects",
    "play_on",
    "ranked",
    "replay",
    "with_spreads",
]

# An effect is reliable when it goes the same way in at least this share of the runs.
RELIABLE = 0.8

Figures = dict[str, np.ndarray]  # final figures per run (final_figures)


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
        effects.append(_exact(alt, mine, final_figures(session.scenario, changed.history)))
    return effects


def _exact(alternative: Alternative, mine: Figures, theirs: Figures) -> Effect:
    """The effect in this very game (run 0), from the player's figures and the
    alternative's."""
    return Effect(alternative, {m: float(mine[m][0] - theirs[m][0]) for m in WHATIF_METRICS})


# How often the wait for worker processes looks whether the caller has cancelled.
CANCEL_POLL_SECONDS = 0.05
MINE = "mine"  # the key of the player's own figures over the runs among the measured
EXACT = "exact"  # the first part of the key of an exact (single-run) replay

# What to measure: its key (an effect's index for a spread, (EXACT, index) for an exact
# replay, MINE), its first changed quarter (None: the player's own runs to the end), its
# plan, and over how many runs.
Task = tuple[Hashable, int | None, Policy | None, int]


class _Counter:
    """Reports each measured spread to ``report(done, total)``, from any thread."""

    def __init__(self, report: Callable[[int, int], None] | None, total: int):
        self.report, self.total, self.done = report, total, 0
        self._lock = threading.Lock()

    def begin(self) -> None:
        """Say that the spreads begin (with how many are measured already: none, or
        those that finished before the last exact replay)."""
        if self.report is not None:
            with self._lock:
                self.report(self.done, self.total)

    def one_more(self, quietly: bool = False) -> None:
        """Count one more measured spread, and report it unless ``quietly`` (before
        :meth:`begin`: a spread may finish before the last exact replay)."""
        with self._lock:
            self.done += 1
            if self.report is not None and not quietly:
                self.report(self.done, self.total)


def _in_processes(
    branchings: tuple[Branching, ...],
    tasks: Sequence[Task],
    workers: int,
    stop: Callable[[], bool],
    measured: dict[Hashable, Figures],
    each: Callable[[Hashable], None],
) -> bool:
    """Measure ``tasks`` into ``measured`` in worker processes, calling ``each(key)`` in
    this thread as each is measured. False when cancelled; True when done, or when
    processes are off or broke (``measured`` then holds what they finished)."""
    pool = processes.pool(workers, spread_worker.begin, branchings)
    if pool is None:
        return True
    finished = False
    try:
        futures = {
            (
                pool.submit(spread_worker.to_the_end, runs)
                if start is None
                else pool.submit(spread_worker.branch, start, policy, runs)
            ): key
            for key, start, policy, runs in tasks
        }
        waiting = set(futures)
        while waiting:
            if stop():
                return False
            done, waiting = wait(waiting, CANCEL_POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                measured[futures[future]] = future.result()
                each(futures[future])
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
    tasks: Sequence[Task],
    workers: int,
    stop: Callable[[], bool],
    measured: dict[Hashable, Figures],
    each: Callable[[Hashable], None],
) -> bool:
    """Measure ``tasks`` (in the order they start, all over ``branching.runs`` runs)
    into ``measured`` in up to ``workers`` threads sharing one copy of the player's
    runs, calling ``each(key)`` as each is measured. False when cancelled."""
    runs = PlayersRuns(branching)
    branches = [task for task in tasks if task[1] is not None]
    pending = iter(branches)
    lock = threading.Lock()  # guards the player's runs and the queue of branches
    failed = threading.Event()  # a thread's error ends the other's work too

    def take() -> tuple[Hashable, State, Policy] | None:
        """The next branch and a copy of the player's runs just before it (taken in
        order under the lock, so the player's runs only move forward)."""
        with lock:
            task = next(pending, None)
            if task is None or stop() or failed.is_set():
                return None
            key, start, policy, _ = task
            return key, runs.before(start), policy

    def play_share(_: int) -> None:
        try:
            while (taken := take()) is not None:
                key, state, policy = taken
                measured[key] = runs.branch(state, policy)
                each(key)
        except BaseException:
            failed.set()
            raise

    workers = max(1, min(workers, len(branches)))
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            try:
                list(pool.map(play_share, range(workers)))
            except BaseException:  # Ctrl+C here, or a thread's error: the others stop
                failed.set()  # after the alternative in hand (the pool waits for them)
                raise
    else:
        play_share(0)
    if stop():
        return False
    if any(task[1] is None for task in tasks):
        measured[MINE] = runs.to_the_end()
    return True


def _spread_tasks(session: GameSession, effects: Sequence[Effect], runs: int) -> list[Task]:
    """The spreads to measure, in the order they start, then the player's own runs."""
    own, played = session.policy(), session.quarter
    starts = [first_change(own, effect.alternative.policy, played) for effect in effects]
    branches = [
        (index, start, effects[index].alternative.policy, runs)
        for index, start in enumerate(starts)
        if start is not None
    ]
    branches.sort(key=lambda task: task[1])
    return [*branches, (MINE, None, None, runs)] if branches else []


def _branching(session: GameSession, runs: int) -> Branching:
    own = session.policy()
    return Branching(session.world, session.scenario, session.seed, runs, own, session.quarter)


def _default_workers(workers: int | None) -> int:
    return max(1, workers or min(2, os.cpu_count() or 1))


def _use_processes(workers: int, use_processes: bool | None) -> bool:
    return workers > 1 and (processes.enabled() if use_processes is None else use_processes)


def _with_measured_spreads(
    effects: Sequence[Effect], measured: dict[Hashable, Figures], runs: int
) -> list[Effect]:
    """``effects`` with the spreads of the measured differences (a spread of zeros for
    an alternative that decides as the player did)."""
    result = []
    for index, effect in enumerate(effects):
        if index not in measured:
            zeros = dict.fromkeys(WHATIF_METRICS, 0.0)
            result.append(replace(effect, spread=Spread(runs, zeros, zeros, zeros, 0.0, 0.0)))
            continue
        mine = measured[MINE]
        difference = {m: mine[m] - measured[index][m] for m in WHATIF_METRICS}
        low, middle, high = (
            {m: float(np.percentile(difference[m], q)) for m in WHATIF_METRICS} for q in (5, 50, 95)
        )
        helped = float((difference["score"] > 0).mean())
        hurt = float((difference["score"] < 0).mean())
        result.append(replace(effect, spread=Spread(runs, low, middle, high, helped, hurt)))
    return result


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
    is the same however the work is shared. ``progress(done, total)`` is called once
    with ``done`` 0 as the spreads begin, then as each alternative is measured. When
    ``cancelled()`` turns true the work stops and the effects come back as they were
    given, without spreads.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    tasks = _spread_tasks(session, effects, runs)
    workers = _default_workers(workers)
    stop = cancelled or (lambda: False)
    counter = _Counter(progress, len(tasks) - 1)
    measured: dict[Hashable, Figures] = {}

    def each(key: Hashable) -> None:
        if key != MINE:
            counter.one_more()

    branching = _branching(session, runs)
    if tasks:
        counter.begin()
    if (
        tasks
        and _use_processes(workers, use_processes)
        and not _in_processes((branching,), tasks, workers, stop, measured, each)
    ):
        return list(effects)
    rest = [task for task in tasks if task[0] not in measured]
    if rest and not _in_threads(branching, rest, workers, stop, measured, each):
        return list(effects)
    return _with_measured_spreads(effects, measured, runs)


def measured_effects(
    session: GameSession,
    found: Sequence[Alternative],
    runs: int = 200,
    *,
    exact_known: Callable[[list[Effect]], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
    use_processes: bool | None = None,
) -> list[Effect]:
    """Every alternative's effect, exact and with its spread over ``runs`` runs: the
    what-ifs the debrief shows, with :func:`exact_effects` and :func:`with_spreads`
    in one go.

    In worker processes both share one pool: the exact single-run replays are sent
    first, so ``exact_known(effects)`` (called in this thread, in the order of
    ``found``) hears of them while the spreads go on, and the spreads follow with
    ``progress`` and ``cancelled`` as in :func:`with_spreads`. Without processes, this
    is :func:`exact_effects` then :func:`with_spreads`. The effects are the same
    either way. When cancelled, whatever was known comes back: the exact effects
    without spreads, or nothing if even those were not.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    workers = _default_workers(workers)
    if not _use_processes(workers, use_processes):
        return _exact_then_spreads(session, found, runs, exact_known, progress, cancelled, workers)
    stop = cancelled or (lambda: False)
    own, played = session.policy(), session.quarter
    starts = [first_change(own, alternative.policy, played) for alternative in found]
    exact_tasks: list[Task] = sorted(
        (
            ((EXACT, index), start, alternative.policy, 1)
            for index, (start, alternative) in enumerate(zip(starts, found, strict=True))
            if start is not None
        ),
        key=lambda task: task[1],
    )
    exact: list[Effect] | None = None
    placeholders = [
        Effect(alternative, dict.fromkeys(WHATIF_METRICS, 0.0)) for alternative in found
    ]
    spread_tasks = _spread_tasks(session, placeholders, runs)
    counter = _Counter(progress, max(len(spread_tasks) - 1, 0))
    measured: dict[Hashable, Figures] = {}
    mine = final_figures(session.scenario, session.state.history)
    waiting_exact = {task[0] for task in exact_tasks}

    def exact_effects_now() -> list[Effect]:
        return [
            placeholders[index]
            if starts[index] is None
            else _exact(found[index], mine, measured[(EXACT, index)])
            for index in range(len(found))
        ]

    def announce(known: list[Effect]) -> None:
        """The exact effects are all known: say so, then that the spreads begin."""
        nonlocal exact
        exact = known
        if exact_known is not None:
            exact_known(known)
        if spread_tasks:
            counter.begin()

    def each(key: Hashable) -> None:
        if key in waiting_exact:
            waiting_exact.discard(key)
            if not waiting_exact:
                announce(exact_effects_now())
        elif key != MINE:
            counter.one_more(quietly=bool(waiting_exact))  # said once the exact are known

    if not exact_tasks:
        announce(exact_effects_now())
    branchings = (_branching(session, 1), _branching(session, runs))
    if not _in_processes(branchings, exact_tasks + spread_tasks, workers, stop, measured, each):
        return [] if exact is None else exact
    if exact is None:  # the processes broke before the exact effects were all known
        announce(exact_effects(session, found))
    rest = [task for task in spread_tasks if task[0] not in measured]
    if rest and not _in_threads(branchings[1], rest, workers, stop, measured, each):
        return exact
    return _with_measured_spreads(exact, measured, runs)


def _exact_then_spreads(
    session: GameSession,
    found: Sequence[Alternative],
    runs: int,
    exact_known: Callable[[list[Effect]], None] | None,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    workers: int,
) -> list[Effect]:
    """:func:`measured_effects` without worker processes."""
    exact = exact_effects(session, found)
    if exact_known is not None:
        exact_known(exact)
    if cancelled is not None and cancelled():
        return exact
    return with_spreads(
        session, exact, runs, progress, cancelled, workers=workers, use_processes=False
    )
