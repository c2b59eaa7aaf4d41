"""The game played on this machine: ``LocalGameController``.

It owns the game in progress (a ``GameSession``), plays quarters in a worker thread,
autosaves after every quarter, and keeps the player's progress (stars, high scores,
achievements). Dialogs it needs (save as, rewind, "leave anyway?") are pushed on the
app's screen stack; everything else about screens stays with the app.

The app builds this controller before its first frame, so this module imports only
what the main menu needs (the player's progress, the saves folder); the game itself
(sessions, saves) and the screens it opens are imported by the methods that use them,
after the menu is on screen (none of them imports the controller: no cycle).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from engine.errors import GoingDarkError
from engine.folders import saves_dir
from engine.progress import Progress, high_score_news
from game.controller.interface import Capabilities
from game.messages import QuarterFailed, QuarterPlayed
from game.screens.confirm import ConfirmScreen, MessageScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

    from engine.catalog import ScenarioEntry
    from engine.narrative import QuarterReport
    from engine.saves import SaveGame
    from engine.session import GameSession

QUARTER_WORKER = "quarter"  # the worker group of the quarter being played


class LocalGameController:
    """One game at a time, played straight through the engine (see ``GameController``)."""

    capabilities = Capabilities(
        can_save_as=True,
        can_rewind=True,
        can_load=True,
        names_player=True,
        can_play_again=True,
        has_main_menu=True,
    )

    def __init__(
        self,
        app: App,
        *,
        data_dir: Path | None = None,
        saves: Path | None = None,
        forecasts: bool = True,
    ):
        self.app = app
        self.forecasts = forecasts  # False: the facilitator turned forecasts off
        self.progress = Progress.load(data_dir)
        self.saves_folder = saves_dir(saves)
        self.session_source: Path | None = None  # a custom scenario's file, for saves
        # The file this game autosaves to, once written: the same file every time.
        self.autosave_path: Path | None = None
        self._session: GameSession | None = None
        self._reply_to: MessagePump | None = None  # who asked for the quarter being played

    @property
    def session(self) -> GameSession | None:
        """The game in progress, or None between games."""
        return self._session

    @property
    def forecasts_enabled(self) -> bool:
        """Whether the picker may forecast the game in progress: neither the facilitator
        (``--no-forecasts``) nor the scenario (``[meta] forecasts = false``) said no."""
        session = self._session
        return self.forecasts and (session is None or session.scenario.meta.forecasts)

    @property
    def busy(self) -> bool:
        """True while a submitted quarter is being played."""
        return self._reply_to is not None

    # --- starting and playing -------------------------------------------------------------
    def adopt(self, session: GameSession, source: Path | None) -> None:
        """Make ``session`` the game in progress (``source``: its custom scenario file)."""
        self._session = session
        self.session_source = source
        self.autosave_path = None

    def start(self, entry: ScenarioEntry, seed: int | None, player: str = "") -> None:
        """Start a new game of ``entry`` and show its first quarter."""
        assert entry.scenario is not None

        def begin() -> None:
            from engine.session import GameSession
            from game.screens.dashboard import Dashboard

            session = GameSession(entry.scenario, seed=seed, player=player)
            self.adopt(session, None if entry.builtin else entry.path)
            self.app.switch_to_fresh(Dashboard(session))

        self.app.when_model_ready(begin)

    def submit_quarter(
        self, interventions: Sequence[str], choices: Mapping[str, str], reply_to: MessagePump
    ) -> None:
        """Play the coming quarter in a worker; ``reply_to`` gets the result message."""
        session = self._session
        assert session is not None and not self.busy
        self._reply_to = reply_to
        planned, answers = list(interventions), dict(choices)
        # exit_on_error=False: a failure reaches on_worker_state_changed and is shown in
        # a modal, the game goes on.
        self.app.run_worker(
            lambda: session.play(planned, answers),
            name="play quarter",
            group=QUARTER_WORKER,
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app passes its workers' state changes here: a quarter is done or failed."""
        if event.worker.group != QUARTER_WORKER or self._reply_to is None:
            return
        if event.state == WorkerState.SUCCESS:
            reply_to, self._reply_to = self._reply_to, None
            report: QuarterReport = event.worker.result
            self.autosave()  # after every quarter, before anything else can fail
            self.record_achievements()
            reply_to.post_message(QuarterPlayed(report))
        elif event.state == WorkerState.ERROR:
            reply_to, self._reply_to = self._reply_to, None
            error = event.worker.error
            text = (
                str(error)
                if isinstance(error, GoingDarkError)
                else f"Something went wrong while playing the quarter: {error!r}"
            )
            reply_to.post_message(QuarterFailed(text))

    # --- saving ---------------------------------------------------------------------------
    def autosave(self) -> Path | None:
        """Save the game in progress to its autosave; a failure is reported."""
        from engine.saves import AUTOSAVE

        return self._save(AUTOSAVE)

    def _save(self, slot: str) -> Path | None:
        """Save the game (its autosave, or a named ``slot``). A failure is reported and
        never loses the game in memory nor damages an older save."""
        from engine.saves import AUTOSAVE, save_session

        if self._session is None:
            return None
        try:
            self.saves_folder.mkdir(parents=True, exist_ok=True)
            if slot == AUTOSAVE:
                return self._write_autosave()
            return save_session(
                self._session,
                folder=self.saves_folder,
                slot=slot,
                scenario_path=self.session_source,
            )
        except (GoingDarkError, OSError) as exc:
            self.app.notify(f"The game could not be saved: {exc}", severity="error", timeout=15)
            return None

    def _write_autosave(self) -> Path:
        """Write the autosave and remember its file in ``autosave_path``: every
        autosave of this game replaces the last one (a new or branched game, which has
        none yet, gets a file of its own)."""
        from engine.saves import AUTOSAVE, save_session

        assert self._session is not None
        self.autosave_path = save_session(
            self._session,
            folder=self.saves_folder,
            slot=AUTOSAVE,
            scenario_path=self.session_source,
            autosave_path=self.autosave_path,
        )
        return self.autosave_path

    def save_as(self) -> None:
        """Ask for a name and save the game under it."""
        from game.screens.save_as import SaveAsScreen

        session = self._session
        if session is None:
            return

        def named(slot: str | None) -> None:
            if slot and self._save(slot) is not None:
                self.app.notify(f"Saved as '{slot}'. Load it from the main menu.")

        self.app.push_screen(SaveAsScreen(session.player or ""), named)

    # --- loading --------------------------------------------------------------------------
    def continue_last(self) -> None:
        """Pick up the most recent autosave."""
        from engine.saves import latest_autosave

        latest = latest_autosave(self.saves_folder)
        if latest is None:
            self.app.notify("There is no game to continue yet.")
        elif latest.problem:
            self.app.push_screen(
                MessageScreen(
                    "The last game cannot be continued",
                    f"{latest.problem}\n\nThe file was left as it is; older saves are under Load.",
                )
            )
        else:
            self.load(latest.path)

    def _read(
        self,
        path: Path,
        allow_changed: bool,
        then: Callable[[SaveGame, GameSession], None],
    ) -> None:
        """Read and rebuild a save, asking first when its scenario has changed (once the
        model is ready: rebuilding replays the game's quarters on the UI thread)."""
        self.app.when_model_ready(lambda: self._rebuild(path, allow_changed, then))

    def _rebuild(
        self,
        path: Path,
        allow_changed: bool,
        then: Callable[[SaveGame, GameSession], None],
    ) -> None:
        from engine.saves import read_save, restore, scenario_changed

        try:
            save = read_save(path)
            if not allow_changed and scenario_changed(save):

                def answered(yes: bool | None) -> None:
                    if yes:
                        self._read(path, True, then)

                self.app.push_screen(
                    ConfirmScreen(
                        "The scenario has changed",
                        f"{save.scenario_id} was edited after this game was saved, so its "
                        "decisions may not replay the same game. Load it anyway?",
                        yes="Load anyway",
                        no="Cancel",
                    ),
                    answered,
                )
                return
            session = restore(save, allow_changed=allow_changed)
        except GoingDarkError as exc:
            self.app.push_screen(MessageScreen("This save cannot be loaded", str(exc)))
            return
        then(save, session)

    def load(self, path: Path) -> None:
        """Load a saved game and carry on where it was left."""

        def loaded(save: SaveGame, session: GameSession) -> None:
            from engine.saves import locate_scenario
            from game.screens.dashboard import Dashboard
            from game.screens.debrief import DebriefScreen

            self.adopt(session, None if save.scenario_path is None else locate_scenario(save))
            if save.is_autosave:
                self.autosave_path = path  # carry on in the same autosave file
            screen = DebriefScreen(session) if session.is_over else Dashboard(session)
            self.app.switch_to_fresh(screen)
            what = "your last game" if save.is_autosave else f"'{save.slot}'"
            self.app.notify(
                f"Loaded {what}: {session.scenario.meta.title}, quarter "
                f"{session.quarter} of {session.quarters} played."
            )

        self._read(path, False, loaded)

    def replay(self, path: Path) -> None:
        """Step through a saved game quarter by quarter."""
        from game.screens.replay import ReplayScreen

        self._read(
            path,
            False,
            lambda save, session: self.app.push_screen(
                ReplayScreen(session, "autosave" if save.is_autosave else save.slot)
            ),
        )

    def rewind(self) -> None:
        """Branch the game at an earlier quarter: a new game; the current one stays saved."""
        from engine.saves import branch
        from game.screens.dashboard import Dashboard
        from game.screens.rewind import RewindScreen

        session = self._session
        if session is None or session.quarter == 0:
            self.app.notify("Nothing to rewind yet: no quarter has been played.")
            return

        def chosen(quarter: int | None) -> None:
            if quarter is None:
                return
            if not session.is_over and self.autosave() is None:
                return  # the game left behind could not be kept: do not leave it
            self.adopt(branch(session, quarter), self.session_source)
            self.autosave()
            self.app.switch_to_fresh(Dashboard(self._session))
            self.app.notify(
                f"Rewound to the start of quarter {quarter + 1}: a new game, saved on its own."
            )

        self.app.push_screen(RewindScreen(session), chosen)

    # --- progress -------------------------------------------------------------------------
    def record_achievements(self) -> None:
        """Store achievements earned so far in the player's progress (the quarter report
        announces them)."""
        if self._session is None:
            return
        scenario_id = self._session.scenario.meta.id
        changed = [self.progress.earn(scenario_id, a) for a in self._session.achieved]
        if any(changed):
            self.save_progress()

    def save_progress(self) -> bool:
        """Write the player's progress; a failure is reported, never fatal."""
        try:
            self.progress.save()
        except OSError as exc:
            self.app.notify(
                f"Your progress could not be saved: {exc}", severity="error", timeout=15
            )
            return False
        return True

    def record_finished(self) -> None:
        """Enter a finished game in the player's progress (once): stars, high score,
        achievements, and so the campaign's next scenario."""
        session = self._session
        if session is None or not session.is_over or session.recorded:
            return
        outcome = session.outcome()
        self.record_achievements()
        scenario_id, score = session.scenario.meta.id, float(outcome.score[0])
        earlier_best = self.progress.best_for(scenario_id, session.player)
        session.place = self.progress.record_game(
            scenario_id, score, int(outcome.stars[0]), session.seed, session.player
        )
        session.high_score_news = high_score_news(
            session.place,
            self.progress.games_played(scenario_id),
            score,
            session.player,
            earlier_best,
        )
        session.recorded = True
        self.save_progress()

    # --- finishing and leaving ------------------------------------------------------------
    def finish(self) -> None:
        """Record the finished game (stars, high score) and open the debrief."""
        session = self._session
        assert session is not None and session.is_over
        from game.screens.debrief import DebriefScreen

        self.record_finished()
        self.app.switch_to_fresh(DebriefScreen(session))

    def leave(self, then: Callable[[], None]) -> None:
        """Keep the game being left (save it, or record it when finished), then call
        ``then``. If it cannot be saved, ask before throwing it away."""
        session = self._session
        if session is None:
            then()
        elif session.is_over:
            self.record_finished()
            then()
        elif self.autosave() is not None:
            then()
        else:
            self.app.push_screen(
                ConfirmScreen(
                    "The game could not be saved",
                    "Leave anyway, and lose the game in progress?",
                    yes="Leave without saving",
                    no="Stay",
                ),
                lambda yes: then() if yes else None,
            )

    def forget(self) -> None:
        """No game in progress until the next start or load."""
        self._session = None
        self.session_source = None
        self.autosave_path = None
