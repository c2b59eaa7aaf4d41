"""What the facilitator does to a session: run its rounds and look after its teams.

A mixin of :class:`engine.rooms.room.Room` (it uses the room's store and games), kept
apart so each module stays small.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from engine.decisions import Decisions
from engine.rooms import rounds
from engine.rooms.codes import check_pin_format, hash_pin
from engine.rooms.errors import RoomError
from engine.rooms.plans import completed_answers, dilemma_defaults
from engine.rooms.store import RoomStore, decoded, name_key
from engine.rooms.teams import check_team_name

if TYPE_CHECKING:
    from engine.rooms.games import GameCache
    from engine.session import GameSession

MESSAGE_MAX = 280


class RoomFacilitation:
    """The facilitator's actions on a session."""

    _store: RoomStore
    code: str

    def game(self, team: str) -> GameSession:  # provided by Room
        raise NotImplementedError

    def _cache(self) -> GameCache:  # provided by Room
        raise NotImplementedError

    def _team_row(self, team: str) -> sqlite3.Row:  # provided by Room
        raise NotImplementedError

    def _note_pending(self, games: Mapping[int, GameSession]) -> None:  # provided by Room
        raise NotImplementedError

    # --- rounds ----------------------------------------------------------------------------
    def open_round(self) -> None:
        """Open the waiting quarter for decisions; starts the countdown if there is one."""
        rounds.open_round(self._store, time.time())

    def pause(self) -> None:
        """Stop the countdown and refuse submissions until :meth:`resume`."""
        rounds.pause_round(self._store, time.time())

    def resume(self) -> None:
        """Go on with a paused round, the countdown from where it stopped."""
        rounds.resume_round(self._store, time.time())

    def close_round(self) -> list[str]:
        """Close the open (or paused) round: each team's latest submission becomes its
        decision; a team without one gets its last draft, or no interventions and each
        pending dilemma's default answer. Returns the defaulted teams' names. When
        another process closed the same round meanwhile, nothing more happens and the
        list is empty."""
        room = self._store.room()
        if room["state"] not in ("open", "paused"):
            raise RoomError(_no_round(room))
        return self._close(room["quarter"])

    def _close(self, quarter: int) -> list[str]:
        """Close round ``quarter`` unless it is closed already (by another process)."""
        store = self._store
        # A team that did not submit gets each pending dilemma's default answer. Which
        # dilemmas are pending is noted in the file by whoever rebuilt the team's game
        # (its own submissions and drafts, the console's leaderboard), so a console
        # restarted a moment ago defaults many teams without replaying their games.
        # Games not noted are rebuilt first, outside the write lock, so the lock is
        # held briefly.
        kinds = store.kinds_for_quarter(quarter)
        noted = store.pending_defaults(quarter)
        self._note_pending(
            {
                team["id"]: self.game(team["name"])
                for team in store.teams()
                if "submission" not in kinds.get(team["id"], set()) and team["id"] not in noted
            }
        )
        with store.write():
            room = store.room()
            if room["state"] not in ("open", "paused") or room["quarter"] != quarter:
                return []  # closed by someone else a moment ago
            defaulted = self._write_finals(quarter)
            finished = quarter >= room["quarters"]
            store.update_room(
                quarter=quarter + 1,
                state="finished" if finished else "waiting",
                deadline=None,
                paused_remaining=None,
            )
            if defaulted:
                how = f"{rounds.plural(len(defaulted), 'team')} defaulted"
            else:
                how = "every team submitted"
            end = " The session is finished." if finished else ""
            store.add_event("closed", None, f"Round {quarter} closed: {how}.{end}", time.time())
        return defaulted

    def _write_finals(self, quarter: int) -> list[str]:
        store, moment, defaulted = self._store, time.time(), []
        noted = store.pending_defaults(quarter)
        for team in store.teams():
            submission = store.latest_decision(team["id"], quarter, "submission")
            if submission is not None:
                interventions, answers = decoded(submission)
                store.add_decision(
                    team["id"], quarter, "final", interventions, answers,
                    submission["submitted_at"], "team",
                )  # fmt: skip
                continue
            defaults = noted.get(team["id"])
            if defaults is None:  # joined during the close: its game is rebuilt here
                defaults = dilemma_defaults(self.game(team["name"]))
            draft = store.latest_decision(team["id"], quarter, "draft")
            if draft is not None:
                interventions, answers = decoded(draft)
                source, what = "draft", "its last draft was played"
            else:
                interventions, answers = (), {}
                source, what = "default", "no interventions and the default answers were played"
            plan = Decisions(interventions, completed_answers(answers, defaults))
            store.add_decision(
                team["id"], quarter, "final", plan.interventions, dict(plan.choices), moment,
                source,
            )  # fmt: skip
            store.add_event(
                "defaulted", team["name"],
                f"Team {team['name']} did not submit quarter {quarter}: {what}.", moment,
            )  # fmt: skip
            defaulted.append(team["name"])
        return defaulted

    def close_if_due(self, now: float | None = None) -> bool:
        """Close the round if its deadline has passed; whether this call closed it. Any
        process may call it (consoles, team clients, commands): one of them closes."""
        moment = time.time() if now is None else now
        room = self._store.room()
        if not rounds.is_due(room, moment):
            return False
        quarter = room["quarter"]
        self._close(quarter)
        return self._store.room()["quarter"] == quarter + 1

    def advance(self) -> None:
        """One step of the session: open a waiting round; close an open or paused one and
        open the next unless that was the last."""
        room = self._store.room()
        if room["state"] == "finished":
            raise RoomError(_no_round(room))
        if room["state"] == "waiting":
            self.open_round()
            return
        self.close_round()
        if self._store.room()["state"] == "waiting":
            self.open_round()

    def end(self) -> None:
        """End the session early: an open round is closed first (as by hand), then no
        more rounds open and no decisions are taken."""
        room = self._store.room()
        if room["state"] == "finished":
            raise RoomError(f"Session {self.code} is already finished.")
        if room["state"] in ("open", "paused"):
            self.close_round()
        with self._store.write():
            room = self._store.room()
            if room["state"] != "finished":
                self._store.update_room(state="finished", deadline=None, paused_remaining=None)
                played = rounds.plural(room["quarter"] - 1, "quarter")
                self._store.add_event(
                    "closed", None, f"Session ended by the facilitator after {played}.",
                    time.time(),
                )  # fmt: skip

    # --- teams and messages ----------------------------------------------------------------
    def broadcast(self, text: str) -> None:
        """A message to every team (shown on their screens from the log)."""
        message = " ".join(text.split())
        if not message:
            raise RoomError("A message to the teams cannot be empty.")
        if len(message) > MESSAGE_MAX:
            raise RoomError(f"A message to the teams is at most {MESSAGE_MAX} characters.")
        with self._store.write():
            self._store.add_event("broadcast", None, message, time.time())

    def rename_team(self, old: str, new: str) -> None:
        """Give a team another name (its game and decisions stay)."""
        name = check_team_name(new)
        with self._store.write():
            row = self._team_row(old)
            other = self._store.team(name)
            if other is not None and other["id"] != row["id"]:
                raise RoomError(f"There is already a team called '{other['name']}'.")
            self._store.update_team(row["id"], name=name, name_key=name_key(name))
            text = f"Team {row['name']} is now called {name}."
            self._store.add_event("renamed", name, text, time.time(), old_team=row["name"])

    def remove_team(self, name: str) -> None:
        """Take a team out of the session (its rows stay in the file, out of every list)."""
        with self._store.write():
            row = self._team_row(name)
            self._store.update_team(row["id"], removed_at=time.time(), client=None)
            text = f"Team {row['name']} was removed from the session."
            self._store.add_event("removed", row["name"], text, time.time())
        self._cache().forget(row["id"])

    def reset_pin(self, name: str, pin: str) -> None:
        """Give a team a new PIN (a team that forgot its own)."""
        check_pin_format(pin)
        salt, pin_hash = hash_pin(pin)
        with self._store.write():
            row = self._team_row(name)
            self._store.update_team(row["id"], pin_salt=salt, pin_hash=pin_hash)
            text = f"Team {row['name']}'s PIN was reset."
            self._store.add_event("pin-reset", row["name"], text, time.time())

    def allow_takeover(self, name: str) -> None:
        """Let another client take the team's seat once (a laptop that died)."""
        with self._store.write():
            row = self._team_row(name)
            self._store.update_team(row["id"], takeover_allowed=1)
            text = f"Team {row['name']} may continue on another screen."
            self._store.add_event("takeover-allowed", row["name"], text, time.time())

    def set_reveal(self, reveal: bool) -> None:
        """Show (or hide again) the true figures on the leaderboard."""
        with self._store.write():
            if bool(self._store.room()["reveal"]) == reveal:
                return
            self._store.update_room(reveal=int(reveal))
            kind, text = (
                ("revealed", "The true figures are revealed.")
                if reveal
                else ("hidden", "The true figures are hidden again.")
            )
            self._store.add_event(kind, None, text, time.time())


def _no_round(room: sqlite3.Row) -> str:
    if room["state"] == "finished":
        return f"Session {room['code']} is finished: there is no round to close or open."
    return f"No round is open: round {room['quarter']} is waiting to be opened."
