"""The session file's schema: ordered migrations, the version in ``PRAGMA user_version``.

Migration N (1-based) takes a file from version N - 1 to N; a new file runs them all.
The SQL is kept to what PostgreSQL also accepts (no INSERT OR REPLACE, no
AUTOINCREMENT: ids are given explicitly), so a server database can take over later.
"""

from __future__ import annotations

# "GDRm" as a 32-bit number: marks a SQLite file as a Going Dark session.
APPLICATION_ID = 0x4744526D

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the session, its teams, their decisions (append-only) and the round log.
    (
        """CREATE TABLE room (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            scenario_id TEXT NOT NULL,
            scenario_title TEXT NOT NULL,
            scenario_path TEXT NOT NULL,
            scenario_sha256 TEXT NOT NULL,
            scenario_text TEXT,
            seed BIGINT NOT NULL,
            quarters INTEGER NOT NULL,
            quarter INTEGER NOT NULL,
            state TEXT NOT NULL,
            deadline DOUBLE PRECISION,
            deadline_minutes INTEGER,
            paused_remaining DOUBLE PRECISION,
            forecasts INTEGER NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        )""",
        """CREATE TABLE teams (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            pin_salt TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            joined_at DOUBLE PRECISION NOT NULL,
            last_seen DOUBLE PRECISION,
            client TEXT,
            removed_at DOUBLE PRECISION
        )""",
        # Names are unique among the teams still in the session, whatever their case.
        "CREATE UNIQUE INDEX teams_live_name ON teams (name_key) WHERE removed_at IS NULL",
        """CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams (id),
            quarter INTEGER NOT NULL,
            kind TEXT NOT NULL,
            interventions TEXT NOT NULL,
            answers TEXT NOT NULL,
            submitted_at DOUBLE PRECISION NOT NULL,
            source TEXT NOT NULL
        )""",
        # One final decision per team and quarter, whoever closes the round and however
        # many processes try at once.
        "CREATE UNIQUE INDEX decisions_one_final ON decisions (team_id, quarter) "
        "WHERE kind = 'final'",
        "CREATE INDEX decisions_by_team ON decisions (team_id, quarter, kind)",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at DOUBLE PRECISION NOT NULL,
            kind TEXT NOT NULL,
            team TEXT,
            text TEXT NOT NULL
        )""",
    ),
    # 2: the facilitator's reveal of the true figures, and takeovers of a team's seat.
    (
        "ALTER TABLE room ADD COLUMN reveal INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE teams ADD COLUMN takeover_allowed INTEGER NOT NULL DEFAULT 0",
    ),
    # 3: the team's name before a rename, so a client follows its own rename by name
    # rather than by reading the event's sentence; and each team's dilemmas pending in a
    # quarter with their default choices, noted by whoever rebuilt its game, so closing
    # a round can default a team without replaying its game.
    (
        "ALTER TABLE events ADD COLUMN old_team TEXT",
        """CREATE TABLE pending_dilemmas (
            team_id INTEGER NOT NULL REFERENCES teams (id),
            quarter INTEGER NOT NULL,
            defaults TEXT NOT NULL,
            PRIMARY KEY (team_id, quarter)
        )""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)
