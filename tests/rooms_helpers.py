"""Shared pieces of the group-session tests: a session in a temporary folder, teams in
it, and a single-player replay to compare a team's game with."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine.decision_log import Policy
from engine.decisions import Decisions
from engine.rooms import Decision, Room
from engine.saves.replay import replay_decisions
from engine.scenario.loader import load_scenario
from engine.session import GameSession

SCENARIO = "first-quarter"  # 4 quarters: the shortest built-in


def new_room(folder: Path, teams: Sequence[str] = (), **settings) -> Room:
    """A session of the shortest built-in in ``folder`` with these teams joined (PIN 1234)."""
    room = Room.create(settings.pop("scenario", SCENARIO), folder=folder, **settings)
    for number, team in enumerate(teams):
        room.join(team, "1234", client=f"client-{number}")
    return room


def single_player(scenario: str | Path, seed: int, team: str, finals: Sequence[Decision]):
    """The same decisions replayed in an ordinary single-player game."""
    log = Policy({d.quarter: Decisions(d.interventions, d.answers) for d in finals})
    return replay_decisions(
        load_scenario(scenario),
        seed=seed,
        player=team,
        log=log,
        quarters=len(finals),
        name=team,
    )


def same_game(one: GameSession, other: GameSession) -> bool:
    """Whether two games recorded bit-identical histories."""
    if one.quarter != other.quarter or one.state.history.keys() != other.state.history.keys():
        return False
    return all(
        np.array_equal(np.asarray(one.state.history[name]), np.asarray(other.state.history[name]))
        for name in one.state.history
    )


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of a session file, to check that nothing was written."""
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in tables
        }
