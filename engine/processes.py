"""Worker processes for the model's parallel work (the what-ifs' spreads).

Two threads share one interpreter lock, and at a few hundred runs a quarter is mostly
NumPy and Python calls too small to let go of it: on a quiet machine two threads
still keep two cores busy, but whenever one is taken off its CPU (by a busy host, or
because the game's UI thread wants the lock) the other waits too. Two processes never
wait for each other. Workers are forked from a fork
server (multiprocessing's ``forkserver`` start method) that has imported the model and
compiled its kernels once (:mod:`engine.preload`), so a worker starts in tens of
milliseconds with nothing to import or compile, and never inherits the game's own
threads (Textual's, the workers'), as a plain ``fork`` of the game would.

:func:`start` launches the server and returns at once: the game calls it when a game
begins (``goingdark play`` first calls :func:`prepare_for_app`, before its app
captures stderr), the ``debrief`` and ``whatif`` commands before they read the save,
so that the server has imported the model by the time the what-ifs need it.
:func:`pool` gives a pool of workers, or None when processes are off; a caller that
gets None, or whose pool breaks (:func:`give_up`), does the work in threads
instead, with the same results. A worker ends with the process that started it, even
one that was killed, and the server ends once they have.

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
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import connection, forkserver, resource_tracker

from engine.confine import confined

__all__ = [
    "ENV",
    "enabled",
    "failure",
    "give_up",
    "pool",
    "prepare_for_app",
    "ready",
    "start",
    "stop",
]

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


def prepare_for_app() -> None:
    """Start multiprocessing's resource tracker now, before a Textual app runs: the
    tracker is handed the file descriptor of stderr, which a running app replaces with
    an object that has none. The fork server itself needs no such thing, so the app
    may :func:`start` it later, when a game begins."""
    if not enabled():
        return
    try:
        with _ctrl_c_ignored():
            resource_tracker.ensure_running()
    except (OSError, ValueError) as error:
        give_up(error)


def start() -> None:
    """Launch the fork server in the background, if processes are on and it is not
    running yet; returns at once (the server imports the model on its own)."""
    if not enabled():
        return
    _context()
    try:
        with _ctrl_c_ignored():
            forkserver.ensure_running()
    except (OSError, ValueError) as error:
        # ValueError: the resource tracker, started first, is handed stderr's file
        # descriptor, and inside a running Textual app stderr has none: the app's
        # command calls prepare_for_app before the app runs.
        give_up(error)


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Ignore Ctrl+C while helper processes are started (on the main thread, the only
    one that may): a program started while SIGINT is ignored keeps ignoring it from its
    first instruction, so a Ctrl+C meant for the game never interrupts the fork server
    half-way through importing the model."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _begin(initializer: Callable[..., None], initargs: tuple) -> None:
    """Every worker's first step: leave Ctrl+C to the parent, end with the parent
    (however it ends: a worker left waiting for tasks would linger), then
    ``initializer``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(
            target=_end_with, args=(parent.sentinel,), name="parent-watch", daemon=True
        ).start()
    initializer(*initargs)


def _end_with(sentinel: int) -> None:
    """Exit once ``sentinel`` (the parent's end of the pipe it started this worker
    through) is closed: the parent has ended, even if it was killed."""
    connection.wait([sentinel])
    os._exit(0)


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
    except (OSError, ValueError, NotImplementedError, ImportError) as error:
        # NotImplementedError, ImportError: a system without the semaphores a pool needs
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
