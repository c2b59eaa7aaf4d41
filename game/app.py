"""The Going Dark application: screens, themes, progress and the game in progress."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.catalog import ScenarioEntry, load_catalog
from engine.errors import GoingDarkError
from engine.progress import Progress
from engine.saves import (
    AUTOSAVE,
    branch,
    latest_autosave,
    locate_scenario,
    read_save,
    restore,
    save_session,
    saves_dir,
    scenario_changed,
)
from engine.session import GameSession
from game.themes import THEMES

MIN_WIDTH, MIN_HEIGHT = 80, 24


class GoingDarkApp(App[int]):
    """Main menu -> scenario browser -> briefing -> quarters -> debrief."""

    TITLE = "Going Dark"
    CSS_PATH = "styles/app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        # Priority, so help opens over modal screens (the picker, dilemmas) too.
        Binding("f1", "help", "Help", id="help", priority=True),
        Binding("ctrl+q", "quit_game", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        *,
        scenario_paths: Iterable[Path] = (),
        start: str | None = None,
        seed: int | None = None,
        unlock_all: bool = False,
        data_dir: Path | None = None,
        saves: Path | None = None,
    ):
        super().__init__()
        self.scenario_paths = list(scenario_paths)
        self.start_scenario = start
        self.start_seed = seed
        self.unlock_all = unlock_all
        self.progress = Progress.load(data_dir)
        self.catalog: list[ScenarioEntry] = []
        self.session: GameSession | None = None
        self.session_source: Path | None = None  # a custom scenario's file, for saves
        self.autosave_path: Path | None = None  # the game in progress's autosave file
        self.quarter_in_progress = False  # set by the dashboard while its worker runs
        self.last_player = ""  # the name typed at the last briefing, offered again
        self.saves_folder = saves_dir(saves)
        self._too_small = False

    # --- start-up -------------------------------------------------------------------------
    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = (
            self.progress.theme if self.progress.theme in self.available_themes else THEMES[0].name
        )
        self.reload_catalog()
        from game.screens.menu import MainMenu

        self.push_screen(MainMenu())
        if self.progress.warning:
            self.notify(self.progress.warning, severity="warning", timeout=15)
        if self.start_scenario is not None:
            self.open_start_scenario()
        self.check_size()

    def reload_catalog(self) -> None:
        self.catalog = load_catalog(self.scenario_paths)

    def open_start_scenario(self) -> None:
        """``goingdark play SCENARIO``: straight to its briefing."""
        from game.screens.briefing import BriefingScreen

        wanted = self.start_scenario
        for entry in self.catalog:
            if entry.ok and (
                entry.id == wanted
                or str(entry.path) == wanted
                or entry.path.resolve() == Path(wanted).resolve()
            ):
                self.push_screen(BriefingScreen(entry, seed=self.start_seed))
                return
        self.notify(f"No scenario '{wanted}' was found.", severity="error", timeout=10)

    def is_unlocked(self, entry: ScenarioEntry) -> bool:
        return self.progress.is_unlocked(entry, self.catalog, self.unlock_all)

    # --- the game in progress -------------------------------------------------------------
    def begin(self, entry: ScenarioEntry, seed: int | None, player: str = "") -> None:
        """Start a new game of ``entry`` and show its first quarter."""
        from game.screens.dashboard import Dashboard

        assert entry.scenario is not None
        self.session = GameSession(entry.scenario, seed=seed, player=player)
        self.session_source = None if entry.builtin else entry.path
        self.autosave_path = None
        self.switch_to_fresh(Dashboard(self.session))

    # --- saving and loading -----------------------------------------------------------------
    def save(self, slot: str = AUTOSAVE) -> Path | None:
        """Save the game in progress (its autosave by default). A failure is reported
        and never loses the game in memory nor damages an older save."""
        if self.session is None:
            return None
        try:
            self.saves_folder.mkdir(parents=True, exist_ok=True)
            path = save_session(
                self.session,
                folder=self.saves_folder,
                slot=slot,
                scenario_path=self.session_source,
                autosave_path=self.autosave_path,
            )
        except (GoingDarkError, OSError) as exc:
            self.notify(f"The game could not be saved: {exc}", severity="error", timeout=15)
            return None
        if slot == AUTOSAVE:
            self.autosave_path = path  # every autosave of this game replaces the last
        return path

    def action_save_as(self) -> None:
        from game.screens.save_as import SaveAsScreen

        if self.session is None:
            return

        def named(slot: str | None) -> None:
            if slot and self.save(slot) is not None:
                self.notify(f"Saved as '{slot}'. Load it from the main menu.")

        self.push_screen(SaveAsScreen(self.session.player or ""), named)

    def action_continue_game(self) -> None:
        """Main menu: pick up the most recent autosave."""
        from game.screens.confirm import MessageScreen

        latest = latest_autosave(self.saves_folder)
        if latest is None:
            self.notify("There is no game to continue yet.")
        elif latest.problem:
            self.push_screen(
                MessageScreen(
                    "The last game cannot be continued",
                    f"{latest.problem}\n\nThe file was left as it is; older saves are under Load.",
                )
            )
        else:
            self.load_game(latest.path)

    def _read(self, path: Path, allow_changed: bool, then) -> None:
        """Read and rebuild a save, asking first when its scenario has changed."""
        from game.screens.confirm import ConfirmScreen, MessageScreen

        try:
            save = read_save(path)
            if not allow_changed and scenario_changed(save):

                def answered(yes: bool | None) -> None:
                    if yes:
                        self._read(path, True, then)

                self.push_screen(
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
            self.push_screen(MessageScreen("This save cannot be loaded", str(exc)))
            return
        then(save, session)

    def load_game(self, path: Path, allow_changed: bool = False) -> None:
        """Load a saved game and carry on where it was left."""
        from game.screens.dashboard import Dashboard
        from game.screens.debrief import DebriefScreen

        def loaded(save, session: GameSession) -> None:
            self.session = session
            self.session_source = None if save.scenario_path is None else locate_scenario(save)
            # Continuing an autosave autosaves to the same file.
            self.autosave_path = save.path if save.is_autosave else None
            screen = DebriefScreen(session) if session.is_over else Dashboard(session)
            self.switch_to_fresh(screen)
            what = "your last game" if save.is_autosave else f"'{save.slot}'"
            self.notify(
                f"Loaded {what}: {session.scenario.meta.title}, quarter "
                f"{session.quarter} of {session.quarters} played."
            )

        self._read(path, allow_changed, loaded)

    def replay_game(self, path: Path) -> None:
        """Step through a saved game quarter by quarter."""
        from game.screens.replay import ReplayScreen

        self._read(
            path, False, lambda save, session: self.push_screen(ReplayScreen(session, save.name))
        )

    def action_rewind(self) -> None:
        """Branch the game at an earlier quarter: a new game; the current one stays saved."""
        from game.screens.dashboard import Dashboard
        from game.screens.rewind import RewindScreen

        session = self.session
        if session is None or session.quarter == 0:
            self.notify("Nothing to rewind yet: no quarter has been played.")
            return

        def chosen(quarter: int | None) -> None:
            if quarter is None:
                return
            if not session.is_over and self.save() is None:
                return  # the game left behind could not be kept: do not leave it
            self.session = branch(session, quarter)
            self.autosave_path = None  # a new game: its own autosave file
            self.save()
            self.switch_to_fresh(Dashboard(self.session))
            self.notify(
                f"Rewound to the start of quarter {quarter + 1}: a new game, saved on its own."
            )

        self.push_screen(RewindScreen(session), chosen)

    def record_achievements(self) -> None:
        """Store achievements earned so far in the player's progress (announced by toasts)."""
        if self.session is None:
            return
        scenario_id = self.session.scenario.meta.id
        changed = [self.progress.earn(scenario_id, a) for a in self.session.achieved]
        if any(changed):
            self.save_progress()

    def save_progress(self) -> bool:
        """Write the player's progress; a failure is reported, never fatal."""
        try:
            self.progress.save()
        except OSError as exc:
            self.notify(f"Your progress could not be saved: {exc}", severity="error", timeout=15)
            return False
        return True

    def record_finished(self) -> None:
        """Enter a finished game in the player's progress (once): stars, high score,
        achievements, and so the campaign's next scenario."""
        session = self.session
        if session is None or not session.is_over or session.recorded:
            return
        outcome = session.outcome()
        self.record_achievements()
        session.place = self.progress.record_game(
            session.scenario.meta.id,
            float(outcome.score[0]),
            int(outcome.stars[0]),
            session.seed,
            session.player,
        )
        session.recorded = True
        self.save_progress()

    def finish_game(self) -> None:
        """Record the finished game (stars, high score) and open the debrief."""
        from game.screens.debrief import DebriefScreen

        session = self.session
        assert session is not None and session.is_over
        self.record_finished()
        self.switch_to_fresh(DebriefScreen(session))

    def leave_game(self, then) -> None:
        """Keep the game being left (save it, or record it when finished), then call
        ``then``. If it cannot be saved, ask before throwing it away."""
        from game.screens.confirm import ConfirmScreen

        session = self.session
        if session is None:
            then()
        elif session.is_over:
            self.record_finished()
            then()
        elif self.save() is not None:
            then()
        else:
            self.push_screen(
                ConfirmScreen(
                    "The game could not be saved",
                    "Leave anyway, and lose the game in progress?",
                    yes="Leave without saving",
                    no="Stay",
                ),
                lambda yes: then() if yes else None,
            )

    def action_quit_to_menu(self) -> None:
        """Back to the main menu, asking first when a game is under way."""
        from game.screens.confirm import ConfirmScreen

        def to_menu() -> None:
            self.session = None
            self.autosave_path = None
            while len(self.screen_stack) > 2:
                self.pop_screen()

        def leave(yes: bool | None = True) -> None:
            if yes:
                self.leave_game(to_menu)

        if self.session is None or self.session.is_over:
            leave()
            return
        self.push_screen(
            ConfirmScreen(
                "Leave this game?",
                f"You are in quarter {self.session.quarter + 1} of {self.session.quarters}. "
                "The game is saved as you leave: Continue in the main menu picks it up "
                "(interventions chosen for the coming quarter are not kept).",
                yes="Leave",
                no="Keep playing",
            ),
            leave,
        )

    def switch_to_fresh(self, screen: Screen) -> None:
        """Show ``screen`` on top of the main menu, dropping the screens in between."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(screen)

    def save_theme(self, name: str) -> None:
        self.theme = name
        self.progress.theme = name
        self.save_progress()

    def watch_theme(self, name: str) -> None:
        # Themes picked from the command palette persist too.
        if self.is_mounted and name != self.progress.theme and name in self.available_themes:
            self.progress.theme = name
            self.save_progress()

    # --- commands available everywhere ----------------------------------------------------
    def action_help(self) -> None:
        from game.screens.help import HelpScreen
        from game.screens.too_small import TooSmallScreen

        if not any(isinstance(s, HelpScreen | TooSmallScreen) for s in self.screen_stack):
            self.push_screen(HelpScreen())

    def action_quit_game(self) -> None:
        """Quit, asking first when a game is under way."""
        from game.screens.confirm import ConfirmScreen

        if self.session is None or self.session.is_over:
            self.leave_game(lambda: self.exit(0))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.leave_game(lambda: self.exit(0))

        self.push_screen(
            ConfirmScreen(
                "Quit the game?",
                f"You are in quarter {self.session.quarter + 1} of {self.session.quarters}. "
                "The game is saved as you leave: Continue in the main menu picks it up "
                "(interventions chosen for the coming quarter are not kept).",
                yes="Quit",
                no="Keep playing",
            ),
            answered,
        )

    # Commands that must wait while a quarter is being played in the worker: the game's
    # state is changing under them.
    WAIT_FOR_QUARTER = frozenset(
        {"save_as", "rewind", "quit_game", "quit_to_menu", "continue_game"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.quarter_in_progress and action in self.WAIT_FOR_QUARTER:
            return None  # shown, but disabled until the quarter is done
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every command of the current screen and the app once."""
        seen = set()
        for bindings in (screen.BINDINGS, self.BINDINGS):
            for binding in bindings:
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                # "app.quit_game" on a screen and "quit_game" on the app are one command.
                action = binding.action.removeprefix("app.")
                if action in seen:
                    continue
                seen.add(action)
                target = screen if bindings is screen.BINDINGS else self
                yield SystemCommand(
                    binding.description,
                    f"{binding.tooltip or binding.description} ({binding.key})",
                    lambda target=target, action=binding.action: self.call_later(
                        target.run_action, action
                    ),
                )
        # Quit is listed through the app's ctrl+q binding above.
        yield SystemCommand("Change theme", "Choose a colour theme", self.action_change_theme)

    # --- terminal size --------------------------------------------------------------------
    def on_resize(self) -> None:
        # This handler runs before App._on_resize stores the new size: check once it has.
        self.call_later(self.check_size)

    def check_size(self) -> None:
        """Below 80x24 show a "please enlarge" screen; leave it once large enough."""
        from game.screens.too_small import TooSmallScreen

        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        if small and not self._too_small:
            self._too_small = True
            self.push_screen(TooSmallScreen())
        elif not small and self._too_small:
            self._too_small = False
            if isinstance(self.screen, TooSmallScreen):
                self.pop_screen()
        elif small and isinstance(self.screen, TooSmallScreen):
            self.screen.show_size()
