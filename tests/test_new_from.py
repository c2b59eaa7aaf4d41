"""`goingdark new SLUG --from SCENARIO`: the source's own text and comments, line for line,
with only its id changed, its campaign place dropped and a two-line header added."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.folders import user_scenario_dir
from engine.scenario.authoring import copied_scenario
from engine.scenario.loader import builtin_paths, parse_scenario
from game.cli import EXIT_OK, EXIT_USER_ERROR, main

MINIMAL = Path(__file__).resolve().parent / "data" / "minimal.toml"


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda path: path.stem)
def test_a_copy_of_a_builtin_keeps_its_text_and_comments(path: Path) -> None:
    original = path.read_text(encoding="utf-8").splitlines()
    copy = copied_scenario(path.stem, "my-copy").splitlines()
    source = parse_scenario(path.read_text(encoding="utf-8"), path)
    copied = parse_scenario("\n".join(copy), Path("my-copy.toml"))
    assert copied.meta.id == "my-copy"
    assert copied.meta.campaign_order is None
    # Nothing padded: two header lines in, the campaign place (if any) out.
    dropped = 1 if source.meta.campaign_order is not None else 0
    assert len(copy) == len(original) + 2 - dropped
    assert copy[1:3] == [
        f"# Copied from {path.stem} by goingdark new --from.",
        "# Check your changes with: goingdark check my-copy.toml",
    ]
    changed = {f'id = "{source.meta.id}"', f"campaign_order = {source.meta.campaign_order}"}
    kept = [line for line in original if line not in changed]
    assert [line for line in copy if line not in copy[1:3] and line != 'id = "my-copy"'] == kept
    # Everything but the id and the campaign place is the scenario it was copied from.
    assert copied.model_dump(exclude={"meta"}) == source.model_dump(exclude={"meta"})


def test_a_file_without_a_schema_line_gets_one(tmp_path: Path) -> None:
    copy = copied_scenario(str(MINIMAL), "mine").splitlines()
    assert copy[:3] == [
        "#:schema ./going-dark.schema.json",
        "# Copied from minimal by goingdark new --from.",
        "# Check your changes with: goingdark check mine.toml",
    ]
    assert len(copy) == len(MINIMAL.read_text(encoding="utf-8").splitlines()) + 3


def test_new_from_an_id_in_the_players_folder(
    goingdark_home, tmp_path: Path, monkeypatch, capsys
) -> None:
    folder = user_scenario_dir()
    folder.mkdir(parents=True)
    shutil.copyfile(MINIMAL, folder / "my-company.toml")
    monkeypatch.chdir(tmp_path)
    assert main(["new", "next-year", "--from", "my-company"]) == EXIT_OK
    capsys.readouterr()
    text = (tmp_path / "next-year.toml").read_text(encoding="utf-8")
    assert parse_scenario(text).meta.id == "next-year"
    assert main(["new", "other", "--from", "my-compnay"]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert err.startswith(
        "goingdark new: my-compnay: no such scenario file, built-in scenario "
        "or scenario in your folder; did you mean "
        "'my-company'? (built-in: "
    )
    assert err.endswith(f"; in {folder}: my-company)\n")
