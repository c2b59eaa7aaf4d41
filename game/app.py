"""The Going Dark application: screens, themes, progress and the game in progress."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.catalog import ScenarioEntry, load_catalog
from engine.progress import Progress
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
    ):
        super().__init__()
        self.scenario_paths = list(scenario_paths)
        self.start_scenario = start
        self.start_seed = seed
        self.unlock_all = unlock_all
        self.progress = Progress.load(data_dir)
        self.catalog: list[ScenarioEntry] = []
        self.session: GameSession | None = None
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
        self.switch_to_fresh(Dashboard(self.session))

    def record_achievements(self) -> None:
        """Store achievements earned so far in the player's progress (announced by toasts)."""
        if self.session is None:
            return
        scenario_id = self.session.scenario.meta.id
        changed = [self.progress.earn(scenario_id, a) for a in self.session.achieved]
        if any(changed):
            self.progress.save()

    def finish_game(self) -> None:
        """Record the finished game (stars, high score) and open the debrief."""
        from game.screens.debrief import DebriefScreen

        session = self.session
        assert session is not None and session.is_over
        if not session.recorded:
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
            self.progress.save()
        self.switch_to_fresh(DebriefScreen(session))

    def action_quit_to_menu(self) -> None:
        """Back to the main menu, asking first when a game is under way."""
        from game.screens.confirm import ConfirmScreen

        def leave(yes: bool | None = True) -> None:
            if yes:
                self.session = None
                while len(self.screen_stack) > 2:
                    self.pop_screen()

        if self.session is None or self.session.is_over:
            leave()
            return
        self.push_screen(
            ConfirmScreen(
                "Leave this game?",
                f"You are in quarter {self.session.quarter + 1} of {self.session.quarters}. "
                "Leaving ends this game.",
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
        self.progress.save()

    def watch_theme(self, name: str) -> None:
        # Themes picked from the command palette persist too.
        if self.is_mounted and name != self.progress.theme and name in self.available_themes:
            self.progress.theme = name
            self.progress.save()

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
            self.exit(0)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        self.push_screen(
            ConfirmScreen(
                "Quit the game?",
                f"You are in quarter {self.session.quarter + 1} of {self.session.quarters}. "
                "Nothing on disk is changed by quitting.",
                yes="Quit",
                no="Keep playing",
            ),
            answered,
        )

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
