"""Shared fixtures: scenarios built from the minimal test scenario with changes applied,
an isolated home for the player's files, and ``async def`` tests (the app's Pilot tests)."""

from __future__ import annotations

import asyncio
import copy
import inspect
import tomllib
from pathlib import Path

import pytest

from engine.catalog import HOME_VARIABLE
from engine.scenario.schema import Scenario
from engine.world import World

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal.toml"


def minimal_table() -> dict:
    return tomllib.loads(MINIMAL.read_text(encoding="utf-8"))


def merge(base: dict, changes: dict) -> dict:
    """``base`` with ``changes`` merged in (tables recursively, anything else replaced)."""
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def make_world(**changes) -> World:
    """A World of the minimal scenario with top-level tables changed (merged)."""
    return World.from_scenario(Scenario.model_validate(merge(minimal_table(), changes)))


@pytest.fixture
def minimal_world() -> World:
    return make_world()


@pytest.fixture(scope="session", autouse=True)
def model_ready() -> None:
    """Compile the model's kernels once per test process, as the game's warm-up does,
    so that a Pilot test starting or loading a game gets it at once (before the warm-up
    has ended the game waits for it in a worker: test_kernels covers that path)."""
    from engine.warmup import warm_up

    warm_up()


# Python has one fork server per process, and whoever starts it first decides what it
# imports for every child after. The what-ifs' workers (engine.processes) and the rooms'
# process tests both use it, so within the test suite both preload everything either
# needs, whichever comes first.
ROOMS_PRELOAD = ["engine.rooms", "engine.decisions", "scipy.special"]


@pytest.fixture(scope="session", autouse=True)
def fork_server_preload() -> list[str]:
    from engine import processes

    processes.PRELOAD = [*processes.PRELOAD, *ROOMS_PRELOAD]
    return processes.PRELOAD


@pytest.fixture(autouse=True)
def goingdark_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own empty GOINGDARK_HOME: no test reads or writes the real
    profile (progress, settings, the user's scenarios). Request it to get the folder."""
    home = tmp_path_factory.mktemp("goingdark-home")
    monkeypatch.setenv(HOME_VARIABLE, str(home))
    monkeypatch.delenv("GOINGDARK_SAVES", raising=False)  # saves go under this home too
    return home


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True
