"""Each team's game, rebuilt from its final decisions by deterministic replay.

No game state is stored: a team's game is ``GameSession(scenario, seed, team name)``
with its final decisions replayed, as a save is restored. Rebuilt games are kept in
memory per team; when the log has grown by a quarter since, only that quarter is
played on the kept game (a replay is deterministic, so this equals a full replay).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from engine.decision_log import Policy
from engine.decisions import Decisions
from engine.errors import GoingDarkError
from engine.rooms.errors import RoomError
from engine.saves.replay import replay_decisions
from engine.scenario.schema import Scenario
from engine.session import GameSession


class GameCache:
    """The games of one session's teams, by team id, each as of its latest decision."""

    def __init__(self, scenario: Scenario, seed: int):
        self.scenario = scenario
        self.seed = seed
        self._games: dict[int, GameSession] = {}
        self._lock = threading.Lock()
        self.replayed_quarters = 0  # quarters played to keep up, for tests and benchmarks

    def game(self, team_id: int, team: str, finals: Sequence[Decisions]) -> GameSession:
        """The team's game with ``finals`` (quarters 1, 2, ...) played. The game is shared:
        read it, never play on it (``engine.saves.replay.branch`` gives a copy)."""
        with self._lock:
            cached = self._games.get(team_id)
            if cached is not None and _extends(cached, finals):
                game = cached
            else:
                game = self._replay(team, finals[: max(0, len(finals) - 1)])
            for quarter in range(game.quarter + 1, len(finals) + 1):
                self._play(game, team, quarter, finals[quarter - 1])
            game.player = team  # a renamed team keeps its game
            self._games[team_id] = game
            return game

    def forget(self, team_id: int) -> None:
        """Drop a team's kept game (a removed team)."""
        with self._lock:
            self._games.pop(team_id, None)

    def _replay(self, team: str, finals: Sequence[Decisions]) -> GameSession:
        log = Policy(dict(enumerate(finals, start=1)), self.scenario.meta.id)
        try:
            game = replay_decisions(
                self.scenario,
                seed=self.seed,
                player=team,
                log=log,
                quarters=len(finals),
                name=f"team '{team}'",
            )
        except GoingDarkError as exc:
            raise RoomError(f"{exc}.") from None
        self.replayed_quarters += len(finals)
        return game

    def _play(self, game: GameSession, team: str, quarter: int, decisions: Decisions) -> None:
        try:
            decisions.validate(game.world)
            game.play(decisions.interventions, decisions.choices)
        except GoingDarkError as exc:
            raise RoomError(f"team '{team}': quarter {quarter} does not replay: {exc}.") from None
        self.replayed_quarters += 1


def _extends(game: GameSession, finals: Sequence[Decisions]) -> bool:
    """Whether ``game`` played a prefix of ``finals`` (so it can be played on)."""
    if game.quarter > len(finals):
        return False
    return all(game.decisions.get(q) == finals[q - 1] for q in range(1, game.quarter + 1))
