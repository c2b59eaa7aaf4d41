"""Group sessions under real concurrency: 30 team processes over 8 quarters, processes
killed with kill -9 in the middle of a write, two facilitators closing one round.

Children come from a fork server that imported the engine (and SciPy, which the first
quarter needs) once, so 30 processes start in a moment on a small machine; each opens
its own connection to the session file.
"""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest
import rooms_worker
from rooms_helpers import new_room, same_game, single_player, table_rows

from engine.rooms import Room, RoomError

TEAMS = 30
QUARTERS = 8
SCENARIO = "fine-on-paper"  # 8 quarters


@pytest.fixture(scope="module")
def processes(fork_server_preload: list[str]):
    context = multiprocessing.get_context("forkserver")
    # Modules the fork server imports once for every child (conftest: the rooms' and the
    # what-ifs'). Python 3.11's fork server does not see the tests folder, so the worker
    # module itself is imported per child.
    context.set_forkserver_preload(fork_server_preload)
    return context


def run(context, target, *args) -> int:
    """Run ``target(*args)`` in a child process; its exit code (-9: killed)."""
    child = context.Process(target=target, args=args)
    child.start()
    child.join(60)
    return child.exitcode


def wait_until_all_submitted(room: Room, quarter: int, children) -> None:
    end = time.monotonic() + 120
    while time.monotonic() < end:
        if all(team.status == "submitted" for team in room.teams()) and len(room.teams()) == TEAMS:
            return
        if any(child.exitcode not in (None, 0) for child in children):
            raise AssertionError("a team process failed")
        time.sleep(0.1)
    raise AssertionError(f"not every team submitted quarter {quarter}")


def test_thirty_team_processes_over_eight_quarters(tmp_path: Path, processes) -> None:
    room = new_room(tmp_path, scenario=SCENARIO, seed=2024)
    names = [f"Team {number:02d}" for number in range(1, TEAMS + 1)]
    children = [
        processes.Process(
            target=rooms_worker.play_team,
            args=(str(tmp_path), room.code, name, number, QUARTERS),
        )
        for number, name in enumerate(names)
    ]
    for child in children:
        child.start()
    end = time.monotonic() + 120
    while len(room.teams()) < TEAMS:
        failed = [child.exitcode for child in children if child.exitcode not in (None, 0)]
        assert not failed and time.monotonic() < end, f"team processes failed: {failed}"
        time.sleep(0.1)
    for quarter in range(1, QUARTERS + 1):
        room.advance()  # opens the quarter (closing the one before)
        wait_until_all_submitted(room, quarter, children)
    room.close_round()
    for child in children:
        child.join(60)
    assert [child.exitcode for child in children] == [0] * TEAMS
    assert room.info().state == "finished"

    # No decision lost or duplicated: each team's finals are exactly what it submitted.
    with sqlite3.connect(room.path) as connection:
        counts = connection.execute(
            "SELECT kind, COUNT(*) FROM decisions GROUP BY team_id, quarter, kind "
            "HAVING kind != 'draft'"
        ).fetchall()
    assert sorted(set(counts)) == [("final", 1), ("submission", 1)]
    assert len(counts) == 2 * TEAMS * QUARTERS
    fresh = Room.open(room.code, folder=tmp_path)
    for name in names:
        sent = json.loads((tmp_path / f"{name}.json").read_text())
        finals = fresh.decisions(name)
        assert [
            {"quarter": d.quarter, "interventions": list(d.interventions), "answers": d.answers}
            for d in finals
        ] == sent
        assert {d.source for d in finals} == {"team"}
        # Replayed results equal a single-player replay of the same decisions, bit for bit.
        assert same_game(fresh.game(name), single_player(SCENARIO, 2024, name, finals))
    assert [team.played for team in fresh.teams()] == [QUARTERS] * TEAMS


def test_a_team_killed_mid_submission_rejoins_where_it_was(tmp_path: Path, processes) -> None:
    plans = {1: ["call-round"], 2: ["feedback-cards"], 3: ["thank-the-techs"], 4: []}
    room = new_room(tmp_path, ["Beta"])
    calm = new_room(tmp_path / "calm", ["Beta"])  # the same session, never interrupted
    for session in (room, calm):
        session.join("Alpha", "1234", client="laptop")
        session.advance()
    calm.submit("Alpha", "1234", 1, plans[1], {})
    room.submit("Alpha", "1234", 1, ["tech-training"], {})  # an earlier plan, kept
    before = table_rows(room.path)
    code = run(
        processes,
        rooms_worker.submit_and_die,
        str(tmp_path),
        room.code,
        "Alpha",
        "laptop",
        plans[1],
    )
    assert code == -9
    after = table_rows(room.path)
    with sqlite3.connect(room.path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The killed transaction left nothing; its join (a committed write) updated the team row.
    assert after["decisions"] == before["decisions"]
    assert after["events"][: len(before["events"])] == before["events"]
    assert room.submission("Alpha", 1).interventions == ("tech-training",)

    # Another machine is refused while the seat looks taken; the same laptop rejoins.
    with pytest.raises(RoomError):
        room.join("Alpha", "1234", client="someone else")
    room.join("Alpha", "1234", client="laptop")
    room.submit("Alpha", "1234", 1, plans[1], {})
    for session in (room, calm):
        for quarter in (2, 3, 4):
            session.advance()
            session.submit("Alpha", "1234", quarter, plans[quarter], {})
        session.close_round()
    assert [(d.quarter, d.interventions) for d in room.decisions("Alpha")] == [
        (d.quarter, d.interventions) for d in calm.decisions("Alpha")
    ]
    assert same_game(room.game("Alpha"), calm.game("Alpha"))
    assert same_game(room.game("Beta"), calm.game("Beta"))


def test_a_facilitator_killed_mid_close_leaves_the_round_open(tmp_path: Path, processes) -> None:
    room = new_room(tmp_path, ["Alpha", "Beta", "Gamma"])
    room.open_round()
    room.submit("Alpha", "1234", 1, ["call-round"], {})
    code = run(processes, rooms_worker.close_and_die, str(tmp_path), room.code)
    assert code == -9
    info = room.info()
    assert (info.quarter, info.state) == (1, "open")
    assert room.decisions() == []
    room.submit("Beta", "1234", 1, ["feedback-cards"], {})  # the round goes on
    restarted = Room.open(room.code, folder=tmp_path)
    assert restarted.close_round() == ["Gamma"]
    assert [(d.team, d.source) for d in room.decisions()] == [
        ("Alpha", "team"),
        ("Beta", "team"),
        ("Gamma", "default"),
    ]


def test_two_processes_closing_one_round_close_it_once(tmp_path: Path, processes) -> None:
    room = new_room(tmp_path, ["Alpha", "Beta"])
    room.open_round()
    barrier, results = processes.Barrier(2), processes.Queue()
    children = [
        processes.Process(
            target=rooms_worker.close_at_once, args=(str(tmp_path), room.code, barrier, results)
        )
        for _ in range(2)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=60), results.get(timeout=60)]
    for child in children:
        child.join(60)
    assert ["Alpha", "Beta"] in outcomes
    other = outcomes[1 - outcomes.index(["Alpha", "Beta"])]
    assert other in ([], "No round is open: round 2 is waiting to be opened.")
    assert len(room.decisions()) == 2
    assert [e.text for e in room.events() if e.kind == "closed"] == [
        "Round 1 closed: 2 teams defaulted."
    ]
