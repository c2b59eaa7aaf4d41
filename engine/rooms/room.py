"""A group session ("room"): one scenario, one seed, teams playing it in lock-step.

:class:`Room` is the one object the game, the CLI and the report use; it keeps SQL in
:mod:`engine.rooms.store`, round rules in :mod:`engine.rooms.rounds`, games in
:mod:`engine.rooms.games` and the leaderboard in :mod:`engine.rooms.standings`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from engine.decisions import Decisions
from engine.rooms import rounds
from engine.rooms.codes import check_pin_format, hash_pin, new_code, normalise_code, pin_matches
from engine.rooms.errors import PinRefused, RoomError
from engine.rooms.facilitation import RoomFacilitation
from engine.rooms.games import GameCache
from engine.rooms.location import room_path, rooms_folder
from engine.rooms.plans import checked_plan, default_answers, dilemma_defaults
from engine.rooms.records import Decision, RoomEvent, RoomInfo, Standing, TeamInfo
from engine.rooms.scenario_copy import RoomScenario, scenario_for_new_room
from engine.rooms.standings import ResultCache, leaderboard
from engine.rooms.store import PendingNote, RoomStore, decoded
from engine.rooms.teams import check_team_name, refuse_second_client
from engine.scenario.schema import Scenario
from engine.session import GameSession


class Room(RoomFacilitation):
    """One session file, opened. Every method reads or writes the file afresh, so
    several processes (teams, the facilitator) can share one session."""

    def __init__(self, store: RoomStore, scenario: RoomScenario):
        self._store = store
        self._scenario = scenario
        self._games: GameCache | None = None
        self._results = ResultCache()
        self._noted: set[tuple[int, int]] = set()  # (team id, quarter) pending noted
        self.path = store.path
        self.code: str = store.room()["code"]

    # --- making and finding ----------------------------------------------------------------
    @classmethod
    def create(
        cls,
        scenario: str | Path,
        *,
        seed: int | None = None,
        name: str = "",
        deadline_minutes: int | None = None,
        forecasts: bool = True,
        folder: Path | None = None,
    ) -> Room:
        """A new session of ``scenario`` (a file, a built-in id or an id in the user's
        folder), waiting for quarter 1, under a new join code."""
        if seed is not None and not 0 <= seed < 2**63:
            raise RoomError(f"A seed is a whole number from 0 to 2^63 - 1, not {seed}.")
        if deadline_minutes is not None and deadline_minutes < 1:
            raise RoomError(f"A deadline is at least 1 minute, not {deadline_minutes}.")
        chosen = scenario_for_new_room(scenario)
        loaded = chosen.load()
        directory = rooms_folder(folder)
        row = {
            "name": name.strip(),
            "scenario_id": loaded.meta.id,
            "scenario_title": loaded.meta.title,
            "scenario_path": chosen.path,
            "scenario_sha256": chosen.sha256,
            "scenario_text": chosen.text,
            "seed": loaded.meta.seed if seed is None else seed,
            "quarters": loaded.meta.quarters,
            "quarter": 1,
            "state": "waiting",
            "deadline": None,
            "deadline_minutes": deadline_minutes,
            "paused_remaining": None,
            "forecasts": int(forecasts),
            "created_at": time.time(),
        }
        for _ in range(100):
            code = new_code()
            try:
                store = RoomStore.create(room_path(directory, code), {"code": code, **row})
            except FileExistsError:
                continue  # another session has this code: draw again
            break
        else:
            raise RoomError(f"No free session code could be found in {directory}.")
        with store.write():
            title = f" '{row['name']}'" if row["name"] else ""
            store.add_event(
                "created", None, f"Session {code}{title} created for {loaded.meta.title}.", now()
            )
        return cls(store, chosen)

    @classmethod
    def open(cls, code: str, *, folder: Path | None = None, allow_changed: bool = False) -> Room:
        """The session with join code ``code`` (typed any case, with spaces or dashes);
        RoomError for an unknown code, a file that is not a session, a newer format, or
        a scenario changed since the session was made (unless ``allow_changed``)."""
        normal = normalise_code(code)
        directory = rooms_folder(folder)
        path = room_path(directory, normal)
        if not path.is_file():
            raise RoomError(f"No session has the code {normal} (looked in {directory}).")
        return cls.open_file(path, allow_changed=allow_changed)

    @classmethod
    def open_file(cls, path: Path, *, allow_changed: bool = False) -> Room:
        """The session in the file ``path`` (see :meth:`open`)."""
        store = RoomStore.open(path)
        try:
            row = store.room()
            scenario = RoomScenario.of_room(row, allow_changed=allow_changed)
        except sqlite3.DatabaseError:
            store.close()
            raise RoomError(f"{path} is not a Going Dark session file: it is damaged.") from None
        except RoomError:
            store.close()
            raise
        return cls(store, scenario)

    @staticmethod
    def list(folder: Path | None = None) -> list[RoomInfo]:
        """The sessions in the folder that can be read, newest first."""
        return scan_rooms(folder)[0]

    def close(self) -> None:
        """Close the connection to the file (the session goes on)."""
        self._store.close()

    # --- reading ---------------------------------------------------------------------------
    def info(self) -> RoomInfo:
        """The session's settings and where its round stands."""
        return info_of(self._store.room(), self.path)

    def scenario(self) -> Scenario:
        """The scenario the session plays."""
        return self._scenario.load()

    def teams(self) -> list[TeamInfo]:
        """The roster, in the order teams joined."""
        store, moment = self._store, now()
        with store.read():
            room = store.room()
            kinds = store.kinds_for_quarter(room["quarter"])
            last = store.final_sources(room["quarter"] - 1)
            played: dict[int, int] = {}
            for row in store.finals():
                played[row["team_id"]] = played.get(row["team_id"], 0) + 1
            return [
                TeamInfo(
                    name=team["name"],
                    status=rounds.team_status(
                        team, room, kinds.get(team["id"], set()), last.get(team["id"]), moment
                    ),
                    joined_at=team["joined_at"],
                    last_seen=team["last_seen"],
                    played=played.get(team["id"], 0),
                    connected=team["client"] is not None and rounds.is_live(team, moment),
                )
                for team in store.teams()
            ]

    def events(self, after: int = 0) -> list[RoomEvent]:
        """The session's log after event id ``after``, oldest first."""
        return [
            RoomEvent(row["id"], row["at"], row["kind"], row["team"], row["text"], row["old_team"])
            for row in self._store.events(after)
        ]

    def decisions(self, team: str | None = None) -> list[Decision]:
        """The final decisions of closed rounds (of one team, or all by team and quarter)."""
        team_id = self._team_row(team)["id"] if team is not None else None
        return [_decision(row, row["team"], row["source"]) for row in self._store.finals(team_id)]

    def draft(self, team: str, quarter: int) -> Decision | None:
        """The team's latest draft for ``quarter``, if any."""
        return self._latest(team, quarter, "draft")

    def submission(self, team: str, quarter: int) -> Decision | None:
        """The team's latest final submission for ``quarter``, if any (it may still be
        replaced while the round is open)."""
        return self._latest(team, quarter, "submission")

    def _latest(self, team: str, quarter: int, kind: str) -> Decision | None:
        row = self._team_row(team)
        found = self._store.latest_decision(row["id"], quarter, kind)
        return None if found is None else _decision(found, row["name"], found["source"])

    # --- teams -----------------------------------------------------------------------------
    def join(self, team: str, pin: str, *, client: str) -> TeamInfo:
        """Register a new team with this PIN, or rejoin a known one (the PIN must match,
        and no other client may be playing it unless the facilitator allowed a takeover)."""
        name = check_team_name(team)
        check_pin_format(pin)
        store, moment = self._store, now()
        # A late team's defaults are played before taking the write lock; if the name
        # turns out to be taken meanwhile, the team is simply rejoined.
        finals = self._late_team()[0] if store.team(name) is None else None
        with store.write():
            row = store.team(name)
            if row is None and finals is not None:
                self._register(name, pin, finals, client)
            elif row is None:
                raise RoomError(f"Team {name} was removed a moment ago: try again.")
            else:
                row = self._checked_team(name, pin)
                refuse_second_client(row, client, moment)
                store.update_team(row["id"], client=client, last_seen=moment, takeover_allowed=0)
                store.add_event("rejoined", row["name"], f"Team {row['name']} rejoined.", moment)
        return next(info for info in self.teams() if info.name.casefold() == name.casefold())

    def heartbeat(self, team: str, client: str) -> None:
        """A connected client is still there; RoomError when another client took over."""
        with self._store.write():
            row = self._team_row(team)
            if row["client"] not in (None, client):
                raise RoomError(f"Team {row['name']} is now playing on another screen.")
            self._store.update_team(row["id"], client=client, last_seen=now())

    def disconnect(self, team: str, client: str) -> None:
        """A client left on purpose: the team may rejoin from anywhere at once."""
        with self._store.write():
            row = self._team_row(team)
            if row["client"] == client:
                self._store.update_team(row["id"], client=None)

    def submit(
        self,
        team: str,
        pin: str,
        quarter: int,
        interventions: Sequence[str],
        answers: Mapping[str, str],
        *,
        draft: bool = False,
        register: bool = False,
    ) -> Decision:
        """Store a team's plan for the open quarter (or, with ``draft``, its latest draft).
        The plan is checked against the team's own game; ``register`` registers an
        unknown team with this PIN first (``goingdark session submit``). Nothing is
        written when anything is refused."""
        name = check_team_name(team)
        check_pin_format(pin)
        store = self._store
        rounds.refuse_unless_open(store.room(), quarter)
        row = store.team(name)
        if row is None and not register:
            raise RoomError(f"There is no team '{name}' in session {self.code}.")
        if row is None:
            finals, game = self._late_team()
        else:
            self._checked_team(name, pin)
            game = self.game(name)
        plan = checked_plan(game, interventions, answers)
        moment = now()
        with store.write():
            rounds.refuse_unless_open(store.room(), quarter)
            if row is None:
                team_id = self._register(name, pin, finals, None)
                shown = name
            else:
                checked = self._checked_team(name, pin)
                team_id, shown = checked["id"], checked["name"]
            notes = self._pending_notes({team_id: game})
            store.note_pending(notes)  # what the close needs if this is the last word
            kind = "draft" if draft else "submission"
            again = store.latest_decision(team_id, quarter, "submission") is not None
            store.add_decision(
                team_id, quarter, kind, plan.interventions, dict(plan.choices), moment, "team"
            )
            store.update_team(team_id, last_seen=moment)
            if not draft:
                verb = "changed its plan" if again else "submitted its plan"
                store.add_event(
                    "submitted", shown, f"Team {shown} {verb} for quarter {quarter}.", moment
                )
        self._noted.update((team_id, noted) for team_id, noted, _ in notes)
        return Decision(shown, quarter, plan.interventions, dict(plan.choices), moment, "team")

    # --- games -----------------------------------------------------------------------------
    def game(self, team: str) -> GameSession:
        """The team's game with every closed round played (kept in memory; only quarters
        closed since the last call are played). Read it; never play on it."""
        row = self._team_row(team)
        finals = [Decisions(*decoded(final)) for final in self._store.finals(row["id"])]
        return self._cache().game(row["id"], row["name"], finals)

    def standings(self) -> list[Standing]:
        """The leaderboard, best first; true figures only once the facilitator revealed
        them. Each team's row is worked out once per quarter."""
        store = self._store
        with store.read():
            reveal = bool(store.room()["reveal"])
            teams = {row["name"]: row["id"] for row in store.teams()}
            finals: dict[int, list[Decisions]] = {team_id: [] for team_id in teams.values()}
            for final in store.finals():
                finals[final["team_id"]].append(Decisions(*decoded(final)))
            roster = self.teams()
        cache = self._cache()
        entries, games = [], {}
        for team in roster:
            team_id = teams[team.name]
            games[team_id] = game = cache.game(team_id, team.name, finals[team_id])
            entries.append((team.name, team.status, self._results.result(team_id, game)))
        self._note_pending(games)
        return leaderboard(entries, reveal=reveal)

    def _note_pending(self, games: Mapping[int, GameSession]) -> None:
        """Note in the file the dilemmas pending in each team's next quarter (team id ->
        its game), once per team and quarter, so whoever closes the round can default
        a team that never submitted without replaying its game."""
        notes = self._pending_notes(games)
        if not notes:
            return
        try:
            with self._store.write():
                self._store.note_pending(notes)
        except (RoomError, sqlite3.OperationalError):
            # Only a shortcut for the close, which replays without it: a busy or
            # read-only file must not keep a game from being read.
            return
        self._noted.update((team_id, quarter) for team_id, quarter, _ in notes)

    def _pending_notes(self, games: Mapping[int, GameSession]) -> list[PendingNote]:
        """(team id, next quarter, its pending dilemmas' defaults) not yet noted."""
        return [
            (team_id, game.quarter + 1, dilemma_defaults(game))
            for team_id, game in games.items()
            if not game.is_over and (team_id, game.quarter + 1) not in self._noted
        ]

    def _cache(self) -> GameCache:
        if self._games is None:
            self._games = GameCache(self.scenario(), int(self._store.room()["seed"]))
        return self._games

    def _late_team(self) -> tuple[list[Decisions], GameSession]:
        """The defaults a team joining after round 1 gets for the rounds already closed
        (no interventions, each dilemma's default answer), so every team has played as
        many quarters as the session; and the game they make."""
        closed = self._store.room()["quarter"] - 1
        game = GameSession(self.scenario(), seed=int(self._store.room()["seed"]))
        finals = []
        for _ in range(min(closed, game.quarters)):
            decisions = Decisions((), default_answers(game))
            game.play(decisions.interventions, decisions.choices)
            finals.append(decisions)
        return finals, game

    def _register(
        self, name: str, pin: str, finals: Sequence[Decisions], client: str | None
    ) -> int:
        """Add a team (inside a write) with the default finals of rounds already closed."""
        store, moment = self._store, now()
        if store.team(name) is not None:
            raise RoomError(f"There is already a team called '{name}' in session {self.code}.")
        if store.room()["state"] == "finished":
            raise RoomError(f"Session {self.code} is finished: it takes no new teams.")
        if len(finals) != store.room()["quarter"] - 1:
            raise RoomError("A round closed while the team was joining: try again.")
        team_id = store.add_team(name, *hash_pin(pin), moment)
        store.update_team(team_id, client=client, last_seen=moment)
        for quarter, decisions in enumerate(finals, start=1):
            store.add_decision(
                team_id, quarter, "final", (), dict(decisions.choices), moment, "default"
            )
        late = f", defaulted for {rounds.plural(len(finals), 'closed round')}" if finals else ""
        store.add_event("joined", name, f"Team {name} joined{late}.", moment)
        return team_id

    def _team_row(self, team: str) -> sqlite3.Row:
        row = self._store.team(team)
        if row is None:
            raise RoomError(f"There is no team '{team.strip()}' in session {self.code}.")
        return row

    def check_pin(self, team: str, pin: str) -> None:
        """PinRefused unless ``pin`` is the team's PIN now (a client asking for the PIN
        the facilitator reset checks it here before going on)."""
        check_pin_format(pin)
        self._checked_team(team, pin)

    def _checked_team(self, team: str, pin: str) -> sqlite3.Row:
        row = self._team_row(team)
        if not pin_matches(pin, row["pin_salt"], row["pin_hash"]):
            raise PinRefused(
                f"Team {row['name']} already exists and that is not its PIN: choose another "
                "name, or ask the facilitator to reset the team's PIN."
            )
        return row


def now() -> float:
    """The time as the session records it (seconds since the epoch)."""
    return time.time()


def info_of(room: sqlite3.Row, path: Path) -> RoomInfo:
    """The RoomInfo of a session's row."""
    moment = now()
    return RoomInfo(
        code=room["code"],
        name=room["name"],
        scenario_id=room["scenario_id"],
        scenario_title=room["scenario_title"],
        scenario_sha256=room["scenario_sha256"],
        seed=int(room["seed"]),
        quarters=room["quarters"],
        quarter=room["quarter"],
        state=room["state"],
        deadline=room["deadline"],
        deadline_minutes=room["deadline_minutes"],
        remaining=rounds.remaining(room, moment),
        forecasts=bool(room["forecasts"]),
        reveal=bool(room["reveal"]),
        created_at=room["created_at"],
        path=path,
    )


def scan_rooms(folder: Path | None = None) -> tuple[list[RoomInfo], list[str]]:
    """The readable sessions in the folder, newest first, and a sentence for each file
    that could not be read."""
    directory = rooms_folder(folder)
    infos, problems = [], []
    for path in sorted(directory.glob("*.sqlite")) if directory.is_dir() else []:
        try:
            store = RoomStore.open(path)
        except RoomError as exc:
            problems.append(str(exc))
            continue
        try:
            infos.append(info_of(store.room(), path))
        except sqlite3.DatabaseError:
            problems.append(f"{path} is not a Going Dark session file: it is damaged.")
        finally:
            store.close()
    infos.sort(key=lambda info: -info.created_at)
    return infos, problems


def _decision(row: sqlite3.Row, team: str, source: str) -> Decision:
    interventions, answers = decoded(row)
    return Decision(team, row["quarter"], interventions, answers, row["submitted_at"], source)
