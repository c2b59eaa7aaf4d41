"""Rebuilding games from their decision logs: restore, branch and verify.

Every rebuild goes through :func:`replay_decisions`, the one loop that plays a decision log
quarter by quarter on a fresh game of the same scenario, seed and player.
"""

from __future__ import annotations

import math
from pathlib import Path

from engine.decision_log import Policy
from engine.errors import PolicyError
from engine.saves.format import SaveError, SaveGame
from engine.saves.scenario_file import load_saved_scenario
from engine.scenario.schema import Scenario
from engine.session import GameSession

# Relative tolerance of verify(): replays are bit-identical, so this only forgives the
# last digit of a figure someone retyped.
TOLERANCE = 1e-9


def replay_decisions(
    scenario: Scenario,
    *,
    seed: int,
    player: str,
    log: Policy,
    quarters: int,
    name: str,
    because: str = "",
) -> GameSession:
    """A new game of ``scenario`` with ``log``'s decisions played for ``quarters``
    quarters. A decision that does not fit raises SaveError naming ``name`` (the save
    or game) and the quarter, followed by ``because`` (a likely reason)."""
    session = GameSession(scenario, seed=seed, player=player)
    for quarter in range(1, quarters + 1):
        decisions = log.for_quarter(quarter)
        try:
            decisions.validate(session.world)
            session.play(decisions.interventions, decisions.choices)
        except PolicyError as exc:
            raise SaveError(f"{name}: quarter {quarter} does not replay: {exc}{because}") from None
    return session


def _replay_save(
    save: SaveGame, quarters: int, scenario: Path | str | None, allow_changed: bool
) -> GameSession:
    loaded, changed = load_saved_scenario(save, scenario, allow_changed=allow_changed)
    if quarters > loaded.meta.quarters:
        raise SaveError(
            f"{save.name}: {quarters} quarters were played, but the scenario has only "
            f"{loaded.meta.quarters}"
        )
    return replay_decisions(
        loaded,
        seed=save.seed,
        player=save.player,
        log=save.policy,
        quarters=quarters,
        name=save.name,
        because=" (the scenario changed since the save)" if changed else "",
    )


def restore(
    save: SaveGame, scenario: Path | str | None = None, *, allow_changed: bool = False
) -> GameSession:
    """Rebuild the saved game by replaying its decision log; returns the session.

    ``scenario`` replaces the scenario file the save names (a moved custom scenario).
    A scenario whose file changed since the save is refused unless ``allow_changed``:
    its decisions may then not replay the same game. Continuing a restored autosave
    should write to the same file: its owner keeps ``save.path`` for that.
    """
    session = _replay_save(save, save.quarter, scenario, allow_changed)
    # A finished game was entered in the player's progress when it ended.
    session.recorded = session.is_over
    return session


def branch(
    save_or_session: SaveGame | GameSession,
    quarter: int,
    *,
    scenario: Path | str | None = None,
    allow_changed: bool = False,
) -> GameSession:
    """A new game that replays only the first ``quarter`` quarters of a saved game or a
    game in progress, to play on differently. Nothing is written; the original save
    and session are left as they are."""
    if isinstance(save_or_session, GameSession):
        original = save_or_session
        played = original.quarter
        if not 0 <= quarter <= played:
            raise SaveError(
                f"cannot rewind to quarter {quarter}: the game has played {played} "
                f"quarter{'s' if played != 1 else ''}"
            )
        return replay_decisions(
            original.scenario,
            seed=original.seed,
            player=original.player,
            log=original.policy(),
            quarters=quarter,
            name="the game",
        )
    save = save_or_session
    if not 0 <= quarter <= save.quarter:
        raise SaveError(
            f"{save.name}: cannot rewind to quarter {quarter}: the game has played "
            f"{save.quarter} quarter{'s' if save.quarter != 1 else ''}"
        )
    return _replay_save(save, quarter, scenario, allow_changed)


def verify(save: SaveGame, session: GameSession) -> list[str]:
    """Differences between the figures recorded in the save and the rebuilt game's,
    as ``quarter 3, revenue: saved 1234.0, replayed 1250.5``; empty when they match."""
    differences = []
    if session.quarter != save.quarter:
        differences.append(f"quarters played: saved {save.quarter}, replayed {session.quarter}")
    for name, saved_values in save.recorded.items():
        replayed_values = session.series(name)
        for quarter, saved in enumerate(saved_values):
            if quarter >= len(replayed_values):
                break
            replayed = float(replayed_values[quarter])
            if not math.isclose(saved, replayed, rel_tol=TOLERANCE, abs_tol=1e-12):
                differences.append(
                    f"quarter {quarter}, {name}: saved {saved!r}, replayed {replayed!r}"
                )
    if save.score is not None and session.quarter > 0:
        replayed = float(session.outcome().score[0])
        if not math.isclose(save.score, replayed, rel_tol=TOLERANCE, abs_tol=1e-12):
            differences.append(f"score: saved {save.score!r}, replayed {replayed!r}")
    return differences
