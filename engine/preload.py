"""What the fork server of the worker processes imports before it forks a worker.

:mod:`engine.processes` names this module to multiprocessing's fork server, which
imports it once, so every worker forked after starts with the model imported and its
kernels compiled (loaded from Numba's cache, or compiled by this import on a machine's
first run). Only the fork server imports it: before anything else it makes the server
ignore Ctrl+C (the process that started the workers handles it and ends them) and
sends the server's output, and so every worker's, to the null device, since the
terminal they share with the game may be drawn on by Textual (a worker's error still
reaches the game, as the exception of its task).
"""

from __future__ import annotations

import os
import signal


def quiet() -> None:
    """Ignore Ctrl+C, and write nothing to the terminal."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)
    os.dup2(nowhere, 2)
    os.close(nowhere)


def prepare() -> None:
    """Import the workers' tasks and compile the model's kernels."""
    from engine import spread_worker  # noqa: F401  (the workers' tasks, imported once)
    from engine.warmup import warm_up

    warm_up()


quiet()
prepare()
