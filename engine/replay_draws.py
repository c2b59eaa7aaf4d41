"""Random numbers kept while the same runs are played again under other decisions.

Every random number of a quarter depends on the seed, the quarter and the run index
only (:mod:`engine.randomness`), never on what the player decided. The what-ifs replay
the same runs from the same quarters under dozens of alternative plans, so without
help they draw the same numbers dozens of times. A :class:`ReplayDraws` made for one
set of runs keeps a quarter's draws the first time they are made (the customers'
uniforms, the newcomers' counts and pools, the employees' shocks: the draws that cost
most) and hands out the very same arrays after; the few small draws left are made as
usual. A game played with one is bit for bit the game played without it
(``tests/test_replay_draws.py``).

Threads may share one (the what-ifs' two do): a draw asked for by both is made once.
It serves only states of the seed and runs it was made for: :meth:`ReplayDraws.check`
refuses others. It keeps at most ``budget`` bytes; past that it still hands out what it
draws, but keeps nothing more.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

import numpy as np

from engine.state import State

Kept = TypeVar("Kept", np.ndarray, tuple[np.ndarray, ...])

# Enough for every quarter of a 14-quarter capstone game over 200 runs (about 60 MiB),
# small next to what a forecast over 1000 runs holds.
DEFAULT_BUDGET = 128 * 2**20


class ReplayDraws:
    """The kept draws of the runs [run_offset, run_offset + runs) of ``seed``."""

    def __init__(self, seed: int, run_offset: int, runs: int, budget: int = DEFAULT_BUDGET):
        self.seed, self.run_offset, self.runs = seed, run_offset, runs
        self.budget = budget
        self.kept_bytes = 0
        self._kept: dict[Hashable, np.ndarray | tuple[np.ndarray, ...]] = {}
        # Held while drawing, so that a thread asking for a draw another is making
        # waits for it instead of making it again (both ask for the same quarters).
        self._lock = threading.Lock()

    @classmethod
    def for_state(cls, state: State, budget: int = DEFAULT_BUDGET) -> ReplayDraws:
        """Kept draws for ``state``'s runs (and for every copy of it)."""
        return cls(state.seed, state.run_offset, state.runs, budget)

    def check(self, state: State) -> None:
        """Raise ValueError unless ``state`` plays the runs these draws were kept for:
        another seed or other runs would silently get the wrong luck."""
        mine = (self.seed, self.run_offset, self.runs)
        theirs = (state.seed, state.run_offset, state.runs)
        if mine != theirs:
            raise ValueError(
                f"these kept draws are for seed {self.seed}, runs {self.run_offset} to "
                f"{self.run_offset + self.runs - 1}; the state plays seed {state.seed}, "
                f"runs {state.run_offset} to {state.run_offset + state.runs - 1}"
            )

    def kept(self, key: Hashable, make: Callable[[], Kept]) -> Kept:
        """The draws under ``key``, made by ``make()`` the first time. Every replay that
        asks gets the same arrays, so they must only be read. (They are not flagged
        read-only: Numba compiles a kernel again for read-only arrays.)"""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                return found  # type: ignore[return-value]
            made = make()
            arrays = made if isinstance(made, tuple) else (made,)
            size = sum(array.nbytes for array in arrays)
            if self.kept_bytes + size <= self.budget:
                self._kept[key] = made
                self.kept_bytes += size
            return made
