"""The player's runs played forward once, with alternatives branching off them.

A what-if replays the player's game from the quarter an alternative first decides
otherwise. Over many runs (the spreads of :mod:`engine.whatif`) the player's own runs
are played forward only once: :class:`PlayersRuns` keeps them at the latest quarter
asked for and hands out a copy just before each branch. Taking branches in the order
they start keeps that one pass; a branch that starts earlier than the runs have got
costs a replay from the beginning, never a wrong result.

One :class:`PlayersRuns` serves the threads of one process (the caller orders and
guards :meth:`PlayersRuns.before`), or one worker process each
(:mod:`engine.spread_worker`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.decision_log import Policy
from engine.outcomes import score
from engine.replay_draws import ReplayDraws
from engine.scenario.schema import Scenario
from engine.setup import initial_state
from engine.state import State
from engine.step import advance
from engine.world import World

__all__ = ["WHATIF_METRICS", "Branching", "PlayersRuns", "final_figures", "play_on"]

WHATIF_METRICS = ("score", "logo_retention", "revenue_retention", "dark_share", "engagement")


def final_figures(scenario: Scenario, history: dict) -> dict[str, np.ndarray]:
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


@dataclass(frozen=True)
class Branching:
    """What every branch of one set of what-ifs shares: the game, the player's plan,
    the quarter the game has reached, and the runs to play (``runs`` runs of ``seed``)."""

    world: World
    scenario: Scenario
    seed: int
    runs: int
    own: Policy
    played: int


class PlayersRuns:
    """The player's ``branching.runs`` runs, moved forward only as far as asked, with
    the draws kept for every replay of them."""

    def __init__(self, branching: Branching):
        self.branching = branching
        self.state = initial_state(branching.world, branching.seed, branching.runs)
        self.draws = ReplayDraws.for_state(branching.world, self.state)

    def before(self, start: int) -> State:
        """A copy of the player's runs just before quarter ``start`` is played."""
        game = self.branching
        if self.state.quarter >= start:  # asked out of order: start again
            self.state = initial_state(game.world, game.seed, game.runs)
        play_on(game.world, self.state, game.own, start - 1, self.draws)
        return self.state.copy()

    def branch(self, state: State, policy: Policy) -> dict[str, np.ndarray]:
        """The final figures of ``state`` (from :meth:`before`) played on under ``policy``
        to the quarter the game has reached."""
        game = self.branching
        played = play_on(game.world, state, policy, game.played, self.draws)
        return final_figures(game.scenario, played.history)

    def to_the_end(self) -> dict[str, np.ndarray]:
        """The player's own final figures over the runs."""
        game = self.branching
        play_on(game.world, self.state, game.own, game.played, self.draws)
        return final_figures(game.scenario, self.state.history)
