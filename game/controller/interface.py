"""What a screen may ask of the game in progress: the ``GameController`` interface.

Screens never touch the engine's session files, the progress file or the worker that
plays a quarter; they go through a controller (``app.controller``) and receive its
results as messages (``game.messages``). Two kinds of controller are meant to fit:

* ``LocalGameController`` (``game.controller.local``): one player or team at this
  terminal; decisions go straight to the engine, the game is autosaved after every
  quarter, progress and high scores are kept.
* ``RoomGameController`` (``game.controller.room``): a team of a group session;
  decisions go to the shared room and the team's game is rebuilt by replaying it. It
  answers later, perhaps much later (when the facilitator closes the round: it posts
  ``QuarterSubmitted`` meanwhile), and it does not let a team save, rewind or load.

So playing a quarter is two steps: the screen *requests* it with
:meth:`GameController.submit_quarter`, and the controller *notifies* the screen with
``QuarterPlayed`` (or ``QuarterFailed``) when the result is ready. Optional powers are
announced in :class:`Capabilities`; a screen hides or refuses what is not offered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # names for annotations: the app imports this before its first frame
    from textual.message_pump import MessagePump

    from engine.catalog import ScenarioEntry
    from engine.progress import Progress
    from engine.session import GameSession


@dataclass(frozen=True)
class Capabilities:
    """What a controller can do beyond playing: each flag false means "not offered"."""

    can_save_as: bool
    """Save the game under a name of the player's choosing."""
    can_rewind: bool
    """Branch the game at an earlier quarter into a new game."""
    can_load: bool
    """Continue or load a saved game, or replay one."""
    names_player: bool
    """The briefing asks who is playing (in a group session the join named the team)."""
    can_play_again: bool
    """Start the same scenario and seed again from the debrief."""
    has_main_menu: bool
    """Leaving a game goes back to the main menu (a group session's team app closes)."""


@runtime_checkable
class GameController(Protocol):
    """The game in progress, as the screens see it.

    ``session`` is read by screens to show the game (never changed by them). Every
    method runs on the app's thread; work that takes time happens in a worker and
    reports back by message."""

    capabilities: Capabilities
    progress: Progress
    """The player's progress on this machine: stars, high scores, achievements, theme."""
    saves_folder: Path
    """Where saved games are kept (listed by the Load screen when ``can_load``)."""

    @property
    def session(self) -> GameSession | None:
        """The game in progress, or None between games."""
        ...

    @property
    def forecasts_enabled(self) -> bool:
        """Whether the picker may forecast the game in progress: the facilitator has not
        turned forecasts off (``--no-forecasts``) and neither has the scenario."""
        ...

    @property
    def busy(self) -> bool:
        """True from ``submit_quarter`` until its result message is posted: commands
        that change or leave the game wait meanwhile."""
        ...

    def start(self, entry: ScenarioEntry, seed: int | None, player: str = "") -> None:
        """Start a new game of ``entry`` and show its first quarter."""
        ...

    def submit_quarter(
        self, interventions: Sequence[str], choices: Mapping[str, str], reply_to: MessagePump
    ) -> None:
        """Request the coming quarter with these decisions (intervention ids and
        dilemma answers). Returns at once; ``reply_to`` later receives
        ``QuarterPlayed`` or ``QuarterFailed``."""
        ...

    def finish(self) -> None:
        """The game is over: record it (stars, high score) and show the debrief."""
        ...

    def leave(self, then: Callable[[], None]) -> None:
        """Keep the game being left (saved, or recorded when finished), then call
        ``then``; asks the player first when it cannot be kept."""
        ...

    def forget(self) -> None:
        """Drop the game in progress (after ``leave``): no game until the next start."""
        ...

    def save_as(self) -> None:
        """Ask for a name and save the game under it (when ``can_save_as``)."""
        ...

    def rewind(self) -> None:
        """Ask for a quarter and branch the game there (when ``can_rewind``)."""
        ...

    def continue_last(self) -> None:
        """Pick up the most recent autosave (when ``can_load``)."""
        ...

    def load(self, path: Path) -> None:
        """Load a saved game and carry on where it was left (when ``can_load``)."""
        ...

    def replay(self, path: Path) -> None:
        """Step through a saved game quarter by quarter (when ``can_load``)."""
        ...

    def save_progress(self) -> bool:
        """Write the player's progress; a failure is reported, never fatal."""
        ...
