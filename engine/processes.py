"""Worker processes for the model's parallel work (the what-ifs' spreads).

Two threads share one interpreter lock, and at a few hundred runs a quarter is mostly
NumPy and Python calls too small to let go of it, so a second thread gains only part
of the second core; a second process gains all of it. Workers are forked from a fork
server (multiprocessing's ``forkserver`` start method) that has imported the model and
compiled its kernels once (:mod:`engine.preload`), so a worker starts in tens of
milliseconds with nothing to import or compile, and never inherits the game's own
threads (Textual's, the workers'), as a plain ``fork`` of the game would.

:func:`start` launches the server and returns at once: ``goingdark play`` calls it
before its app runs (a running Textual app captures stderr, which the server needs),
the ``debrief`` and ``whatif`` commands before they read the save, so that the server
has imported the model by the time the what-ifs need it. :func:`pool` gives a pool
of workers, or None when processes are off; a caller that gets None, or whose pool
breaks (:func:`give_up`), does the work in threads instead, with the same results.

Set ``GOINGDARK_PROCESSES=0`` to keep all the work in the one process (on a machine
that forbids a program its own processes, say). A served game (:mod:`engine.confine`)
always does: a server runs many games side by side, and a fork server each would
multiply its memory. Workers ignore Ctrl+C: the process that started them handles it
and ends them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver

from engine.confine import confined

__all__ = ["ENV", "enabled", "failure", "give_up", "pool", "ready", "start", "stop"]

ENV = "GOINGDARK_PROCESSES"  # "0": no worker processes, threads only
# Imported by the fork server before it forks any worker (see engine.preload).
PRELOAD = ["engine.preload"]

_lock = threading.Lock()
_failure: str | None = None  # why worker processes failed here, once they have


def enabled() -> bool:
    """Whether the work may go to worker processes: not turned off, not a served game,
    supported by this system, and not failed before in this process."""
    return (
        os.environ.get(ENV, "").strip() != "0"
        and not confined()
        and _failure is None
        and "forkserver" in multiprocessing.get_all_start_methods()
    )


def failure() -> str | None:
    """Why worker processes could not be used in this process, if they could not."""
    return _failure


def give_up(error: BaseException) -> None:
    """Remember that worker processes failed (``error``): from now on :func:`enabled`
    is false in this process, and the work stays in threads."""
    global _failure
    with _lock:
        _failure = f"{type(error).__name__}: {error}"


def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    with _lock:
        context.set_forkserver_preload(PRELOAD)
    return context


def start() -> None:
    """Launch the fork server in the background, if processes are on and it is not
    running yet; returns at once (the server imports the model on its own)."""
    if not enabled():
        return
    _context()
    try:
        forkserver.ensure_running()
    except (OSError, ValueError) as error:
        # ValueError: stderr has no file descriptor to hand the server (inside a running
        # Textual app, which captures it); start it before the app runs.
        give_up(error)


def _begin(initializer: Callable[..., None], initargs: tuple) -> None:
    """Every worker's first step: leave Ctrl+C to the parent, then ``initializer``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*initargs)


def pool(
    workers: int, initializer: Callable[..., None], initargs: tuple = ()
) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` worker processes, each of which first calls
    ``initializer(*initargs)``; None when processes are off. The workers start with
    the first tasks submitted. Shut the pool down when done."""
    start()
    if not enabled():  # off, or the server could not be started
        return None
    try:
        return ProcessPoolExecutor(
            workers, mp_context=_context(), initializer=_begin, initargs=(initializer, initargs)
        )
    except (OSError, ValueError) as error:
        give_up(error)
        return None


def stop(workers: ProcessPoolExecutor) -> None:
    """Shut ``workers`` down at once: tasks not started are dropped and running ones
    ended (after Ctrl+C, or when the player has gone on), so that nothing waits for
    work whose result nobody will read."""
    terminate = getattr(workers, "terminate_workers", None)  # Python 3.14 and later
    if terminate is not None:
        terminate()
        return
    # Before 3.14: the pool keeps its processes in ``_processes`` (pid to Process) until
    # it is shut down, so take them first.
    running = list((getattr(workers, "_processes", None) or {}).values())
    workers.shutdown(wait=False, cancel_futures=True)
    for process in running:
        process.terminate()


def _nothing() -> None:
    return None


def ready(timeout: float | None = None) -> bool:
    """Start the fork server if need be and wait until it can fork a worker (it has
    imported the model); True once it can, False when processes are off or failed."""
    workers = pool(1, _nothing)
    if workers is None:
        return False
    try:
        workers.submit(_nothing).result(timeout)
    except TimeoutError:
        return False  # not ready yet
    except (OSError, BrokenProcessPool) as error:
        give_up(error)
        return False
    finally:
        workers.shutdown(wait=False, cancel_futures=True)
    return True
