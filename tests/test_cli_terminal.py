"""The goingdark command as a newcomer meets it in an ordinary terminal: output that fits
80 columns, one game spoken of as one game, and the quiet side effects said out loud.

Width comes from ``shutil.get_terminal_size``, which reads ``COLUMNS`` first, so every
test sets it rather than depending on the terminal pytest runs in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.presentation import METRIC_PRESENTATION
from engine.saves import read_save, save_session
from engine.scenario.authoring import SCHEMA_FILE, schema
from engine.scenario.loader import builtin_dir, load_scenario
from engine.session import GameSession
from engine.simulate import simulate
from engine.world import World
from game.cli import EXIT_OK, main

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_PATH = ROOT / "tests" / "data" / "minimal.toml"
EXAMPLE_SAVES = sorted((ROOT / "saves").glob("*.toml"))
BUILTIN_IDS = sorted(path.stem for path in builtin_dir().glob("*.toml"))
# Every column of the quarter table, in order (what --wide shows).
TABLE_COLUMNS = (
    "active_customers",
    "logo_retention",
    "revenue_retention",
    "defections",
    "new_customers",
    "csat_reported",
    "csat_true",
    "thrill",
    "dark_share",
    "engagement",
    "quality",
    "quality_norm",
    "profit",
)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``goingdark ARGV``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def columns(monkeypatch: pytest.MonkeyPatch):
    """Set the terminal's width, as COLUMNS does for shutil.get_terminal_size."""

    def set_width(width: int) -> None:
        monkeypatch.setenv("COLUMNS", str(width))

    set_width(80)
    return set_width


def header(metric: str) -> str:
    shown = METRIC_PRESENTATION[metric]
    return shown.short_label + (" k" if shown.format == "money" else "")


def unwrapped(text: str) -> str:
    """Text with wrapped sentences joined again (continuation lines start with 2 spaces
    and a non-space: table rows are right-aligned numbers)."""
    return re.sub(r"\n  (?=[^ ])", " ", text)


def too_wide(text: str, width: int = 80) -> list[str]:
    return [line for line in text.splitlines() if len(line) > width]


# --- 16: run and replay fit the terminal ------------------------------------------------------
def test_every_builtin_scenario_has_an_id_here() -> None:
    assert len(BUILTIN_IDS) >= 5 and "quota-season" in BUILTIN_IDS


@pytest.mark.parametrize("runs", ["1", "3"])
@pytest.mark.parametrize("scenario", BUILTIN_IDS)
def test_run_fits_80_columns(
    capsys: pytest.CaptureFixture[str], columns, scenario: str, runs: str
) -> None:
    code, out, err = run_cli(capsys, "run", scenario, "--runs", runs)
    assert (code, err) == (EXIT_OK, "")
    assert too_wide(out) == []
    assert any(line.startswith("quarter ") for line in out.splitlines())


@pytest.mark.parametrize("save", EXAMPLE_SAVES, ids=lambda path: path.stem)
def test_replay_fits_80_columns(capsys: pytest.CaptureFixture[str], columns, save: Path) -> None:
    code, out, err = run_cli(capsys, "replay", str(save), "--verify")
    assert (code, err) == (EXIT_OK, "")
    assert too_wide(out) == []
    assert out.splitlines()[-1].startswith("verified: ")


def test_replay_of_a_long_named_save_fits_80_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], columns
) -> None:
    session = GameSession(load_scenario("capstone"), player="The night-shift support team")
    for _ in range(3):
        session.play([], {})
    path = save_session(session, folder=tmp_path, slot="Before the board meeting, take two")
    code, out, err = run_cli(capsys, "replay", str(path), "--verify")
    assert (code, err) == (EXIT_OK, "")
    assert too_wide(out) == []
    save = read_save(path)
    assert out.splitlines()[:2] == [
        'Saved game "Before the board meeting, take two", The night-shift support team:',
        f"  quarter 3 of 14, saved {save.updated} by Going Dark {save.game_version}",
    ]


def table_headers(out: str) -> list[str]:
    """The headers of the quarter table, in order (labels may hold spaces)."""
    line = next(line for line in out.splitlines() if line.startswith("quarter "))
    found = []
    for metric in TABLE_COLUMNS:
        if re.search(rf"(^| ){re.escape(header(metric))}( |$)", line):
            found.append(header(metric))
    return found


def test_a_narrow_table_names_every_column_it_leaves_out(
    capsys: pytest.CaptureFixture[str], columns
) -> None:
    out = run_cli(capsys, "run", "quota-season")[1]
    shown = table_headers(out)
    left_out = [header(metric) for metric in TABLE_COLUMNS if header(metric) not in shown]
    assert shown[:4] == ["logo ret", "lost", "csat rep", "csat true"]
    assert left_out, "at 80 columns some column is left out"
    note = " ".join(
        line.strip() for line in out.split("\n\n")[1].splitlines() if not line[:1].isdigit()
    )
    assert f"Left out to fit 80 columns: {', '.join(left_out)}; --wide shows them." in note


def test_wide_and_a_wide_terminal_show_every_column(
    capsys: pytest.CaptureFixture[str], columns
) -> None:
    every = [header(metric) for metric in TABLE_COLUMNS]
    out = run_cli(capsys, "run", "quota-season", "--wide")[1]
    assert table_headers(out) == every and "Left out" not in out
    columns(200)
    wide_terminal = run_cli(capsys, "run", "quota-season")[1]
    assert table_headers(wide_terminal) == every and "Left out" not in wide_terminal
    assert unwrapped(wide_terminal) == unwrapped(out)
    assert too_wide(out, 200) == []
    out = run_cli(capsys, "replay", str(EXAMPLE_SAVES[0]), "--wide")[1]
    assert table_headers(out) == every


def test_the_table_shows_the_runs_means(capsys: pytest.CaptureFixture[str], columns) -> None:
    out = run_cli(capsys, "run", str(MINIMAL_PATH), "--runs", "3", "--wide")[1]
    scenario = load_scenario(MINIMAL_PATH)
    results = simulate(World.from_scenario(scenario), scenario.meta.seed, runs=3)
    rows = [line.split() for line in out.splitlines() if re.match(r" +\d+ ", line)]
    customers = [float(row[1]) for row in rows]
    expected = [round(float(v.mean())) for v in results.history["active_customers"]]
    assert customers == expected


# --- 17: one game is one game -----------------------------------------------------------------
def test_one_run_speaks_of_one_game(capsys: pytest.CaptureFixture[str], columns) -> None:
    scenario = load_scenario("first-quarter")
    results = simulate(World.from_scenario(scenario), scenario.meta.seed, runs=1)
    outcome = results.outcome(scenario)
    out = run_cli(capsys, "run", "first-quarter")[1]
    assert "% of runs" not in out and "every run" not in out and "no run" not in out
    stars = int(outcome.stars[0])
    assert f"Score by the scenario's rules: {outcome.score[0]:.1f}, " in out
    assert (("★" * stars) or "no star") + "." in out
    for goal, met in outcome.goals.items():
        assert f"Goal {goal}: {'met' if met[0] else 'not met'}." in out.splitlines()
    for achievement, earned in outcome.achievements.items():
        verdict = "earned" if earned[0] else "not earned"
        assert f"Achievement {achievement}: {verdict}." in out.splitlines()


def test_many_runs_speak_in_shares_of_runs(capsys: pytest.CaptureFixture[str], columns) -> None:
    from engine.report import share_of_runs

    scenario = load_scenario("first-quarter")
    results = simulate(World.from_scenario(scenario), scenario.meta.seed, runs=6)
    outcome = results.outcome(scenario)
    out = run_cli(capsys, "run", "first-quarter", "--runs", "6")[1]
    lines = out.splitlines()
    for goal, met in outcome.goals.items():
        assert f"Goal {goal}: met {share_of_runs(float(met.mean()))}." in lines
    for achievement, earned in outcome.achievements.items():
        share = share_of_runs(float(earned.mean()))
        assert f"Achievement {achievement}: earned {share}." in lines
    assert "on average (p05" in out


def test_shares_of_runs_never_round_to_all_or_none() -> None:
    from engine.report import share_of_runs

    assert share_of_runs(1.0) == "in every run"
    assert share_of_runs(0.0) == "in no run"
    assert share_of_runs(0.999) == "in 99% of runs"
    assert share_of_runs(0.001) == "in 1% of runs"
    assert share_of_runs(0.5) == "in 50% of runs"


def test_a_game_saved_mid_way_is_judged_on_the_quarters_played(
    capsys: pytest.CaptureFixture[str], columns
) -> None:
    save = ROOT / "saves" / "quota-season-lunch-break.toml"
    out = run_cli(capsys, "replay", str(save))[1]
    assert "Score by the scenario's rules after quarter 4 of 8: " in out
    assert "Why customers left in quarter 4: " in out


# --- 18: saves and new say what they do -------------------------------------------------------
def test_no_saves_points_at_the_example_saves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], columns, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    folder = tmp_path / "saves"
    code, out, err = run_cli(capsys, "saves", "--saves", str(folder))
    assert (code, err) == (EXIT_OK, "")
    assert out.splitlines() == [
        f"no saves in {folder}",
        "This copy of Going Dark has example games:",
        *(f"  saves/{path.name}" for path in EXAMPLE_SAVES),
        "Replay one with: goingdark replay saves/first-quarter-complete.toml",
        "To load one in the game (l in the main menu), copy it into the saves folder:",
        f"  {folder}",
    ]
    # The command it names works as written, from where it was said.
    assert run_cli(capsys, "replay", "saves/first-quarter-complete.toml")[0] == EXIT_OK
    # And a copy in the folder is a save the folder lists.
    folder.mkdir()
    (folder / "first-quarter-complete.toml").write_bytes(EXAMPLE_SAVES[0].read_bytes())
    listed = run_cli(capsys, "saves", "--saves", str(folder))[1]
    assert listed.startswith('first-quarter-complete.toml: "Tutorial, played through"')


def test_no_saves_without_examples_says_just_that(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("game.cli.example_saves", list)  # no examples
    assert run_cli(capsys, "saves", "--saves", str(tmp_path)) == (
        EXIT_OK,
        f"no saves in {tmp_path}\n",
        "",
    )


def test_new_says_when_it_writes_or_updates_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], columns, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    said = (
        " beside it: the scenario format, which editors read through the file's "
        "#:schema line to complete and check keys\n"
    )
    out = run_cli(capsys, "new", "first")[1]
    assert unwrapped(out) == (
        f"wrote first.toml; check it with: goingdark check first.toml\nwrote {SCHEMA_FILE}{said}"
    )
    assert too_wide(out) == []
    # Already there and current: nothing written, nothing said.
    out = run_cli(capsys, "new", "second")[1]
    assert out == "wrote second.toml; check it with: goingdark check second.toml\n"
    # A stale copy (an older game's) is brought up to date, and that is said.
    (tmp_path / SCHEMA_FILE).write_text("{}\n", encoding="utf-8")
    out = run_cli(capsys, "new", "third")[1]
    assert unwrapped(out) == (
        f"wrote third.toml; check it with: goingdark check third.toml\nupdated {SCHEMA_FILE}{said}"
    )
    assert json.loads((tmp_path / SCHEMA_FILE).read_text(encoding="utf-8")) == schema()
