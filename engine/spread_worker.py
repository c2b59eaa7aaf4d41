"""The what-ifs, as played in a worker process (:mod:`engine.processes`).

Each worker of a pool is given the what-ifs' :class:`~engine.branching.Branching`
(the game, the player's plan and a number of runs: one for the exact effects, a few
hundred for the spreads) by :func:`begin`, the pool's initializer, and plays the
branches it is sent on its own copy of the player's runs of that size, made when
first needed. The pool hands out branches in the order they start, so each worker
moves its copies forward only once. A worker's numbers are those a thread of the
calling process would get: a run's luck depends on its index only.
"""

from __future__ import annotations

import numpy as np

from engine.branching import Branching, PlayersRuns
from engine.decision_log import Policy

__all__ = ["begin", "branch", "to_the_end"]

_branchings: dict[int, Branching] = {}  # what this worker may be asked, by number of runs
_runs: dict[int, PlayersRuns] = {}  # its copies of the player's runs, by number of runs


def begin(*branchings: Branching) -> None:
    """Keep the what-ifs this worker will be asked to play (the pool's initializer)."""
    _branchings.clear()
    _runs.clear()
    _branchings.update({branching.runs: branching for branching in branchings})


def _players_runs(runs: int) -> PlayersRuns:
    if runs not in _runs:
        if runs not in _branchings:
            raise ValueError(f"this worker was not started for what-ifs over {runs} runs")
        _runs[runs] = PlayersRuns(_branchings[runs])
    return _runs[runs]


def branch(start: int, policy: Policy, runs: int) -> dict[str, np.ndarray]:
    """The final figures over ``runs`` runs of the game played by the player's plan up
    to quarter ``start`` and by ``policy`` from there."""
    players = _players_runs(runs)
    return players.branch(players.before(start), policy)


def to_the_end(runs: int) -> dict[str, np.ndarray]:
    """The player's own final figures over ``runs`` runs."""
    return _players_runs(runs).to_the_end()
