"""What the processes of the group-session tests run: a team playing a whole session,
a team or facilitator killed mid-write, a facilitator closing a round.

Run in child processes (multiprocessing), so each is a real OS process with its own
connection to the session file.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

from engine.decisions import Availability
from engine.rooms import Room, RoomError
from engine.rooms.store import RoomStore

PIN = "1234"


def random_plan(room: Room, team: str, rng: random.Random) -> tuple[list[str], dict[str, str]]:
    """A plan the team's game allows: up to two affordable cards, any dilemma answers."""
    game = room.game(team)
    available = sorted(
        name for name, (state, _) in game.availability().items() if state == Availability.AVAILABLE
    )
    chosen: list[str] = []
    for name in rng.sample(available, k=min(len(available), rng.randint(0, 2))):
        if game.cost_of([*chosen, name]) <= game.budget:
            chosen.append(name)
    answers = {
        event.id: rng.choice([choice.id for choice in event.choices])
        for event in game.pending_dilemmas()
    }
    return chosen, answers


def wait_for_round(room: Room, quarter: int, timeout: float = 60.0) -> None:
    """Poll the session until ``quarter`` is open."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        info = room.info()
        if info.quarter == quarter and info.state == "open":
            return
        if info.quarter > quarter:
            raise RuntimeError(f"quarter {quarter} closed before the team got to it")
        time.sleep(0.1)  # gently: 30 processes poll at once
    raise RuntimeError(f"quarter {quarter} never opened")


def play_team(folder: str, code: str, team: str, seed: int, quarters: int) -> None:
    """Join, then for each quarter: wait for the round, think a random while, store a few
    drafts, submit a plan; write the plans submitted to ``folder/team.json``."""
    rng = random.Random(seed)
    room = Room.open(code, folder=Path(folder))
    room.join(team, PIN, client=f"{team}-{os.getpid()}")
    submitted = []
    for quarter in range(1, quarters + 1):
        wait_for_round(room, quarter)
        for _ in range(rng.randint(0, 2)):
            time.sleep(rng.uniform(0, 0.1))
            room.submit(team, PIN, quarter, *random_plan(room, team, rng), draft=True)
        time.sleep(rng.uniform(0, 0.2))
        interventions, answers = random_plan(room, team, rng)
        room.submit(team, PIN, quarter, interventions, answers)
        submitted.append({"quarter": quarter, "interventions": interventions, "answers": answers})
    (Path(folder) / f"{team}.json").write_text(json.dumps(submitted))


def die_inside(method: str, kind: str | None = None) -> None:
    """Make this process SIGKILL itself inside the write transaction, right after the
    store ran ``method`` (for ``add_decision``, one of ``kind``): the worst moment."""
    original = getattr(RoomStore, method)

    def fatal(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if kind is None or kind in args:
            os.kill(os.getpid(), signal.SIGKILL)

    setattr(RoomStore, method, fatal)


def submit_and_die(folder: str, code: str, team: str, client: str, plan: list[str]) -> None:
    """A team's client killed with kill -9 half-way through storing its submission."""
    room = Room.open(code, folder=Path(folder))
    room.join(team, PIN, client=client)
    die_inside("add_decision", "submission")
    room.submit(team, PIN, room.info().quarter, plan, {})


def close_and_die(folder: str, code: str) -> None:
    """The facilitator's process killed with kill -9 half-way through closing a round."""
    room = Room.open(code, folder=Path(folder))
    die_inside("add_decision", "final")
    room.close_round()


def close_at_once(folder: str, code: str, barrier, results) -> None:
    """Close the round together with another process (both pass the barrier first)."""
    room = Room.open(code, folder=Path(folder))
    for team in room.teams():
        room.game(team.name)  # both ready to write at the same instant
    barrier.wait()
    try:
        results.put(room.close_round())
    except RoomError as exc:
        results.put(str(exc))


def join_and_beat(folder: str, code: str, team: str, client: str, ready: str) -> None:
    """A team's client that joins, submits a plan, then beats every second as the team
    app does, until it is killed; ``ready`` is written once it has beaten."""
    room = Room.open(code, folder=Path(folder))
    room.join(team, PIN, client=client)
    room.submit(team, PIN, room.info().quarter, ["call-round"], {})
    while True:
        room.heartbeat(team, client)
        Path(ready).touch()
        time.sleep(1.0)
