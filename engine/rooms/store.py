"""The session file: the only module that speaks SQL.

One SQLite file per session in WAL mode, so readers never wait for the writer. Every
write is one short ``BEGIN IMMEDIATE`` transaction (the write lock is taken up front,
so two processes never both read, decide and then fail to upgrade their lock), and
every wait for the lock is bounded by a 5 second busy timeout.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from engine.rooms.errors import RoomError
from engine.rooms.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 5000

# (team id, quarter, {dilemma id: default choice id}): the dilemmas pending in a team's
# game that quarter.
PendingNote = tuple[int, int, dict[str, str]]

ROOM_FIELDS = frozenset(
    {"quarter", "state", "deadline", "paused_remaining", "reveal", "name", "deadline_minutes"}
)
TEAM_FIELDS = frozenset(
    {"name", "name_key", "pin_salt", "pin_hash", "last_seen", "client", "removed_at",
     "takeover_allowed"}
)  # fmt: skip


def name_key(name: str) -> str:
    """What makes two team names the same name: case and outer spaces do not count."""
    return name.strip().casefold()


class RoomStore:
    """A connection to one session file, safe to share between the threads of one
    process (a lock serialises them; SQLite serialises processes)."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.path = path
        self._connection = connection
        self._lock = threading.RLock()
        self._depth = 0
        self._mode: str | None = None  # "read" or "write" while a transaction is open

    # --- opening ---------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, room: dict[str, Any]) -> RoomStore:
        """A new session file at ``path`` holding ``room``'s row; FileExistsError when a
        file is already there (the caller draws another code)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.open("xb").close()  # claims the name atomically, even against other processes
        try:
            store = cls(_connect(path), path)
            store._configure()
            # The schema and the session's row in one transaction: a crash leaves either
            # a whole session or none.
            with store.write():
                store.migrate()
                store._insert("room", room)
            store._connection.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def open(cls, path: Path) -> RoomStore:
        """The session file at ``path``, migrated to the current schema; RoomError when
        it is not a Going Dark session or was made by a newer version."""
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise RoomError(f"{path} cannot be opened: {exc}.") from None
        store = cls(connection, path)
        try:
            store._configure()
            store._check_and_migrate()
        except sqlite3.DatabaseError:
            connection.close()
            raise RoomError(
                f"{path} is not a Going Dark session file: it is damaged or not a database."
            ) from None
        except RoomError:
            connection.close()
            raise
        return store

    def _configure(self) -> None:
        connection = self._connection
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a crashed or killed
        # process still loses nothing committed (only a power cut may lose the last
        # moments), and the write lock is held for microseconds instead of a disk flush,
        # which is what keeps 30 teams submitting at once within the busy timeout.
        connection.execute("PRAGMA synchronous = NORMAL")

    def _check_and_migrate(self) -> None:
        connection = self._connection
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        if application != APPLICATION_ID:
            raise RoomError(
                f"{self.path} is not a Going Dark session file: it belongs to another program."
            )
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RoomError(
                f"{self.path} was made by a newer version of Going Dark (session format "
                f"{version}; this version reads formats up to {SCHEMA_VERSION}): update "
                "Going Dark to open it."
            )
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        if version < SCHEMA_VERSION:
            self.migrate()

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Run the migrations from the file's version up to ``target``, in one transaction
        (another process may have migrated meanwhile: the version is read inside it)."""
        with self.write():
            version = self._connection.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version + 1, target + 1):
                for statement in MIGRATIONS[number - 1]:
                    self._connection.execute(statement)
            if version == 0:
                self._connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._connection.execute(f"PRAGMA user_version = {max(version, target)}")

    def setting(self, pragma: str) -> object:
        """A PRAGMA's value on this connection (journal_mode, busy_timeout, ...)."""
        if not pragma.replace("_", "").isalpha():
            raise ValueError(f"not a pragma name: {pragma!r}")
        with self._lock:
            return self._connection.execute(f"PRAGMA {pragma}").fetchone()[0]

    def version(self) -> int:
        """The schema version of the file."""
        return self._connection.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection (the file stays)."""
        with self._lock:
            self._connection.close()

    # --- transactions ----------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction, the write lock taken at once; nested uses join it."""
        with self._lock:
            if self._mode == "read":
                # A deferred transaction cannot always be upgraded without a deadlock.
                raise RuntimeError("a write cannot start inside a read transaction")
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            try:
                self._connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise self._busy(exc) from None
            self._depth, self._mode = 1, "write"
            try:
                yield
                self._connection.execute("COMMIT")
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            finally:
                self._depth, self._mode = 0, None

    @contextmanager
    def read(self) -> Iterator[None]:
        """A consistent view for several reads (nested uses join the outer transaction)."""
        with self._lock:
            if self._depth:
                yield
                return
            self._connection.execute("BEGIN")
            self._depth, self._mode = 1, "read"
            try:
                yield
            finally:
                self._depth, self._mode = 0, None
                self._connection.execute("COMMIT")

    def _busy(self, exc: sqlite3.OperationalError) -> RoomError:
        if "locked" in str(exc) or "busy" in str(exc):
            return RoomError(
                f"The session file {self.path} stayed busy for {BUSY_TIMEOUT_MS // 1000} "
                "seconds: try again."
            )
        return RoomError(f"The session file {self.path} cannot be written: {exc}.")

    def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def _insert(self, table: str, values: dict[str, Any]) -> None:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self._connection.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values())
        )

    def _next_id(self, table: str) -> int:
        # Ids are given explicitly (inside the write transaction, so they cannot clash)
        # instead of relying on either database's own auto-numbering.
        return self._rows(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")[0][0]

    # --- the room --------------------------------------------------------------------------
    def room(self) -> sqlite3.Row:
        """The session's one row."""
        rows = self._rows("SELECT * FROM room")
        if len(rows) != 1:
            raise RoomError(f"{self.path} is not a Going Dark session file: it is damaged.")
        return rows[0]

    def update_room(self, **fields: Any) -> None:
        """Change the session's settings or round (inside :meth:`write`)."""
        unknown = set(fields) - ROOM_FIELDS
        if unknown:
            raise ValueError(f"not a room field: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self._connection.execute(f"UPDATE room SET {assignments}", tuple(fields.values()))

    # --- teams -----------------------------------------------------------------------------
    def teams(self) -> list[sqlite3.Row]:
        """The teams still in the session, in the order they joined."""
        return self._rows("SELECT * FROM teams WHERE removed_at IS NULL ORDER BY id")

    def team(self, name: str) -> sqlite3.Row | None:
        """The team still in the session called ``name`` (any case), if any."""
        rows = self._rows(
            "SELECT * FROM teams WHERE name_key = ? AND removed_at IS NULL", (name_key(name),)
        )
        return rows[0] if rows else None

    def add_team(self, name: str, salt: str, pin_hash: str, now: float) -> int:
        """Register a team (inside :meth:`write`); returns its id."""
        team_id = self._next_id("teams")
        self._insert(
            "teams",
            {
                "id": team_id,
                "name": name,
                "name_key": name_key(name),
                "pin_salt": salt,
                "pin_hash": pin_hash,
                "joined_at": now,
                "last_seen": None,
                "client": None,
                "removed_at": None,
            },
        )
        return team_id

    def update_team(self, team_id: int, **fields: Any) -> None:
        """Change a team's row (inside :meth:`write`)."""
        unknown = set(fields) - TEAM_FIELDS
        if unknown:
            raise ValueError(f"not a team field: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self._connection.execute(
            f"UPDATE teams SET {assignments} WHERE id = ?", (*fields.values(), team_id)
        )

    # --- decisions -------------------------------------------------------------------------
    def add_decision(
        self,
        team_id: int,
        quarter: int,
        kind: str,
        interventions: Sequence[str],
        answers: dict[str, str],
        at: float,
        source: str,
    ) -> None:
        """Append a decision row (inside :meth:`write`): kind ``submission`` or ``draft``
        while a round is open, ``final`` when it closes."""
        self._insert(
            "decisions",
            {
                "id": self._next_id("decisions"),
                "team_id": team_id,
                "quarter": quarter,
                "kind": kind,
                "interventions": json.dumps(list(interventions)),
                "answers": json.dumps(answers, sort_keys=True),
                "submitted_at": at,
                "source": source,
            },
        )

    def latest_decision(self, team_id: int, quarter: int, kind: str) -> sqlite3.Row | None:
        """The newest decision row of a kind for one team and quarter."""
        rows = self._rows(
            "SELECT * FROM decisions WHERE team_id = ? AND quarter = ? AND kind = ? "
            "ORDER BY id DESC LIMIT 1",
            (team_id, quarter, kind),
        )
        return rows[0] if rows else None

    def finals(self, team_id: int | None = None) -> list[sqlite3.Row]:
        """The final decisions of the teams still in the session (or one team), by team
        and quarter, each with the team's current name as ``team``."""
        sql = (
            "SELECT decisions.*, teams.name AS team FROM decisions JOIN teams "
            "ON teams.id = decisions.team_id WHERE kind = 'final' AND removed_at IS NULL"
        )
        if team_id is None:
            return self._rows(f"{sql} ORDER BY team_id, quarter")
        return self._rows(f"{sql} AND team_id = ? ORDER BY quarter", (team_id,))

    def kinds_for_quarter(self, quarter: int) -> dict[int, set[str]]:
        """Team id -> the kinds of decision rows it has for ``quarter``."""
        kinds: dict[int, set[str]] = {}
        for row in self._rows(
            "SELECT DISTINCT team_id, kind FROM decisions WHERE quarter = ?", (quarter,)
        ):
            kinds.setdefault(row["team_id"], set()).add(row["kind"])
        return kinds

    def final_sources(self, quarter: int) -> dict[int, str]:
        """Team id -> how its final decision of ``quarter`` came about."""
        rows = self._rows(
            "SELECT team_id, source FROM decisions WHERE quarter = ? AND kind = 'final'",
            (quarter,),
        )
        return {row["team_id"]: row["source"] for row in rows}

    # --- dilemmas pending ---------------------------------------------------------------------
    def note_pending(self, notes: Sequence[PendingNote]) -> None:
        """Keep the dilemmas pending in each team's game in a quarter (inside
        :meth:`write`). They follow from the closed quarters before it, which never
        change, so a note already there is left as it is."""
        for team_id, quarter, defaults in notes:
            self._connection.execute(
                "INSERT INTO pending_dilemmas (team_id, quarter, defaults) VALUES (?, ?, ?) "
                "ON CONFLICT (team_id, quarter) DO NOTHING",
                (team_id, quarter, json.dumps(defaults, sort_keys=True)),
            )

    def pending_defaults(self, quarter: int) -> dict[int, dict[str, str]]:
        """Team id -> {dilemma id: default choice id} noted for ``quarter``."""
        rows = self._rows(
            "SELECT team_id, defaults FROM pending_dilemmas WHERE quarter = ?", (quarter,)
        )
        return {row["team_id"]: dict(json.loads(row["defaults"])) for row in rows}

    # --- the log ---------------------------------------------------------------------------
    def add_event(
        self, kind: str, team: str | None, text: str, at: float, old_team: str | None = None
    ) -> None:
        """Append a line to the session's log (inside :meth:`write`); ``old_team`` is the
        team's name before a rename."""
        self._insert(
            "events",
            {
                "id": self._next_id("events"),
                "at": at,
                "kind": kind,
                "team": team,
                "text": text,
                "old_team": old_team,
            },
        )

    def events(self, after: int = 0) -> list[sqlite3.Row]:
        """The log's lines with ids above ``after``, oldest first."""
        return self._rows("SELECT * FROM events WHERE id > ? ORDER BY id", (after,))


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )


def decoded(row: sqlite3.Row) -> tuple[tuple[str, ...], dict[str, str]]:
    """A decision row's interventions and answers as Python values."""
    return tuple(json.loads(row["interventions"])), dict(json.loads(row["answers"]))
