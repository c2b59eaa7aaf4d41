"""Every command that takes a scenario finds it as engine.scenario.loader.find_scenario
does: a path, a built-in id, or an id in the player's own scenarios folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.folders import user_scenario_dir
from game.cli import EXIT_OK, EXIT_USER_ERROR, main

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "minimal.toml"
EXAMPLE_SAVE = ROOT / "saves" / "quota-season-lunch-break.toml"


@pytest.fixture
def own_folder(goingdark_home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The player's scenarios folder with 'my-company' (the minimal scenario) in it, and
    a working folder where no file of that name exists."""
    folder = user_scenario_dir()
    folder.mkdir(parents=True)
    shutil.copyfile(MINIMAL, folder / "my-company.toml")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return folder


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "my-company", "--quarters", "1"],
        ["run", "my-company", "--json", "--quarters", "1"],
        ["check", "my-company"],
        ["new", "copy", "--from", "my-company"],
    ],
    ids=["run", "run-json", "check", "new-from"],
)
def test_an_id_in_the_players_folder_works_everywhere(own_folder, capsys, argv) -> None:
    code, out, err = cli(capsys, *argv)
    assert (code, err) == (EXIT_OK, "")
    assert out


@pytest.mark.parametrize(
    "argv",
    [["run", "my-compnay"], ["check", "my-compnay"], ["new", "copy", "--from", "my-compnay"]],
    ids=["run", "check", "new-from"],
)
def test_a_near_miss_gets_the_same_did_you_mean_everywhere(own_folder, capsys, argv) -> None:
    code, out, err = cli(capsys, *argv)
    assert code == EXIT_USER_ERROR
    said = (
        "my-compnay: no such scenario file, built-in scenario "
        "or scenario in your folder; did you mean 'my-company'?"
    )
    if argv[0] == "check":
        assert out.startswith(said) and err == ""
    else:
        assert err.startswith(f"goingdark {argv[0]}: {said}") and out == ""
        assert err.endswith(f"; in {own_folder}: my-company)\n")


def test_replay_on_a_scenario_in_the_players_folder(own_folder, capsys) -> None:
    shutil.copyfile(ROOT / "scenarios" / "quota-season.toml", own_folder / "my-season.toml")
    code, out, err = cli(capsys, "replay", str(EXAMPLE_SAVE), "--scenario", "my-season")
    assert (code, err) == (EXIT_OK, "")
    assert "quarter" in out
