"""The what-ifs' spreads, as played in a worker process (:mod:`engine.processes`).

Each worker of a pool keeps the player's runs of one set of what-ifs
(:func:`begin`, the pool's initializer) and plays the branches it is given on them.
The pool hands out branches in the order they start, so each worker moves its copy
of the player's runs forward only once. A worker's numbers are those a thread of the
calling process would get: a run's luck depends on its index only.
"""

from __future__ import annotations

import numpy as np

from engine.branching import Branching, PlayersRuns
from engine.decision_log import Policy

__all__ = ["begin", "branch", "to_the_end"]

_runs: PlayersRuns | None = None  # this worker's copy of the player's runs


def begin(branching: Branching) -> None:
    """Make this worker's copy of the player's runs (the pool's initializer)."""
    global _runs
    _runs = PlayersRuns(branching)


def _players_runs() -> PlayersRuns:
    if _runs is None:
        raise RuntimeError("this worker was started without the player's runs (begin)")
    return _runs


def branch(start: int, policy: Policy) -> dict[str, np.ndarray]:
    """The final figures over the runs of the game played by the player's plan up to
    quarter ``start`` and by ``policy`` from there."""
    runs = _players_runs()
    return runs.branch(runs.before(start), policy)


def to_the_end() -> dict[str, np.ndarray]:
    """The player's own final figures over the runs."""
    return _players_runs().to_the_end()
