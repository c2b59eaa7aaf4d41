"""The player's progress between runs: settings, finished scenarios, stars, high scores
and achievements, in one small TOML file written atomically.

A damaged progress file never stops the game: it is set aside (renamed, not
deleted) and the player starts afresh with a warning that names the backup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from engine.files import write_atomic
from engine.folders import data_dir
from engine.textfile import MIB, TomlSyntaxError, UnreadableFile, parse_toml, read_text

if TYPE_CHECKING:  # the catalog loads pydantic; the game reads progress before its first frame
    from engine.catalog import ScenarioEntry

FORMAT = 1
HIGH_SCORES = 10
# A place in the table is news only among this many games of the scenario (with one or
# two games recorded, "2nd place" says nothing), and only this near the top.
NEWS_AFTER_GAMES = 3
NEWS_PLACES = 3
DEFAULT_THEME = "going-dark"
# Far beyond any real progress file; a larger one is damaged and set aside.
MAX_PROGRESS_BYTES = 16 * MIB


@dataclass(frozen=True)
class HighScore:
    score: float
    stars: int
    seed: int
    player: str
    date: str


@dataclass
class Progress:
    path: Path
    theme: str = DEFAULT_THEME
    unlock_all: bool = False
    scenarios: dict[str, dict] = field(default_factory=dict)
    warning: str | None = None  # set when a damaged file was set aside

    # --- reading and writing --------------------------------------------------------------
    @classmethod
    def load(cls, folder: Path | None = None) -> Progress:
        path = (folder or data_dir()) / "progress.toml"
        progress = cls(path)
        if not path.exists():
            return progress
        try:
            data = parse_toml(read_text(path, max_bytes=MAX_PROGRESS_BYTES))
            progress._read(data)
        except (UnreadableFile, TomlSyntaxError, TypeError, ValueError, KeyError) as exc:
            backup = _free_backup_name(path)
            try:
                path.replace(backup)
                where = f"it was moved to {backup}"
            except OSError:
                where = "it was left in place"
            fresh = cls(path)
            # Name the error underneath (UnicodeDecodeError, TOMLDecodeError, ...).
            cause = exc.cause_name if isinstance(exc, UnreadableFile) else None
            cause = cause or type(exc.__cause__ or exc).__name__
            fresh.warning = (
                f"Your progress file could not be read ({cause}); {where} and you start afresh."
            )
            return fresh
        return progress

    def _read(self, data: dict) -> None:
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown progress format {data.get('format')!r}")
        settings = data.get("settings", {})
        if not isinstance(settings, dict):
            raise TypeError("settings must be a table")
        theme = settings.get("theme", DEFAULT_THEME)
        unlock_all = settings.get("unlock_all", False)
        if not isinstance(theme, str) or not isinstance(unlock_all, bool):
            raise TypeError("settings.theme must be a string and settings.unlock_all a boolean")
        self.theme, self.unlock_all = theme, unlock_all
        scenarios = data.get("scenarios", {})
        if not isinstance(scenarios, dict) or not all(
            isinstance(record, dict) for record in scenarios.values()
        ):
            raise TypeError("scenarios must be a table of tables")
        self.scenarios = {str(k): dict(v) for k, v in scenarios.items()}
        # Read every record now: a damaged one is set aside at start-up instead of
        # breaking a screen later.
        for scenario_id in self.scenarios:
            self.finished(scenario_id)
            self.best_stars(scenario_id)
            self.high_scores(scenario_id)
            self.games_played(scenario_id)
            self.best_for(scenario_id, "")
            self.achievements(scenario_id)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "settings": {"theme": self.theme, "unlock_all": self.unlock_all},
            "scenarios": self.scenarios,
        }
        write_atomic(self.path, tomli_w.dumps(data))

    # --- queries --------------------------------------------------------------------------
    def _record(self, scenario_id: str) -> dict:
        return self.scenarios.setdefault(scenario_id, {})

    def finished(self, scenario_id: str) -> bool:
        return bool(self.scenarios.get(scenario_id, {}).get("finished", False))

    def best_stars(self, scenario_id: str) -> int:
        return int(self.scenarios.get(scenario_id, {}).get("best_stars", 0))

    def high_scores(self, scenario_id: str) -> list[HighScore]:
        rows = self.scenarios.get(scenario_id, {}).get("scores", [])
        return [
            HighScore(
                float(r["score"]),
                int(r["stars"]),
                int(r["seed"]),
                str(r.get("player", "")),
                str(r["date"]),
            )
            for r in rows
        ]

    def games_played(self, scenario_id: str) -> int:
        """How many finished games of this scenario were recorded (the table keeps only
        the best; progress files from before the count read as their table's length)."""
        record = self.scenarios.get(scenario_id, {})
        return int(record.get("games", len(record.get("scores", []))))

    def best_for(self, scenario_id: str, player: str) -> float | None:
        """The best score recorded for this player (team) name, or None if none was."""
        if not player:
            return None
        record = self.scenarios.get(scenario_id, {})
        bests = record.get("player_bests", {})
        if not isinstance(bests, dict):
            raise TypeError("player_bests must be a table")
        table = [float(r["score"]) for r in record.get("scores", []) if r.get("player") == player]
        known = [float(bests[player])] if player in bests else []
        return max(known + table, default=None)

    def achievements(self, scenario_id: str) -> dict[str, str]:
        """Achievement id -> date first earned."""
        return dict(self.scenarios.get(scenario_id, {}).get("achievements", {}))

    def is_unlocked(
        self, entry: ScenarioEntry, catalog: list[ScenarioEntry], unlock_all: bool = False
    ) -> bool:
        """Built-in scenarios open one by one: each needs the previous one finished."""
        if unlock_all or self.unlock_all or not entry.builtin or entry.campaign_order is None:
            return True
        earlier = [
            e
            for e in catalog
            if e.builtin
            and e.campaign_order is not None
            and e.campaign_order < entry.campaign_order
        ]
        return not earlier or self.finished(max(earlier, key=lambda e: e.campaign_order).id)

    # --- updates --------------------------------------------------------------------------
    def earn(self, scenario_id: str, achievement_id: str) -> bool:
        """Record an achievement; True if it is new."""
        earned = self._record(scenario_id).setdefault("achievements", {})
        if achievement_id in earned:
            return False
        earned[achievement_id] = _now()
        return True

    def record_game(
        self, scenario_id: str, score: float, stars: int, seed: int, player: str = ""
    ) -> int | None:
        """Record a finished game; returns its place in the high-score table (1 = best),
        or None when it did not make the table."""
        games = self.games_played(scenario_id) + 1
        earlier_best = self.best_for(scenario_id, player)
        record = self._record(scenario_id)
        record["games"] = games
        if player:
            bests = record.setdefault("player_bests", {})
            bests[player] = round(max(float(score), earlier_best or float(score)), 2)
        record["finished"] = True
        record["best_stars"] = max(int(record.get("best_stars", 0)), stars)
        entry = {
            "score": round(float(score), 2),
            "stars": stars,
            "seed": seed,
            "player": player,
            "date": _now(),
        }
        scores = [*record.get("scores", []), entry]
        scores.sort(key=lambda row: -row["score"])
        record["scores"] = scores[:HIGH_SCORES]
        return next((i + 1 for i, row in enumerate(record["scores"]) if row is entry), None)


def high_score_news(
    place: int | None, games: int, score: float, player: str, earlier_best: float | None
) -> str | None:
    """The sentence announcing a finished game's result, or None when it is not news.

    News is a place near the top of the table (``NEWS_PLACES``) once enough games of the
    scenario were played to make a table (``NEWS_AFTER_GAMES``, this one included), or a
    team beating its own earlier best. ``earlier_best`` is the team's best before this game.
    """
    if place is not None and place <= NEWS_PLACES and games >= NEWS_AFTER_GAMES:
        return f"A high score: {ordinal(place)} best of {games} games of this scenario."
    if player and earlier_best is not None and round(score, 2) > earlier_best:
        return f"A personal best for {player}: {score:.0f}, up from {earlier_best:.0f}."
    return None


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S")


def _free_backup_name(path: Path) -> Path:
    """``progress.damaged-<time>.toml`` beside ``path``, never an existing file's name."""
    backup = path.with_name(f"progress.damaged-{_stamp()}.toml")
    number = 1
    while backup.exists():
        number += 1
        backup = path.with_name(f"progress.damaged-{_stamp()}-{number}.toml")
    return backup
