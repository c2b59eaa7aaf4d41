"""The game's start: the main menu's first frame needs only Textual, the player's
progress and the menu itself; the model, the scenario catalogue and the other screens
come after it (``benchmarks/startup.py`` times it; these tests check what is loaded,
and where, not how long it takes).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pilot_helpers import SIZE, wait_for_screen
from textual.pilot import Pilot

import engine.catalog
from game.app import CATALOG_WORKER, GoingDarkApp
from game.screens.browser import ScenarioBrowser
from game.screens.menu import MainMenu

ROOT = Path(__file__).resolve().parent.parent

# Modules the first frame must not wait for: the model (NumPy, Numba), the scenario
# schema (pydantic), games and saves, and the screens shown only later.
LATER = (
    "numpy",
    "numba",
    "pydantic",
    "engine.catalog",
    "engine.scenario.schema",
    "engine.session",
    "engine.saves",
    "engine.step",
    "game.screens.browser",
    "game.screens.briefing",
    "game.screens.dashboard",
    "game.screens.debrief",
    "game.screens.help",
)


# `goingdark` as a player starts it, up to the point where the app would run.
LAUNCH = """
import sys
import game.app
from game.cli import main
game.app.GoingDarkApp.run = lambda app, *args, **kwargs: 0
main([])
print(" ".join(module for module in sys.argv[1:] if module in sys.modules))
"""


def test_launching_the_game_loads_nothing_the_main_menu_does_not_show():
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH, *LATER],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == ""


def record_catalog_reads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """Have every reading of the catalogue note the thread it ran on."""
    threads: list[threading.Thread] = []
    real_load_catalog = engine.catalog.load_catalog

    def load_catalog(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_load_catalog(*args, **kwargs)

    monkeypatch.setattr(engine.catalog, "load_catalog", load_catalog)
    return threads


async def catalogue_worker_done(app: GoingDarkApp, pilot: Pilot) -> None:
    """Wait for the catalogue's worker, which starts after the first refresh, to end."""
    for _ in range(200):
        readers = [worker for worker in app.workers if worker.group == CATALOG_WORKER]
        if readers:
            await app.workers.wait_for_complete(readers)
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the catalogue's worker never started")


async def test_the_catalogue_is_read_once_in_a_worker_after_the_first_frame(
    monkeypatch: pytest.MonkeyPatch,
):
    reads = record_catalog_reads(monkeypatch)
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, MainMenu)
        await catalogue_worker_done(app, pilot)
        assert len(reads) == 1
        assert reads[0] is not threading.main_thread()
        await pilot.press("n")
        browser = await wait_for_screen(pilot, ScenarioBrowser)
        titles = [str(option.prompt) for option in browser.query_one("#scenarios").options]
        assert any("First Quarter" in title for title in titles), titles
    assert len(reads) == 1, "the browser used the catalogue the worker read"


async def test_a_catalogue_needed_before_the_worker_reads_it_is_read_then_and_once(
    monkeypatch: pytest.MonkeyPatch,
):
    reads = record_catalog_reads(monkeypatch)
    app = GoingDarkApp()
    entries = app.catalog  # needed at once (as `goingdark play ID` needs it on mount)
    assert reads == [threading.main_thread()]
    assert any(entry.id == "first-quarter" for entry in entries)
    async with app.run_test(size=SIZE) as pilot:
        await catalogue_worker_done(app, pilot)
        assert app.catalog is entries
    assert len(reads) == 1
