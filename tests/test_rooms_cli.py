"""``goingdark session ...`` end to end: exact output, exit codes and error sentences."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.rooms import Room
from game.cli import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, main

ENTRY_POINT = Path(sys.executable).parent / "goingdark"
CODE = "K7MP2Q"


@pytest.fixture(autouse=True)
def fixed_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """New sessions get the code K7MP2Q, printed output fits 80 columns."""
    monkeypatch.setattr("engine.rooms.room.new_code", lambda: CODE)
    monkeypatch.setenv("COLUMNS", "80")


def session(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["session", *argv, "--sessions", str(folder)])
    except SystemExit as exit_:  # argparse: usage errors
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_whole_session_from_the_command_line(tmp_path: Path, capsys) -> None:
    assert session(capsys, tmp_path, "new", "first-quarter", "--name", "Tuesday cohort") == (
        EXIT_OK,
        "Session K7MP2Q 'Tuesday cohort' created.\n"
        "First Quarter: 4 quarters, seed 10, rounds closed by hand, forecasts on.\n"
        "Teams join with:  goingdark join K7MP2Q\n"
        "Run it with:      goingdark facilitate K7MP2Q\n"
        "Without a screen: goingdark session advance K7MP2Q\n",
        "",
    )
    assert session(capsys, tmp_path, "status", CODE) == (
        EXIT_OK,
        "Session K7MP2Q 'Tuesday cohort': First Quarter, seed 10.\n"
        "Round 1 of 4: waiting to be opened.\n"
        "No teams yet: they join with goingdark join K7MP2Q\n",
        "",
    )
    assert session(capsys, tmp_path, "advance", CODE) == (EXIT_OK, "Round 1 opened.\n", "")
    submit = ["submit", "k7mp-2q", "--team", "Alpha", "--pin", "1234", "--quarter", "1"]
    assert session(capsys, tmp_path, *submit, "--interventions", "call-round,feedback-cards") == (
        EXIT_OK,
        "Team Alpha submitted its plan for quarter 1 of session K7MP2Q: Call every\n"
        "  customer, Honest feedback cards.\n",
        "",
    )
    beta = ["submit", CODE, "--team", "Beta", "--pin", "5678", "--quarter", "1", "--draft"]
    assert session(capsys, tmp_path, *beta, "--interventions", "thank-the-techs") == (
        EXIT_OK,
        "Team Beta submitted a draft for quarter 1 of session K7MP2Q: Thank the\n  technicians.\n",
        "",
    )
    code, out, _ = session(capsys, tmp_path, "status", CODE)
    assert code == EXIT_OK
    room = Room.open(CODE, folder=tmp_path)
    scores = {row.team: f"{row.score:5.1f}" for row in room.standings()}
    assert out == (
        "Session K7MP2Q 'Tuesday cohort': First Quarter, seed 10.\n"
        "Round 1 of 4: open.\n"
        "Team   Status     Played  Rank  Score  Stars\n"
        f"Alpha  submitted       0     1  {scores['Alpha']}  ***\n"
        f"Beta   deciding        0     1  {scores['Beta']}  ***\n"
    )
    assert session(capsys, tmp_path, "advance", CODE) == (
        EXIT_OK,
        "Team Beta did not submit quarter 1: its last draft was played.\n"
        "Round 1 closed: 1 team defaulted.\n"
        "Round 2 opened.\n",
        "",
    )
    answer = ["--answer", "fairbank-order=promise-a-week"]
    submit[-1] = "2"
    assert session(capsys, tmp_path, *submit, *answer) == (
        EXIT_OK,
        "Team Alpha submitted its plan for quarter 2 of session K7MP2Q: no interventions;\n"
        "  answers: fairbank-order=promise-a-week.\n",
        "",
    )
    code, out, _ = session(capsys, tmp_path, "status", CODE, "--json")
    assert code == EXIT_OK
    status = json.loads(out)
    assert status["session"]["quarter"] == 2 and status["session"]["state"] == "open"
    assert [team["name"] for team in status["teams"]] == ["Alpha", "Beta"]
    assert [team["played"] for team in status["teams"]] == [1, 1]
    assert {row["team"] for row in status["standings"]} == {"Alpha", "Beta"}
    assert session(capsys, tmp_path, "close", CODE) == (
        EXIT_OK,
        "Team Beta did not submit quarter 2: no interventions and the default answers\n"
        "  were played.\n"
        "Round 2 closed: 1 team defaulted.\n"
        "Session ended by the facilitator after 2 quarters.\n",
        "",
    )
    assert session(capsys, tmp_path, "list") == (
        EXIT_OK,
        "K7MP2Q 'Tuesday cohort': First Quarter. Finished after 2 of 4 quarters.\n",
        "",
    )
    submit[-1] = "3"
    assert session(capsys, tmp_path, *submit) == (
        EXIT_USER_ERROR,
        "",
        "goingdark session: Session K7MP2Q is finished: it takes no more decisions.\n",
    )


def test_command_line_mistakes(tmp_path: Path, capsys) -> None:
    assert session(capsys, tmp_path, "list") == (
        EXIT_OK,
        f"No sessions in {tmp_path}.\nMake one with: goingdark session new SCENARIO\n",
        "",
    )
    assert session(capsys, tmp_path, "advance", "K7MP2Q") == (
        EXIT_USER_ERROR,
        "",
        f"goingdark session: No session has the code K7MP2Q (looked in {tmp_path}).\n",
    )
    code, _, err = session(capsys, tmp_path, "new", "first-quartr")
    assert code == EXIT_USER_ERROR
    assert err.startswith(  # then the list of built-ins, which grows
        "goingdark session: first-quartr: no such scenario file, built-in scenario "
        "or scenario in your folder; did you "
        "mean 'first-quarter'? (built-in: "
    )
    assert list(tmp_path.iterdir()) == []
    code, _, err = session(capsys, tmp_path, "new", "first-quarter", "--deadline", "0")
    assert code == EXIT_USAGE
    assert err.endswith("argument --deadline: expected whole minutes, at least 1, got '0'\n")
    code, _, err = session(capsys, tmp_path, "new", "first-quarter", "--forecasts", "maybe")
    assert code == EXIT_USAGE
    assert err.endswith("argument --forecasts: expected on or off, got 'maybe'\n")
    session(capsys, tmp_path, "new", "first-quarter", "--deadline", "5", "--forecasts", "off")
    session(capsys, tmp_path, "advance", CODE)
    submit = ["submit", CODE, "--team", "Alpha", "--pin", "1234", "--quarter", "1"]
    code, _, err = session(capsys, tmp_path, *submit, "--answer", "fairbank-order")
    assert code == EXIT_USAGE
    assert err.endswith(
        "argument --answer: expected EVENT=CHOICE, e.g. fairbank-order=accept, got "
        "'fairbank-order'\n"
    )
    assert session(capsys, tmp_path, *submit, "--interventions", "call-roud") == (
        EXIT_USER_ERROR,
        "",
        "goingdark session: There is no intervention 'call-roud' in First Quarter "
        "(interventions: call-round, seasonal-blends, thank-the-techs, tech-training, "
        "feedback-cards, free-upgrade); did you mean 'call-round'?\n",
    )
    assert Room.open(CODE, folder=tmp_path).teams() == []  # nothing registered


def test_the_real_entry_point(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(ENTRY_POINT), "session", "new", "first-quarter", "--sessions", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    code = done.stdout.split()[1]
    assert (tmp_path / f"{code}.sqlite").is_file()
    assert "Teams join with:  goingdark join" in done.stdout
