"""``goingdark session report``: a room's class debrief written as HTML and CSV, the
same as the debrief of the teams' games; bad targets refused with nothing written."""

from __future__ import annotations

import csv

import pytest
from rooms_report_games import PLANS

from engine.rooms import Room, RoomError
from engine.rooms.class_debrief import class_debrief, room_debrief
from engine.rooms.report_csv import decisions_csv, figures_csv
from engine.rooms.report_html import html_report
from game.cli import main

TEAMS = ("Alpha", "Bravo", "Delta")


@pytest.fixture
def room(tmp_path):
    """Three teams, two closed rounds; Delta never submits round 2 (defaulted)."""
    room = Room.create("first-quarter", name="Tuesday cohort", folder=tmp_path / "sessions")
    room.open_round()
    for quarter in (1, 2):
        for team in TEAMS:
            interventions, answers = PLANS[team][quarter - 1]
            if (team, quarter) != ("Delta", 2):
                room.submit(team, "1234", quarter, interventions, answers, register=True)
        room.advance()
    yield room
    room.close()


def test_the_room_debrief_is_the_debrief_of_its_teams_games(room):
    debrief = room_debrief(room)
    games = {team: room.game(team) for team in TEAMS}
    sources = {(d.team, d.quarter): d.source for d in room.decisions()}
    assert sources[("Delta", 2)] == "default"
    expected = class_debrief(room.scenario(), games, sources)
    assert debrief == expected
    assert debrief.quarter == 2 and sorted(debrief.teams) == sorted(TEAMS)
    assert debrief.decisions[2]["Delta"].source == "default"


def test_the_command_writes_the_html_and_both_csv_files(room, tmp_path, capsys):
    html, figures = tmp_path / "class.html", tmp_path / "class.csv"
    arguments = ["session", "report", room.code, "--html", str(html), "--csv", str(figures)]
    assert main([*arguments, "--sessions", str(room.path.parent)]) == 0
    debrief = room_debrief(room)
    assert html.read_text(encoding="utf-8") == html_report(
        debrief, room_name="Tuesday cohort", code=room.code
    )
    assert figures.read_text(encoding="utf-8") == figures_csv(debrief)
    decisions = tmp_path / "class-decisions.csv"
    assert decisions.read_text(encoding="utf-8") == decisions_csv(debrief)
    with figures.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    metrics = set(room.game("Alpha").state.history)
    assert len(rows) == len(TEAMS) * 3 * len(metrics)  # quarters 0, 1 and 2
    # Long paths wrap to the terminal's width: compare the words.
    expected = (
        f"wrote {html}: the class debrief of session {room.code} (3 teams, quarter 2 of 4) "
        f"wrote {figures}: every figure (team,quarter,metric,value) "
        f"wrote {decisions}: every decision (team,quarter,kind,id,label,source)"
    )
    assert capsys.readouterr().out.split() == expected.split()


def test_a_missing_folder_is_refused_with_nothing_written(room, tmp_path, capsys):
    html = tmp_path / "no" / "class.html"
    folder = str(room.path.parent)
    assert main(["session", "report", room.code, "--html", str(html), "--sessions", folder]) == 1
    assert capsys.readouterr().err == (
        f"goingdark session: Cannot write {html}: there is no folder {html.parent}.\n"
    )
    csv_path = tmp_path / "no" / "class.csv"
    ok_html = tmp_path / "class.html"
    arguments = ["--html", str(ok_html), "--csv", str(csv_path), "--sessions", folder]
    assert main(["session", "report", room.code, *arguments]) == 1
    assert capsys.readouterr().err == (
        f"goingdark session: Cannot write {csv_path}: there is no folder {csv_path.parent}.\n"
    )
    assert not ok_html.exists()


def test_a_folder_in_the_way_is_refused(room, tmp_path, capsys):
    folder = str(room.path.parent)
    assert main(["session", "report", room.code, "--html", str(tmp_path), "--sessions", folder])
    assert capsys.readouterr().err == (
        f"goingdark session: Cannot write {tmp_path}: it is a folder.\n"
    )


def test_an_unknown_code_says_what_the_session_store_says(room, tmp_path, capsys):
    folder = room.path.parent
    with pytest.raises(RoomError) as error:
        Room.open("ZZZZZZ", folder=folder)
    html = tmp_path / "class.html"
    arguments = ["session", "report", "ZZZZZZ", "--html", str(html), "--sessions", str(folder)]
    assert main(arguments) == 1
    assert capsys.readouterr().err == f"goingdark session: {error.value}\n"
    assert not html.exists()


def test_html_is_required(capsys):
    with pytest.raises(SystemExit) as exit_code:
        main(["session", "report", "ABCDEF"])
    assert exit_code.value.code == 2
    assert "the following arguments are required: --html" in capsys.readouterr().err
