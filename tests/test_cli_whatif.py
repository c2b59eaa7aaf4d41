"""``goingdark debrief`` and ``goingdark whatif``: output that fits 80 columns and says
what the what-ifs computed, and one exact message for every bad input (test_cli style)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_cli import run_cli

from engine.debrief import debrief
from engine.saves import read_save, restore, save_session
from engine.scenario.loader import load_scenario
from engine.session import GameSession
from engine.whatif import alternatives, exact_effects, ranked
from engine.whatif_words import effect_table, metric_change
from game.cli import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR

LUNCH = Path(__file__).parent.parent / "saves" / "quota-season-lunch-break.toml"
RUNS = "20"


@pytest.fixture
def lunch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The committed mid-game save, copied to the current folder as lunch.toml."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(LUNCH, tmp_path / "lunch.toml")
    return Path("lunch.toml")


def session_of(path: Path) -> GameSession:
    return restore(read_save(path))


def test_debrief_prints_everything_within_80_columns(lunch: Path, capsys) -> None:
    code, out, err = run_cli(capsys, "debrief", str(lunch), "--runs", RUNS)
    assert (code, err) == (EXIT_OK, "")
    assert max(len(line) for line in out.splitlines()) <= 80
    session = session_of(lunch)
    report = debrief(session)
    assert out.startswith(
        f"Debrief: Quota Season, Meridian Fleetworks, seed {session.seed}, 4 quarters played\n"
    )
    for heading in ("Turning points", "What if: your decisions, largest effect first"):
        assert f"\n{heading}\n{'-' * len(heading)}\n" in out
    for point in report.turning_points:
        assert point.title in out
    effects = ranked(exact_effects(session, alternatives(session)))
    for rank, effect in enumerate(effects, start=1):
        assert f"\n{rank}. {effect.alternative.label[:40]}" in out
        assert f"score {metric_change('score', effect.exact['score'])}," in out
    assert out.count("runs of other luck") == len(effects)


def test_debrief_json_holds_the_ranked_what_ifs(lunch: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "debrief", str(lunch), "--runs", RUNS, "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    session = session_of(lunch)
    effects = ranked(exact_effects(session, alternatives(session)))
    assert [w["label"] for w in data["whatifs"]] == [e.alternative.label for e in effects]
    assert [w["exact"] for w in data["whatifs"]] == [e.exact for e in effects]
    assert all(w["spread"]["runs"] == 20 for w in data["whatifs"])
    assert all(w["verdict"] in ("reliable help", "reliable harm", "luck") for w in data["whatifs"])
    report = debrief(session)
    assert [p["points"] for p in data["turning_points"]] == [
        p.points for p in report.turning_points
    ]
    assert data["score"] == report.score


def test_whatif_prints_the_changed_game_beside_the_original(lunch: Path, capsys) -> None:
    code, out, err = run_cli(
        capsys, "whatif", str(lunch), "--drop", "1:account-plans", "--runs", RUNS
    )
    assert (code, err) == (EXIT_OK, "")
    assert max(len(line) for line in out.splitlines()) <= 80
    session = session_of(lunch)
    [effect] = [
        e
        for e in exact_effects(session, alternatives(session))
        if e.alternative.label == "Without 'Account plans for every fleet' (quarter 1)"
    ]
    assert out.startswith("What if: Without 'Account plans for every fleet' (quarter 1)\n")
    score_line = next(line for line in out.splitlines() if line.startswith("Score"))
    assert score_line.split()[1:] == [
        f"{session.outcome().score[0]:.1f}",
        f"{session.outcome().score[0] - effect.exact['score']:.1f}",
        metric_change("score", effect.exact["score"]),
    ]
    assert "Over 20 runs of other luck with the same choices" in out


def test_whatif_json_is_the_effect(lunch: Path, capsys) -> None:
    code, out, _ = run_cli(
        capsys, "whatif", str(lunch), "--answer", "2:push-q2=push", "--runs", "1", "--json"
    )
    assert code == EXIT_OK
    data = json.loads(out)
    session = session_of(lunch)
    [effect] = [
        e
        for e in exact_effects(session, alternatives(session))
        if e.alternative.kind == "answer" and e.alternative.quarter == 2
    ]
    assert {k: v for k, v in data.items() if k not in ("spread", "verdict")} == {
        k: v for k, v in effect_table(effect).items() if k != "verdict"
    }
    assert data["spread"]["p50"] == data["exact"]  # one run of luck: this very game


def test_whatif_nothing_on_a_game_that_decided_nothing(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session = GameSession(load_scenario("first-quarter"))
    session.play()
    path = save_session(session, folder=tmp_path, slot="idle")
    code, _, err = run_cli(capsys, "whatif", str(path), "--nothing")
    assert code == EXIT_USER_ERROR
    assert err == "goingdark whatif: the game decided nothing: doing nothing changes nothing\n"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ["--drop", "1:acount-plans"],
            "unknown intervention 'acount-plans'; did you mean 'account-plans'?",
        ),
        (
            ["--drop", "3:account-plans"],
            "'account-plans' was not adopted in quarter 3 (adopted then: fleet-insights)",
        ),
        (
            ["--drop", "9:account-plans"],
            "quarter 9 was not played: the game has played quarters 1 to 4",
        ),
        (["--answer", "2:push-q3=push"], "unknown dilemma 'push-q3'; did you mean 'push-q6'?"),
        (
            ["--answer", "2:push-q2=pusj"],
            "dilemma 'push-q2' has no choice 'pusj'; did you mean 'push'?",
        ),
        (["--answer", "2:push-q2=hold"], "'hold' is the answer the game gave in quarter 2"),
        (
            ["--answer", "3:push-q4=push"],
            "the dilemma 'push-q4' did not come up in quarter 3 (dilemmas then: none)",
        ),
    ],
    ids=[
        "unknown-intervention",
        "not-adopted",
        "not-played",
        "unknown-dilemma",
        "unknown-choice",
        "same-answer",
        "dilemma-not-then",
    ],
)
def test_whatif_bad_changes(lunch: Path, capsys, change: list[str], message: str) -> None:
    code, out, err = run_cli(capsys, "whatif", str(lunch), *change)
    assert (code, out, err) == (EXIT_USER_ERROR, "", f"goingdark whatif: {message}\n")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ["--drop", "x"],
            "argument --drop: expected QUARTER:INTERVENTION, e.g. 3:sales-blitz, got 'x'",
        ),
        (
            ["--answer", "2:push"],
            "argument --answer: expected QUARTER:EVENT=CHOICE, e.g. 2:push-q2=hold, got '2:push'",
        ),
        ([], "one of the arguments --drop --answer --nothing is required"),
        (
            ["--nothing", "--drop", "1:account-plans"],
            "argument --drop: not allowed with argument --nothing",
        ),
        (["--nothing", "--runs", "0"], "argument --runs: must be at least 1, got 0"),
    ],
    ids=["drop-format", "answer-format", "no-change", "two-changes", "no-runs"],
)
def test_whatif_usage_errors(lunch: Path, capsys, change: list[str], message: str) -> None:
    code, out, err = run_cli(capsys, "whatif", str(lunch), *change)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.splitlines()[-1] == f"goingdark whatif: error: {message}"


@pytest.mark.parametrize("command", [["debrief"], ["whatif", "--nothing"]])
def test_a_missing_or_damaged_save(tmp_path: Path, monkeypatch, capsys, command) -> None:
    monkeypatch.chdir(tmp_path)
    name = command[0]
    code, _, err = run_cli(capsys, name, "nosuch.toml", *command[1:])
    assert (code, err) == (EXIT_USER_ERROR, f"goingdark {name}: nosuch.toml: file not found\n")
    Path("bad.toml").write_text("garbage = [\n", encoding="utf-8")
    code, _, err = run_cli(capsys, name, "bad.toml", *command[1:])
    assert (code, err) == (
        EXIT_USER_ERROR,
        f"goingdark {name}: bad.toml: damaged save: TOML syntax error: Invalid value "
        "(at end of document)\n",
    )
