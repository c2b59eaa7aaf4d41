"""The what-ifs' spreads in worker processes (engine.processes, engine.spread_worker).

The processes must give the very numbers the threads give, leave the threads nothing
to do when they work, hand the rest to the threads when they break, stop when the
caller cancels, and leave Ctrl+C to the command that started them: no traceback from a
worker, no worker left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from engine import processes, whatif
from engine.confine import CONFINE_VARIABLE
from engine.session import GameSession
from engine.whatif import (
    Effect,
    alternatives,
    exact_effects,
    measured_effects,
    ranked,
    with_spreads,
)
from engine.whatif_plans import first_change
from tests.test_whatif import played

LUNCH = Path(__file__).parent.parent / "saves" / "quota-season-lunch-break.toml"


@pytest.fixture(scope="module")
def quota() -> GameSession:
    return played("quota-season")


@pytest.fixture(scope="module")
def some(quota: GameSession) -> list[Effect]:
    """Five effects that branch at different quarters."""
    effects = ranked(exact_effects(quota, alternatives(quota)))
    return effects[:5]


@pytest.fixture(autouse=True)
def processes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Processes as a player's machine has them; a failure one test provokes is
    forgotten before the next."""
    monkeypatch.delenv(processes.ENV, raising=False)
    monkeypatch.delenv(CONFINE_VARIABLE, raising=False)
    monkeypatch.setattr(processes, "_failure", None)


@pytest.fixture
def threads_used(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The effects (indices) each call of the threads' share of the work measured."""
    calls: list[list[int]] = []
    in_threads = whatif._in_threads

    def spy(branching, tasks, *args):
        calls.append([task[0] for task in tasks if task[0] != whatif.MINE])
        return in_threads(branching, tasks, *args)

    monkeypatch.setattr(whatif, "_in_threads", spy)
    return calls


def spreads(effects: list[Effect]) -> list:
    return [effect.spread for effect in effects]


def test_processes_give_the_numbers_threads_give(
    quota: GameSession, some: list[Effect], threads_used: list[list[int]]
) -> None:
    assert processes.enabled()
    in_processes = with_spreads(quota, some, runs=30, use_processes=True)
    assert threads_used == []  # the workers measured everything, the player's runs too
    assert processes.failure() is None
    in_threads = with_spreads(quota, some, runs=30, use_processes=False)
    in_one_thread = with_spreads(quota, some, runs=30, workers=1)
    assert spreads(in_processes) == spreads(in_threads) == spreads(in_one_thread)
    assert all(spread is not None and spread.runs == 30 for spread in spreads(in_processes))


def test_progress_counts_every_effect_from_the_processes(
    quota: GameSession, some: list[Effect], threads_used: list[list[int]]
) -> None:
    seen: list[tuple[int, int]] = []
    with_spreads(quota, some, runs=10, progress=lambda *done: seen.append(done))
    assert seen == [(done, len(some)) for done in range(len(some) + 1)]
    assert threads_used == []  # counted from the processes' results


def dying_pool(workers: int, initializer, initargs=()) -> ProcessPoolExecutor:
    """A pool whose workers die as they start, as if the system had killed them."""
    return ProcessPoolExecutor(
        workers, mp_context=processes._context(), initializer=os._exit, initargs=(3,)
    )


def test_a_broken_pool_leaves_the_work_to_threads(
    quota: GameSession,
    some: list[Effect],
    threads_used: list[list[int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = with_spreads(quota, some, runs=20, use_processes=False)
    threads_used.clear()
    monkeypatch.setattr(processes, "pool", dying_pool)
    recovered = with_spreads(quota, some, runs=20, use_processes=True)
    assert spreads(recovered) == spreads(expected)
    assert sorted(threads_used[0]) == list(range(len(some)))
    assert "BrokenProcessPool" in processes.failure()
    assert not processes.enabled()  # not tried again in this process


def test_cancelling_stops_the_workers_and_leaves_spreads_unknown(
    quota: GameSession, some: list[Effect]
) -> None:
    seen: list[int] = []
    stopped = with_spreads(
        quota,
        some,
        runs=2000,  # long enough that the first result comes well before the last
        progress=lambda done, total: seen.append(done),
        cancelled=lambda: len(seen) > 1,  # once a spread is measured
        use_processes=True,
    )
    # The spreads began (0), some were measured (one, or two that came together),
    # then the work stopped: nothing is said about the rest, and no spread comes back.
    assert seen[0] == 0 and len(seen) == 2 and 1 <= seen[1] < len(some)
    assert spreads(stopped) == [None] * len(some)


@pytest.mark.parametrize(
    "variable", [processes.ENV, CONFINE_VARIABLE], ids=["turned off", "served game"]
)
def test_no_processes_when_turned_off_or_served(
    variable: str,
    quota: GameSession,
    some: list[Effect],
    threads_used: list[list[int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(variable, "0" if variable == processes.ENV else "1")
    assert not processes.enabled()
    assert processes.pool(2, processes._nothing) is None
    with_spreads(quota, some[:2], runs=5)
    assert len(threads_used) == 1 and sorted(threads_used[0]) == [0, 1]


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def spread_workers_of(child: subprocess.Popen) -> tuple[int, list[int]]:
    """The fork server a command started and the (two) spread workers it forked,
    once they are running: the server is the command's child that has children."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        for server in children_of(child.pid):
            workers = children_of(server)
            if len(workers) >= 2:
                return server, workers
        time.sleep(0.02)
    raise AssertionError("the spreads never reached their worker processes")


def long_debrief(home: Path, **popen) -> subprocess.Popen:
    """A real ``goingdark debrief`` of the lunch save whose spreads (3000 runs) take
    long enough to be interrupted, with processes on."""
    command = [sys.executable, "-m", "game.cli", "debrief", str(LUNCH), "--runs", "3000"]
    environment = {**os.environ, "GOINGDARK_HOME": str(home)}
    environment.pop(processes.ENV, None)
    return subprocess.Popen(command, env=environment, **popen)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_ctrl_c_during_the_spreads_ends_the_command_and_its_workers(tmp_path: Path) -> None:
    child = long_debrief(
        tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's Ctrl+C reaches
    )
    _, workers = spread_workers_of(child)
    os.killpg(child.pid, signal.SIGINT)  # Ctrl+C: the whole group gets it
    interrupted = time.monotonic()
    _, err = child.communicate(timeout=60)
    # The workers are ended, not waited for: each of their tasks (3000 runs) takes
    # longer than this (about 7 s here when they were waited for, under 1 s now).
    assert time.monotonic() - interrupted < 5
    assert child.returncode == 130
    assert err.decode() == "goingdark: interrupted\n"  # no worker's traceback
    time.sleep(0.5)
    assert [pid for pid in workers if alive(pid)] == []


def test_measured_effects_are_the_exact_effects_with_their_spreads(
    quota: GameSession, threads_used: list[list[int]]
) -> None:
    found = alternatives(quota)
    events: list[str] = []
    together = measured_effects(
        quota,
        found,
        runs=12,
        exact_known=lambda effects: events.append(f"exact {len(effects)}"),
        progress=lambda done, total: events.append(f"spread {done} of {total}"),
        use_processes=True,
    )
    assert threads_used == []
    apart = with_spreads(quota, exact_effects(quota, found), runs=12, use_processes=False)
    assert [effect.exact for effect in together] == [effect.exact for effect in apart]
    assert spreads(together) == spreads(apart)
    assert [effect.alternative for effect in together] == found
    # The exact effects are heard of first, once; then the spreads of the alternatives
    # that decide otherwise than the player, counted up to all of them (a spread that
    # finished before the last exact replay is counted when the spreads begin).
    own, played = quota.policy(), quota.quarter
    differ = sum(first_change(own, alt.policy, played) is not None for alt in found)
    assert events[0] == f"exact {len(found)}"
    counts = [int(event.split()[1]) for event in events[1:]]
    assert all(event.endswith(f" of {differ}") for event in events[1:])
    assert counts == list(range(counts[0], differ + 1))


def test_measured_effects_without_processes_are_the_same(quota: GameSession) -> None:
    found = alternatives(quota)[:6]
    heard: list[list[Effect]] = []
    in_processes = measured_effects(quota, found, runs=8, use_processes=True)
    in_threads = measured_effects(
        quota, found, runs=8, exact_known=heard.append, use_processes=False
    )
    assert in_processes == in_threads
    assert [effect.exact for effect in heard[0]] == [effect.exact for effect in in_threads]


def test_measured_effects_survive_a_broken_pool(
    quota: GameSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = alternatives(quota)[:6]
    expected = measured_effects(quota, found, runs=8, use_processes=False)
    monkeypatch.setattr(processes, "pool", dying_pool)
    heard: list[list[Effect]] = []
    assert measured_effects(quota, found, runs=8, exact_known=heard.append) == expected
    assert len(heard) == 1


def test_cancelled_measured_effects_keep_what_was_known(quota: GameSession) -> None:
    found = alternatives(quota)[:6]
    assert measured_effects(quota, found, runs=8, cancelled=lambda: True) == []
    heard: list[list[Effect]] = []
    stopped = measured_effects(
        quota, found, runs=2000, exact_known=heard.append, cancelled=lambda: bool(heard)
    )
    assert stopped == heard[0]
    assert [effect.spread for effect in stopped] == [None] * len(found)


def test_play_readies_processes_before_the_app_and_starts_them_with_a_game(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from game.app import GoingDarkApp
    from game.cli import main

    happened: list[str] = []
    monkeypatch.setattr(processes, "prepare_for_app", lambda: happened.append("prepared"))
    monkeypatch.setattr(processes, "start", lambda: happened.append("server started"))
    monkeypatch.setattr(GoingDarkApp, "run", lambda app: happened.append("app runs") or 0)
    assert main(["play"]) == 0
    assert happened == ["prepared", "app runs"]  # no server for a player at the menu


async def test_the_server_starts_when_a_game_begins(monkeypatch: pytest.MonkeyPatch) -> None:
    from pilot_helpers import SIZE, wait_for_screen

    from game.app import GoingDarkApp
    from game.screens.briefing import BriefingScreen
    from game.screens.dashboard import Dashboard

    started = threading.Event()
    monkeypatch.setattr(processes, "start", started.set)
    app = GoingDarkApp(start="first-quarter")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, BriefingScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, Dashboard)
        await app.workers.wait_for_complete()
        assert started.is_set()


CAPTURED_STDERR = """
import sys
from engine import processes

class Captured:  # as a running Textual app replaces sys.stderr
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1

if sys.argv[1] == "prepared":
    processes.prepare_for_app()
sys.stderr = Captured()
processes.start()
print(processes.enabled(), processes.failure() or "")
"""


@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "not prepared"])
def test_the_server_starts_inside_an_app_once_prepared(tmp_path: Path, prepared: bool) -> None:
    # Inside a running Textual app stderr has no file descriptor (fileno() is -1). The
    # resource tracker, started before the app, is handed the real one; without it the
    # server cannot start, and the what-ifs run in threads rather than failing.
    environment = {**os.environ, "GOINGDARK_HOME": str(tmp_path)}
    environment.pop(processes.ENV, None)
    done = subprocess.run(
        [sys.executable, "-c", CAPTURED_STDERR, "prepared" if prepared else "not"],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    enabled, failure = done.stdout.rstrip("\n").split(" ", 1)
    if prepared:
        assert (enabled, failure) == ("True", "")
    else:
        assert enabled == "False" and failure.startswith("ValueError: ")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_a_killed_command_leaves_no_worker_behind(tmp_path: Path) -> None:
    child = long_debrief(tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server, workers = spread_workers_of(child)
    child.kill()  # no chance to clean up: SIGKILL
    child.wait(timeout=30)
    deadline = time.monotonic() + 30
    left = [server, *workers]
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [pid for pid in left if alive(pid)]
    assert left == [], "the fork server or a worker outlived the command"
