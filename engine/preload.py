"""What the fork server of the worker processes imports before it forks a worker.

:mod:`engine.processes` names this module to multiprocessing's fork server, which
imports it once, so every worker forked after starts with the model imported and its
kernels compiled (loaded from Numba's cache, or compiled by this import on a machine's
first run). The server also ignores Ctrl+C from here on, and each worker inherits that
from the moment it is forked; the process that started the workers handles Ctrl+C
and ends them.
"""

from __future__ import annotations

import signal

from engine import spread_worker  # noqa: F401  (the workers' tasks, imported here once)
from engine.warmup import warm_up


def prepare() -> None:
    """Ignore Ctrl+C and compile the model's kernels, in the fork server."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()


prepare()
