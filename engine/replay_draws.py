"""Random numbers kept while the same runs are played again under other decisions.

Every random number of a quarter depends on the world (the scenario), the seed, the
quarter and the run index only (:mod:`engine.randomness`), never on what the player
decided. The what-ifs replay the same runs from the same quarters under dozens of
alternative plans, so without help they draw the same numbers dozens of times. A
:class:`ReplayDraws` made for one world and set of runs keeps a quarter's draws the
first time they are made (the customers' uniforms, the newcomers' counts and pools,
the employees' shocks: the draws that cost most) and hands out the very same arrays
after; the few small draws left are made as usual. A game played with one is bit for
bit the game played without it (``tests/test_replay_draws.py``).

Threads may share one (the what-ifs' two do): a draw asked for by several is made
once, by the first, while the others wait for that draw alone. It serves only the
world, seed and runs it was made for: :meth:`ReplayDraws.check` refuses others. It
keeps about ``budget`` bytes; once that is spent it keeps nothing more, and the phases
draw as they would without it (only the numbers they read, not whole chunks).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

import numpy as np

from engine.state import State
from engine.world import World

Kept = TypeVar("Kept", np.ndarray, tuple[np.ndarray, ...])

# Enough for every quarter of a 14-quarter capstone game over 200 runs (about 60 MiB),
# small next to what a forecast over 1000 runs holds.
DEFAULT_BUDGET = 128 * 2**20


class ReplayDraws:
    """The kept draws of the runs [run_offset, run_offset + runs) of ``seed`` in
    ``world``."""

    def __init__(
        self, world: World, seed: int, run_offset: int, runs: int, budget: int = DEFAULT_BUDGET
    ):
        self.world = world
        self.seed, self.run_offset, self.runs = seed, run_offset, runs
        self.budget = budget
        self.kept_bytes = 0
        self._kept: dict[Hashable, np.ndarray | tuple[np.ndarray, ...]] = {}
        self._making: dict[Hashable, threading.Event] = {}  # draws being made, by key
        self._lock = threading.Lock()  # guards the two dicts and the byte count

    @classmethod
    def for_state(cls, world: World, state: State, budget: int = DEFAULT_BUDGET) -> ReplayDraws:
        """Kept draws for ``state``'s runs in ``world`` (and for every copy of it)."""
        return cls(world, state.seed, state.run_offset, state.runs, budget)

    def check(self, world: World, state: State) -> None:
        """Raise ValueError unless ``state`` plays the runs of the world these draws
        were kept for: another scenario, seed or runs would silently get wrong luck."""
        if world is not self.world:
            raise ValueError("these kept draws are for another world (another scenario)")
        mine = (self.seed, self.run_offset, self.runs)
        theirs = (state.seed, state.run_offset, state.runs)
        if mine != theirs:
            raise ValueError(
                f"these kept draws are for seed {self.seed}, runs {self.run_offset} to "
                f"{self.run_offset + self.runs - 1}; the state plays seed {state.seed}, "
                f"runs {state.run_offset} to {state.run_offset + state.runs - 1}"
            )

    @property
    def has_room(self) -> bool:
        """Whether a draw not kept yet would be kept (the budget is not spent)."""
        return self.kept_bytes < self.budget

    def kept(
        self, key: Hashable, make: Callable[[], Kept], otherwise: Callable[[], Kept] | None = None
    ) -> Kept:
        """The draws under ``key``, made by ``make()`` the first time and kept. Every
        replay that asks gets the same arrays, so they must only be read. (They are not
        flagged read-only: Numba compiles a kernel again for read-only arrays.)

        Once the budget is spent, a draw not kept is made by ``otherwise()`` (the
        phase's own, cheaper draw of only what it reads) when given, else by ``make()``.
        """
        mine = False
        while True:
            with self._lock:
                found = self._kept.get(key)
                if found is not None:
                    return found  # type: ignore[return-value]
                if not self.has_room:
                    break
                making = self._making.get(key)
                if making is None:
                    self._making[key] = threading.Event()
                    mine = True
                    break
            making.wait()  # another thread is making this draw: take it when it is kept
        if not mine:
            return (otherwise or make)()
        try:
            made = make()
            with self._lock:
                self._kept[key] = made
                self.kept_bytes += kept_size(made)
        finally:
            with self._lock:
                self._making.pop(key).set()
        return made


def kept_size(made: np.ndarray | tuple[np.ndarray, ...]) -> int:
    """The bytes ``made`` holds on to: a view keeps its whole base array alive."""
    arrays = made if isinstance(made, tuple) else (made,)
    return sum(array.nbytes if array.base is None else array.base.nbytes for array in arrays)
