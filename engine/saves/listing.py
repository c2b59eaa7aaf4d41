"""Listing saves: the saves folder, every save in it (broken ones too), the latest
autosave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from engine.saves.format import AUTOSAVE, SaveError
from engine.saves.reading import parse_time, read_save
from engine.saves.scenario_file import locate_scenario, scenario_facts


@dataclass(frozen=True)
class SaveSummary:
    """One file of a saves folder, readable or not (a broken save is listed with its
    problem, never hidden)."""

    path: Path
    slot: str
    scenario_id: str | None
    title: str | None  # the scenario's title, when it loads
    quarter: int | None
    quarters: int | None
    score: float | None
    player: str
    updated: str | None
    problem: str | None = None  # why it cannot be loaded
    warning: str | None = None  # loadable only anyway: the scenario changed since

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def is_autosave(self) -> bool:
        return self.slot == AUTOSAVE


def list_saves(folder: Path) -> list[SaveSummary]:
    """Every save in ``folder``, newest first (none if the folder does not exist).

    Temporary files of interrupted writes are not saves and are not listed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    scenarios: dict[Path, tuple[str | None, str | None, str | None]] = {}
    entries: list[tuple[datetime, SaveSummary]] = []
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            save = read_save(path, check_scenario=False)
        except SaveError as exc:
            entries.append((_mtime(path), _broken(path, str(exc))))
            continue
        try:
            scenario_file = locate_scenario(save)
        except SaveError as exc:
            title, digest, problem = None, None, str(exc)
        else:
            key = scenario_file.resolve()
            if key not in scenarios:
                scenarios[key] = scenario_facts(scenario_file)
            title, digest, problem = scenarios[key]
        warning = None
        if problem is None and digest != save.scenario_hash:
            warning = (
                f"the scenario '{save.scenario_id}' has changed since this game was saved; "
                "loading it anyway may not replay the same game"
            )
        summary = SaveSummary(
            path=path,
            slot=save.slot,
            scenario_id=save.scenario_id,
            title=title,
            quarter=save.quarter,
            quarters=save.quarters,
            score=save.score,
            player=save.player,
            updated=save.updated,
            problem=problem,
            warning=warning,
        )
        entries.append((parse_time(save.updated) or _mtime(path), summary))
    # Saved times have whole seconds: within one, the file written last is the newest.
    entries.sort(
        key=lambda item: (item[0], _written_ns(item[1].path), item[1].path.name), reverse=True
    )
    return [summary for _, summary in entries]


def _written_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _broken(path: Path, problem: str) -> SaveSummary:
    return SaveSummary(
        path=path,
        slot=path.stem,
        scenario_id=None,
        title=None,
        quarter=None,
        quarters=None,
        score=None,
        player="",
        updated=None,
        problem=problem,
    )


def _mtime(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return datetime.fromtimestamp(0, UTC)


def latest_autosave(folder: Path) -> SaveSummary | None:
    """The newest autosave in ``folder`` (the game to "Continue"), or None.

    Check its ``problem`` before loading: a damaged autosave is returned, not skipped,
    so that the player hears about it rather than silently getting an older game.
    """
    for summary in list_saves(folder):
        if summary.is_autosave or (
            summary.problem is not None and summary.path.name.startswith(f"{AUTOSAVE}-")
        ):
            return summary
    return None
