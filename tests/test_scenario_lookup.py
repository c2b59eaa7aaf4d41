"""find_scenario: the one place that decides what a scenario name means."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.errors import ScenarioError
from engine.folders import user_scenario_dir
from engine.scenario.loader import builtin_dir, find_scenario, is_builtin, load_scenario

MINIMAL = Path(__file__).resolve().parent / "data" / "minimal.toml"


def test_a_path_is_that_path_even_when_missing(tmp_path):
    assert find_scenario(MINIMAL) == MINIMAL
    assert find_scenario(str(MINIMAL)) == MINIMAL
    assert find_scenario("nowhere.toml") == Path("nowhere.toml")
    assert find_scenario("folder/nowhere") == Path("folder/nowhere")
    assert not is_builtin(MINIMAL)


def test_a_builtin_id_is_its_file():
    found = find_scenario("first-quarter")
    assert found == builtin_dir() / "first-quarter.toml"
    assert is_builtin(found)


def test_an_id_in_the_users_folder_is_found_after_the_builtins(goingdark_home):
    folder = user_scenario_dir()
    folder.mkdir(parents=True)
    shutil.copyfile(MINIMAL, folder / "minimal.toml")
    assert find_scenario("minimal") == folder / "minimal.toml"
    assert load_scenario("minimal").meta.id == "minimal"
    # A built-in id wins over a file of the same name in the user's folder.
    shutil.copyfile(MINIMAL, folder / "first-quarter.toml")
    assert find_scenario("first-quarter") == builtin_dir() / "first-quarter.toml"


def test_an_unknown_id_says_did_you_mean_over_every_known_id(goingdark_home):
    with pytest.raises(ScenarioError) as error:
        find_scenario("frist-quarter")
    [problem] = error.value.problems
    assert problem.message.startswith(
        "no such scenario file, built-in scenario "
        "or scenario in your folder; did you mean 'first-quarter'? (built-in: "
    )
    folder = user_scenario_dir()
    folder.mkdir(parents=True)
    shutil.copyfile(MINIMAL, folder / "my-company.toml")
    with pytest.raises(ScenarioError) as error:
        find_scenario("my-compnay")
    [problem] = error.value.problems
    assert "; did you mean 'my-company'? (built-in: " in problem.message
    assert problem.message.endswith(f"; in {folder}: my-company)")
