"""The model's compiled kernels: cached on disk, the same bits from the cache as when
first compiled, never compiled on the UI thread, and Numba kept out of the game's start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from pilot_helpers import SIZE

import engine.session
import engine.warmup
from game.app import WARM_UP_WORKER, GoingDarkApp
from game.screens.menu import MainMenu

ROOT = Path(__file__).resolve().parent.parent

# Plays the minimal scenario for every quarter of 70 runs (two blocks of runs, one
# skipped row pattern), then prints a digest of the results and the kernel's cache hits.
PLAY = """
import hashlib, json, sys
import numpy as np
sys.path.insert(0, "tests")
from conftest import make_world
from engine.simulate import simulate
results = simulate(make_world(), seed=11, runs=70)
digest = hashlib.sha256()
for name in sorted(results.history):
    digest.update(np.ascontiguousarray(results.history[name]).tobytes())
from engine.customer_kernel import play_chunk
hits = sum(play_chunk.stats.cache_hits.values())
print(json.dumps({"digest": digest.hexdigest(), "hits": hits}))
"""


def run_python(code: str, **environment: str) -> str:
    env = {**os.environ, **environment}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.slow
def test_a_fresh_process_loads_the_kernels_from_the_cache_and_gets_the_same_bits(tmp_path):
    cache = str(tmp_path / "numba-cache")
    first = json.loads(run_python(PLAY, NUMBA_CACHE_DIR=cache))
    assert any(Path(cache).rglob("*.nbi")), "the first process wrote no compiled kernel"
    second = json.loads(run_python(PLAY, NUMBA_CACHE_DIR=cache))
    assert first["hits"] == 0  # compiled, not loaded
    assert second["hits"] >= 1  # loaded from the cache, not compiled
    assert second["digest"] == first["digest"]


def test_the_kernel_cache_is_in_the_users_cache_folder_unless_numba_cache_dir_is_set():
    code = "import engine.jit as j, os; print(j.cache_dir()); print(os.environ['NUMBA_CACHE_DIR'])"
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    folder, variable = done.stdout.split()
    assert folder == variable
    assert Path(folder).name == "numba"
    assert "going-dark" in Path(folder).parts
    assert run_python(code, NUMBA_CACHE_DIR="/tmp/elsewhere").split() == ["/tmp/elsewhere"] * 2


def test_starting_the_game_does_not_import_numba():
    code = "import sys, game.app, game.cli; print('numba' in sys.modules)"
    assert run_python(code) == "False"


async def test_the_kernels_compile_in_a_worker_thread_after_the_first_frame():
    engine.warmup.last_warm_up_thread = None
    app = GoingDarkApp()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, MainMenu)  # the first frame did not wait
        for _ in range(600):  # the worker starts after the first refresh
            if engine.warmup.last_warm_up_thread is not None:
                break
            await pilot.pause(0.05)
        warm_ups = [worker for worker in app.workers if worker.group == WARM_UP_WORKER]
        await app.workers.wait_for_complete(warm_ups)
        await pilot.pause()
        assert all(worker.error is None for worker in warm_ups)
    thread = engine.warmup.last_warm_up_thread
    assert thread is not None
    assert thread is not threading.main_thread()


def test_the_kernel_and_the_array_formula_agree_on_defection(minimal_world):
    from engine.market import defection_probability

    rng = np.random.default_rng(3)
    size = (2, 50)
    propensity = rng.beta(0.7, 3.0, size).astype(np.float32)
    boredom, gap, experience = (rng.random(size, dtype=np.float32) for _ in range(3))
    dark, awakened = (rng.random(size) < 0.4 for _ in range(2))
    dyn = minimal_world.dynamics
    chance = defection_probability(dyn, propensity, boredom, gap, dark, awakened, experience)
    survive = np.ones(size, dtype=np.float32)
    for hazard in chance.hazards.values():
        survive *= 1 - hazard
    assert np.array_equal(chance.probability, (1 - survive) * (1 - propensity) + propensity)
    assert np.array_equal(
        chance.hazards["broken_promises"],
        np.minimum(gap * np.float32(dyn.defect_broken_promises), np.float32(0.999)),
    )


def test_the_warm_up_compiles_every_kernel_a_quarter_uses():
    from engine import (
        acquisition_kernel,
        customer_kernel,
        metrics_kernel,
        run_kernel,
        seeding_kernel,
        uniforms,
        workforce_kernel,
    )

    engine.warmup.warm_up()
    for dispatcher in (
        customer_kernel.play_chunk,
        acquisition_kernel.room_shortfall,
        acquisition_kernel.place_newcomers,
        workforce_kernel.play_workforce,
        metrics_kernel.add_up_customers,
        uniforms.split_words,
        run_kernel.workforce_run_terms,
        run_kernel.organisation_drift,
        run_kernel.customer_run_terms,
        run_kernel.experience_of_segments,
        seeding_kernel.mix_key,
    ):
        assert dispatcher.signatures, f"{dispatcher.__name__} was not compiled"


async def test_a_game_started_before_the_warm_up_ends_is_built_once_the_model_is_ready(
    monkeypatch: pytest.MonkeyPatch,
):
    from pilot_helpers import record_notifications, wait_for_screen

    import game.app
    from game.screens.briefing import BriefingScreen
    from game.screens.dashboard import Dashboard

    monkeypatch.setattr(engine.warmup, "ready", threading.Event())  # not warmed up yet
    compiled = threading.Event()

    def slow_warm_up() -> None:  # a first compile, finishing when the test says so
        compiled.wait(30)
        engine.warmup.ready.set()

    monkeypatch.setattr(game.app, "warm_up", slow_warm_up)
    built_when_ready = []
    real_session = engine.session.GameSession

    def session_after_the_warm_up(*args, **kwargs):
        built_when_ready.append(engine.warmup.ready.is_set())
        return real_session(*args, **kwargs)

    # The controller imports GameSession when it builds a game (after the first frame).
    monkeypatch.setattr(engine.session, "GameSession", session_after_the_warm_up)
    app = GoingDarkApp(start="first-quarter")
    shown = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, BriefingScreen)
        await pilot.press("enter", "enter")  # start the game from its briefing, twice
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen), "the briefing waits, and stays live"
        assert built_when_ready == []
        compiled.set()
        await wait_for_screen(pilot, Dashboard, rounds=200)
        await pilot.pause()
    assert built_when_ready == [True], "built once, and only once the model was ready"
    assert shown.count(("Getting the model ready…", "information")) == 1
