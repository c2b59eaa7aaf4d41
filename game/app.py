"""The Going Dark application: routing between screens, themes and the terminal size.

The game in progress (the session, its saves, the player's progress) belongs to the
controller, ``self.controller``; screens reach it there (``game.controller``).

Start-up: this module imports only what the main menu's first frame needs. The
scenario catalogue is read in a thread worker once the menu is drawn (or when first
needed, whichever comes first), the model's kernels are compiled in another, and the
other screens are imported when first opened (``benchmarks/startup.py`` measures it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.worker import Worker

from engine import warmup
from engine.warmup import warm_up
from game.commands import bindings, palette_commands
from game.controller.local import LocalGameController
from game.screens.confirm import ConfirmScreen
from game.screens.menu import MainMenu
from game.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from game.themes import THEMES

if TYPE_CHECKING:
    from engine.catalog import ScenarioEntry

# Commands that must wait while a quarter is being played in the worker: the game's
# state is changing under them.
WAIT_FOR_QUARTER = frozenset({"save_as", "rewind", "quit_game", "quit_to_menu", "continue_game"})
WARM_UP_WORKER = "warm-up"  # the worker group that compiles the model's kernels
CATALOG_WORKER = "catalogue"  # the worker group that reads the scenarios after the first frame


class GoingDarkApp(App[int]):
    """Main menu -> scenario browser -> briefing -> quarters -> debrief."""

    TITLE = "Going Dark"
    CSS_PATH = "styles/app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = bindings("everywhere")

    def __init__(
        self,
        *,
        scenario_paths: Iterable[Path] = (),
        start: str | None = None,
        seed: int | None = None,
        unlock_all: bool = False,
        data_dir: Path | None = None,
        saves: Path | None = None,
        forecasts: bool = True,
    ):
        super().__init__()
        self.scenario_paths = list(scenario_paths)
        self.start_scenario = start
        self.start_seed = seed
        self.unlock_all = unlock_all
        self.controller = LocalGameController(
            self, data_dir=data_dir, saves=saves, forecasts=forecasts
        )
        # The scenarios, read once the first frame is drawn or when first needed (the
        # catalogue property); the lock keeps the reading worker and the UI thread from
        # reading them twice.
        self._catalog: list[ScenarioEntry] | None = None
        self._catalog_lock = threading.Lock()
        self.last_player = ""  # the name typed at the last briefing, offered again
        self._too_small = False
        # What to do once the warm-up ends, when asked before it had (when_model_ready).
        self._after_warm_up: Callable[[], None] | None = None

    # --- start-up -------------------------------------------------------------------------
    def apply_saved_theme(self) -> None:
        """Register the game's themes and use the one the player chose last."""
        progress = self.controller.progress
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = progress.theme if progress.theme in self.available_themes else THEMES[0].name

    def on_mount(self) -> None:
        progress = self.controller.progress
        self.apply_saved_theme()
        self.push_screen(MainMenu())
        if progress.warning:
            self.notify(progress.warning, severity="warning", timeout=15)
        if self.start_scenario is not None:
            self.open_start_scenario()
        self.check_size()
        # Compile the model's kernels and read the scenarios once the first frame is
        # on screen, off the UI thread, so that neither the menu nor the first quarter
        # (nor the scenario browser) waits for them.
        self.call_after_refresh(self.warm_up_kernels)
        self.call_after_refresh(self.read_catalog_in_background)

    def warm_up_kernels(self) -> None:
        """Compile (or load from the cache) the model's kernels in a thread worker."""
        self.run_worker(
            warm_up, name=WARM_UP_WORKER, group=WARM_UP_WORKER, thread=True, exit_on_error=False
        )

    def start_worker_processes(self) -> None:
        """Start, in a thread worker, the server of the worker processes that will
        measure the debrief's what-ifs (``engine.processes``): called as a game begins
        or is loaded, so that it is ready by the debrief, and costs nothing to a player
        who only looks at the menu. (Nothing once it runs.)"""

        def start() -> None:
            from engine import processes

            processes.start()

        self.run_worker(start, name="worker processes", thread=True, exit_on_error=False)

    def when_model_ready(self, then: Callable[[], None]) -> None:
        """Call ``then`` on the UI thread once the model's kernels are compiled: at once
        when they are (the usual case: the warm-up ends while the player reads the menu),
        else after a warm-up in a thread worker, so that nothing compiles on the UI
        thread when ``then`` builds or replays a game."""
        self.start_worker_processes()
        if warmup.ready.is_set():
            then()
            return
        waiting = self._after_warm_up is not None
        self._after_warm_up = then  # a second request (Enter pressed twice) replaces the first
        if waiting:
            return
        self.notify("Getting the model ready…", timeout=4)

        def prepare() -> None:
            warm_up()  # waits for a warm-up under way (Numba's lock), else does one
            self.call_from_thread(self._model_ready)

        self.run_worker(
            prepare, name=WARM_UP_WORKER, group=WARM_UP_WORKER, thread=True, exit_on_error=False
        )

    def _model_ready(self) -> None:
        then, self._after_warm_up = self._after_warm_up, None
        if then is not None:
            then()

    @property
    def catalog(self) -> list[ScenarioEntry]:
        """The scenarios a player can choose from (built-in, the player's own, those
        given on the command line), read the first time they are needed."""
        with self._catalog_lock:
            if self._catalog is None:
                self._catalog = self.read_catalog()
            return self._catalog

    def read_catalog(self) -> list[ScenarioEntry]:
        """Read every scenario file; one that fails to load is listed with its problems."""
        from engine.catalog import load_catalog  # pydantic and the schema: after the menu

        return load_catalog(self.scenario_paths)

    def read_catalog_in_background(self) -> None:
        """Read the scenarios in a thread worker, so the browser opens at once."""
        self.run_worker(
            lambda: self.catalog, name=CATALOG_WORKER, group=CATALOG_WORKER, thread=True
        )

    def reload_catalog(self) -> None:
        """Read the scenarios again: the built-in ones and the player's own."""
        catalog = self.read_catalog()
        with self._catalog_lock:
            self._catalog = catalog

    def open_start_scenario(self) -> None:
        """``goingdark play SCENARIO``: straight to its briefing."""
        from engine.errors import ScenarioError
        from engine.scenario.loader import find_scenario
        from game.screens.briefing import BriefingScreen

        wanted = self.start_scenario
        try:
            path = find_scenario(wanted).resolve()
        except ScenarioError:
            path = None  # perhaps the id of a scenario file given on the command line
        for entry in self.catalog:
            if entry.ok and (entry.path.resolve() == path or entry.id == wanted):
                self.push_screen(BriefingScreen(entry, seed=self.start_seed))
                return
        self.notify(f"No scenario '{wanted}' was found.", severity="error", timeout=10)

    def is_unlocked(self, entry: ScenarioEntry) -> bool:
        """May the player start ``entry`` (the campaign opens one scenario at a time)?"""
        return self.controller.progress.is_unlocked(entry, self.catalog, self.unlock_all)

    # --- routing --------------------------------------------------------------------------
    def switch_to_fresh(self, screen: Screen) -> None:
        """Show ``screen`` on top of the main menu, dropping the screens in between."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(screen)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The controller's workers run on the app: it hears how they end.
        self.controller.on_worker_state_changed(event)

    # --- commands that reach the game in progress -----------------------------------------
    def action_save_as(self) -> None:
        """Save the game in progress under a name (the dashboard's ctrl+s)."""
        self.controller.save_as()

    def action_rewind(self) -> None:
        """Branch the game at an earlier quarter (w on the dashboard and the debrief)."""
        self.controller.rewind()

    def action_continue_game(self) -> None:
        """Main menu: pick up the most recent autosave."""
        self.controller.continue_last()

    def action_quit_to_menu(self) -> None:
        """Back to the main menu, asking first when a game is under way."""

        def to_menu() -> None:
            self.controller.forget()
            while len(self.screen_stack) > 2:
                self.pop_screen()

        self.leave_game_asking("Leave this game?", "Leave", to_menu)

    def action_quit_game(self) -> None:
        """Quit, asking first when a game is under way."""
        self.leave_game_asking("Quit the game?", "Quit", lambda: self.exit(0))

    def leave_game_asking(self, title: str, yes: str, then) -> None:
        """Leave the game in progress (kept by the controller), then ``then``; while a
        game is under way, ask first."""
        session = self.controller.session
        if session is None or session.is_over:
            self.controller.leave(then)
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.controller.leave(then)

        self.push_screen(
            ConfirmScreen(
                title,
                f"You are in quarter {session.quarter + 1} of {session.quarters}. "
                "The game is saved as you leave: Continue in the main menu picks it up "
                "(interventions chosen for the coming quarter are not kept).",
                yes=yes,
                no="Keep playing",
            ),
            answered,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.controller.busy and action in WAIT_FOR_QUARTER:
            return None  # shown, but disabled until the quarter is done
        return True

    # --- help, palette and theme ----------------------------------------------------------
    def action_help(self) -> None:
        from game.screens.help import HelpScreen

        if not any(isinstance(s, HelpScreen | TooSmallScreen) for s in self.screen_stack):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every command of the current screen and the app once."""
        context = getattr(screen, "COMMAND_CONTEXT", None)
        for command, on_screen in palette_commands(context):
            target = screen if on_screen else self
            yield SystemCommand(
                command.description,
                f"{command.description} ({command.keys})",
                lambda target=target, action=command.action: self.call_later(
                    target.run_action, action
                ),
            )
        # Quit is listed through the app's ctrl+q binding above.
        yield SystemCommand("Change theme", "Choose a colour theme", self.action_change_theme)

    def save_theme(self, name: str) -> None:
        """Use theme ``name`` and keep it for next time."""
        self.theme = name
        self.controller.progress.theme = name
        self.controller.save_progress()

    def watch_theme(self, name: str) -> None:
        # Themes picked from the command palette persist too.
        progress = self.controller.progress
        if self.is_mounted and name != progress.theme and name in self.available_themes:
            progress.theme = name
            self.controller.save_progress()

    # --- terminal size --------------------------------------------------------------------
    def on_resize(self) -> None:
        # This handler runs before App._on_resize stores the new size: check once it has.
        self.call_later(self.check_size)

    def check_size(self) -> None:
        """Below the minimum size show a "please enlarge" screen; leave it once large enough."""
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
