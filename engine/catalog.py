"""The scenarios a player can choose from: built-in, the user's folder, and paths given.

A scenario that fails to load stays in the list with the same problems
``goingdark check`` prints: an author sees what is wrong without leaving the game.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.errors import ScenarioError
from engine.folders import HOME_VARIABLE, data_dir, user_scenario_dir
from engine.scenario.loader import builtin_paths, load_scenario
from engine.scenario.schema import Scenario

# Where the player's files live is engine.folders' business; these names stay
# importable from here for the game's screens.
__all__ = [
    "HOME_VARIABLE",
    "ScenarioEntry",
    "data_dir",
    "load_catalog",
    "user_scenario_dir",
]


@dataclass(frozen=True)
class ScenarioEntry:
    """One scenario file, loaded or not."""

    path: Path
    builtin: bool
    scenario: Scenario | None = None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.scenario is not None

    @property
    def id(self) -> str:
        return self.scenario.meta.id if self.scenario else self.path.stem

    @property
    def title(self) -> str:
        return self.scenario.meta.title if self.scenario else self.path.name

    @property
    def campaign_order(self) -> int | None:
        return self.scenario.meta.campaign_order if self.scenario and self.builtin else None


def _entry(path: Path, builtin: bool) -> ScenarioEntry:
    try:
        return ScenarioEntry(path, builtin, load_scenario(path))
    except ScenarioError as exc:
        return ScenarioEntry(path, builtin, None, tuple(str(p) for p in exc.problems))


def load_catalog(extra: Iterable[Path] = ()) -> list[ScenarioEntry]:
    """Built-in scenarios in campaign order, then the user's folder, then ``extra``."""
    builtin = [_entry(path, True) for path in builtin_paths()]
    builtin.sort(key=lambda e: (e.campaign_order or 10_000, e.id))
    folder = user_scenario_dir()
    own = [_entry(path, False) for path in sorted(folder.glob("*.toml"))] if folder.is_dir() else []
    given = [_entry(Path(path), False) for path in extra]
    seen: set[Path] = set()
    entries = []
    for entry in [*builtin, *own, *given]:
        key = entry.path.resolve()
        if key not in seen:
            seen.add(key)
            entries.append(entry)
    return entries
