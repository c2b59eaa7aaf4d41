"""Getting the model's compiled kernels ready before the first quarter is played.

The kernels (``engine.customer_kernel``, ``engine.workforce_kernel``,
``engine.acquisition_kernel``) are compiled by Numba on their first call,
or loaded from the on-disk cache (``engine.jit``) when an earlier process compiled
them. Either takes time the player should not wait for on the UI thread, so the game
calls :func:`warm_up` in a background worker as soon as its first frame is drawn; a
quarter played before the warm-up has finished simply waits for Numba's compiler lock
in its own worker, and anything the game does on its UI thread that plays the model
(starting, loading or rewinding a game) waits for :data:`ready` in a worker first.

Importing this module is cheap (the thread it starts imports the model), so the game
imports it before its first frame.
"""

from __future__ import annotations

import threading

# The built-in scenario whose first quarter is played to compile the kernels: the
# smallest, and any scenario exercises every kernel with the types a game uses.
WARM_UP_SCENARIO = "first-quarter"

# The thread of the last warm-up, so tests can check it never ran on the UI thread.
last_warm_up_thread: threading.Thread | None = None
# Set once a warm-up has finished in this process: from then on no kernel compiles, so
# the game may build or replay a game on its UI thread.
ready = threading.Event()


def warm_up() -> None:
    """Compile (or load from the cache) every kernel of the model by playing one
    quarter of one run of a small built-in scenario, and forget the result."""
    global last_warm_up_thread
    last_warm_up_thread = threading.current_thread()
    try:
        # The model is imported here, in the warm-up's thread, not when this module
        # is: the game imports this module before its first frame, and the model's
        # modules (pydantic schemas, NumPy tables) take longer to import than the
        # frame may wait.
        from engine.decisions import Decisions
        from engine.scenario.loader import load_scenario
        from engine.setup import initial_state
        from engine.step import advance
        from engine.world import World

        world = World.from_scenario(load_scenario(WARM_UP_SCENARIO))
        state = initial_state(world, seed=0, runs=1, horizon=1)
        advance(world, state, Decisions())
    finally:
        ready.set()  # even after a failure: nobody should wait for ever
