"""A forecast before committing: the rest of the game under this quarter's plan, against
doing nothing this quarter, from the game in progress.

What is compared. Both futures start from the session's current state and differ only
in the coming quarter: "the plan" adopts the chosen interventions (with the dilemma
answers given so far), "nothing" adopts none and leaves every dilemma at its default
answer. Every later quarter decides nothing in both, so the gap between the two is the
effect of this quarter's decision alone, not of a guess at the player's later moves.

Common random numbers: both futures use the game's seed and the same run indices
(run 0 is the game's own future), so a run's luck is the same under both and the
difference per run is the decision's effect in that world.

Fog of war: only figures the company sees are forecast. Logo retention is reported;
the score is the scenario's own score of the forecast games, which may weigh hidden
figures (thrill, the dark share): the game shows it as the model's estimate and never
shows those figures themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from engine.decisions import Decisions
from engine.errors import GoingDarkError
from engine.outcomes import score
from engine.session import GameSession
from engine.state import State
from engine.step import advance

# A forecast's cost grows with runs x quarters left (about half a millisecond per
# run-quarter for the built-in scenarios on a two-core machine): this many run-quarters
# per future keeps it within a second (benchmarks/forecast.py measures it).
RUN_QUARTERS = 800
FEWEST_RUNS, MOST_RUNS = 40, 150


class ForecastCancelled(GoingDarkError):
    """The forecast was no longer wanted (the selection changed or the picker closed)."""


# eq=False: arrays have no single truth value, so forecasts compare by identity.
@dataclass(frozen=True, eq=False)
class Band:
    """One series over the coming quarters: median and 5–95% band per quarter."""

    quarters: tuple[int, ...]
    p05: np.ndarray
    p50: np.ndarray
    p95: np.ndarray


@dataclass(frozen=True, eq=False)
class Forecast:
    """The rest of the game under the plan and under doing nothing this quarter."""

    runs: int
    plan: dict[str, Band]  # "logo_retention", "score"
    nothing: dict[str, Band]  # the same, doing nothing this quarter
    beats_nothing: float  # share of runs where the plan's final score > nothing's
    plan_is_nothing: bool = False  # the plan adopts nothing and answers no dilemma


def default_runs(session: GameSession) -> int:
    """How many runs a forecast of this scenario uses to be ready within a second."""
    quarters_left = max(session.quarters - session.quarter, 1)
    return min(MOST_RUNS, max(FEWEST_RUNS, RUN_QUARTERS // quarters_left))


def play_out(
    session: GameSession,
    first: Decisions,
    runs: int,
    cancelled: Callable[[], bool],
) -> State:
    """``runs`` copies of the game in progress, played with ``first`` this quarter and
    nothing after, to the end; raises ForecastCancelled between quarters when asked."""
    state = session.state.repeat_runs(runs, run_offset=0)
    decisions = first
    while state.quarter < session.quarters:
        if cancelled():
            raise ForecastCancelled("the forecast was cancelled")
        advance(session.world, state, decisions)
        decisions = Decisions()
    return state


def scores_by_quarter(session: GameSession, state: State, quarters: Sequence[int]) -> np.ndarray:
    """(quarters, runs): the scenario's score as if the game ended at each quarter."""
    return np.stack(
        [
            score(
                session.scenario,
                {name: values[: quarter + 1] for name, values in state.history.items()},
            )
            for quarter in quarters
        ]
    )


def band(quarters: tuple[int, ...], values: np.ndarray) -> Band:
    """Median and 5–95% band of (quarters, runs) values."""
    p05, p50, p95 = np.percentile(values, (5, 50, 95), axis=1)
    return Band(quarters, p05, p50, p95)


@dataclass(frozen=True, eq=False)
class Outlook:
    """One future's bands and its final score in every run."""

    bands: dict[str, Band]
    final_scores: np.ndarray  # (runs,)


def outlook(
    session: GameSession, first: Decisions, runs: int, cancelled: Callable[[], bool]
) -> Outlook:
    """Play one future out and summarise it."""
    state = play_out(session, first, runs, cancelled)
    quarters = tuple(range(session.quarter, session.quarters + 1))
    logos = np.stack([state.history["logo_retention"][q] for q in quarters])
    scores = scores_by_quarter(session, state, quarters)
    return Outlook(
        {"logo_retention": band(quarters, logos), "score": band(quarters, scores)}, scores[-1]
    )


class BaselineCache:
    """The last "nothing this quarter" future: it depends only on the game's state and
    the runs, so while the player changes the plan only the plan's future is played."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[State, int] | None = None
        self.value: Outlook | None = None

    def get(self, state: State, runs: int) -> Outlook | None:
        with self.lock:
            # Identity, not equality: a played quarter replaces the session's state.
            if self.key is not None and self.key[0] is state and self.key[1] == runs:
                return self.value
            return None

    def put(self, state: State, runs: int, value: Outlook) -> None:
        with self.lock:
            self.key, self.value = (state, runs), value

    def clear(self) -> None:
        """Forget the baseline (benchmarks time a first forecast with this)."""
        with self.lock:
            self.key = self.value = None


BASELINES = BaselineCache()


def forecast(
    session: GameSession,
    interventions: Sequence[str],
    choices: Mapping[str, str],
    runs: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Forecast:
    """Forecast the rest of the game under this quarter's plan and under doing nothing
    (see the module's docstring); ``runs`` defaults to ``default_runs``. ``cancelled``
    is asked between quarters; when it says yes, ForecastCancelled is raised."""
    if session.is_over:
        raise GoingDarkError("the game is over: there is nothing left to forecast")
    runs = default_runs(session) if runs is None else runs
    should_stop = cancelled or (lambda: False)
    plan = Decisions(tuple(interventions), dict(choices))
    plan.validate(session.world)
    plan_is_nothing = not plan.interventions and not plan.choices
    state = session.state
    nothing = BASELINES.get(state, runs)
    if nothing is None and not plan_is_nothing:
        # Both futures at once, one thread each (NumPy releases the GIL in its loops).
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [
                pool.submit(outlook, session, decisions, runs, should_stop)
                for decisions in (Decisions(), plan)
            ]
            nothing, planned = (future.result() for future in futures)
    else:
        if nothing is None:
            nothing = outlook(session, Decisions(), runs, should_stop)
        planned = nothing if plan_is_nothing else outlook(session, plan, runs, should_stop)
    BASELINES.put(state, runs, nothing)
    return Forecast(
        runs=runs,
        plan=planned.bands,
        nothing=nothing.bands,
        beats_nothing=float((planned.final_scores > nothing.final_scores).mean()),
        plan_is_nothing=plan_is_nothing,
    )
