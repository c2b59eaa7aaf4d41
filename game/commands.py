"""Every command of the game, defined once: its keys, what it does, where it applies.

A command is a key binding with a description. Each screen takes its bindings from
here (``BINDINGS = bindings("dashboard")``); the footer shows them, the command
palette lists them (``palette_commands``) and the help screen's Keys tab prints them
(``CONTEXTS`` in order, under each context's title). To add a command: add it to its
context below and give the screen an ``action_<name>`` method.

Actions prefixed ``app.`` run on the app (commands that change the game in progress
go through the app to its controller).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    """One command: ``keys`` as Textual writes them (``"n,escape"``), the ``action``
    it runs, and the ``description`` shown in the footer, palette and help."""

    keys: str
    action: str
    description: str
    id: str | None = None
    show: bool = True  # in the footer
    # A plain movement key (scrolling): help's "Moving around" section covers it, so it
    # is not listed under its screen, nor offered in the palette.
    movement: bool = False
    priority: bool = False  # before the focused widget gets the key
    # A shorter word for the footer, where every shown key must fit 80 columns; the
    # palette and help keep ``description``.
    footer: str | None = None

    def binding(self, *, full: bool = False) -> Binding:
        """This command as a Textual key binding (``full``: with the full description
        even where the footer shows a shorter one)."""
        return Binding(
            self.keys,
            self.action,
            self.description if full or self.footer is None else self.footer,
            show=self.show,
            priority=self.priority,
            id=self.id,
        )


@dataclass(frozen=True)
class Context:
    """Where commands apply (a screen, or everywhere), titled as the help shows it."""

    title: str
    commands: tuple[Command, ...]


def debrief_tab(number: int, pane: str, label: str) -> Command:
    """The number key that opens one of the debrief's tabs."""
    return Command(str(number), f"show_tab('{pane}')", f"{label} tab", id=f"tab-{pane}", show=False)


# In a dialog the arrows move between its buttons (Enter presses the one with focus);
# movement keys, so help's "Moving around" covers them.
BUTTON_MOVES = (
    Command("left,up", "move_focus(-1)", "Previous button", show=False, movement=True),
    Command("right,down", "move_focus(1)", "Next button", show=False, movement=True),
)

# In the order a player meets them: the help screen lists them so.
CONTEXTS: dict[str, Context] = {
    "everywhere": Context(
        "Everywhere",
        (
            # Priority, so help opens over modal screens (the picker, dilemmas) too.
            Command("f1", "help", "Help", id="help", priority=True),
            Command("ctrl+q", "quit_game", "Quit", id="quit", priority=True),
        ),
    ),
    "main-menu": Context(
        "Main menu",
        (
            Command("n", "new_game", "New game", id="new-game"),
            Command("c", "app.continue_game", "Continue", id="continue"),
            Command("l", "load", "Load", id="load-game"),
            Command("p", "profile", "Profile", id="profile"),
            Command("s", "settings", "Settings", id="settings"),
            Command("q", "app.quit_game", "Quit", id="menu-quit", show=False),
        ),
    ),
    "browser": Context(
        "Scenario browser",
        (
            Command("escape", "back", "Back", id="back"),
            Command("r", "reload", "Reload files", id="reload"),
        ),
    ),
    "briefing": Context(
        "Briefing",
        (
            Command("enter", "begin", "Begin", id="begin"),
            Command("escape", "back", "Back", id="back"),
            # Scrolling keys, not commands (see ``Command.movement``).
            Command("down", "scroll(1)", "Scroll down", show=False, movement=True),
            Command("up", "scroll(-1)", "Scroll up", show=False, movement=True),
            Command("pagedown", "scroll(10)", "Scroll a page down", show=False, movement=True),
            Command("pageup", "scroll(-10)", "Scroll a page up", show=False, movement=True),
        ),
    ),
    "dashboard": Context(
        "Dashboard",
        (
            # The footer must keep every key it shows at 80 columns: a short word for
            # Enter, and the last report and saving under a name (the game autosaves)
            # are left to help and the palette.
            Command("i", "plan", "Interventions", id="plan"),
            Command("enter", "play", "Play quarter", id="play", footer="Play"),
            Command("c", "charts", "Charts", id="charts"),
            Command("r", "last_report", "Last report", id="last-report", show=False),
            Command("ctrl+s", "app.save_as", "Save", id="save", show=False),
            Command("w", "app.rewind", "Rewind", id="rewind"),
            Command("escape", "menu", "Menu", id="menu"),
        ),
    ),
    "picker": Context(
        "Intervention picker",
        (
            Command("enter", "confirm", "Confirm", id="confirm", priority=True),
            Command("escape", "cancel", "Cancel", id="cancel"),
        ),
    ),
    "dilemma": Context(
        "Dilemma",
        (
            Command("1", "choose(0)", "First choice", id="choice-1"),
            Command("2", "choose(1)", "Second choice", id="choice-2"),
            Command("3", "choose(2)", "Third choice", id="choice-3", show=False),
            *BUTTON_MOVES,
            Command("escape", "back", "Not yet", id="not-yet"),
        ),
    ),
    "report": Context(
        "Quarter report",
        (
            Command("enter", "close", "Continue", id="continue"),
            Command("escape", "close", "Continue", show=False),
        ),
    ),
    "charts": Context(
        "Charts",
        (
            Command("escape", "back", "Back", id="charts-back"),
            Command("c", "back", "Close charts", id="charts-close", show=False),
        ),
    ),
    "debrief": Context(
        "Debrief",
        (
            Command("escape", "menu", "Main menu", id="debrief-menu"),
            Command("m", "menu", "Main menu", id="debrief-menu-m", show=False),
            Command("a", "play_again", "Play again", id="play-again"),
            Command("w", "app.rewind", "Rewind", id="debrief-rewind"),
            Command("n", "next_tab", "Next tab", id="next-tab"),
            Command("p", "previous_tab", "Previous tab", id="previous-tab", show=False),
            # The arrows too, where the focused pane does not use them.
            Command("right", "next_tab", "Next tab", id="next-tab-arrow", show=False),
            Command("left", "previous_tab", "Previous tab", id="previous-tab-arrow", show=False),
            # One per tab of game.screens.debrief.TABS, in its order.
            debrief_tab(1, "summary", "Summary"),
            debrief_tab(2, "charts", "Charts"),
            debrief_tab(3, "truth", "The truth"),
            debrief_tab(4, "turns", "Turning points"),
            debrief_tab(5, "lessons", "Lessons"),
            debrief_tab(6, "achievements", "Achievements"),
            debrief_tab(7, "whatif", "What if"),
        ),
    ),
    "profile": Context("Profile", (Command("escape", "back", "Back", id="profile-back"),)),
    "settings": Context(
        "Settings",
        (
            Command("escape", "back", "Back", id="settings-back"),
            Command("t", "focus_themes", "Theme", id="settings-theme"),
            Command("u", "toggle_unlock", "Unlock all", id="settings-unlock"),
        ),
    ),
    "help": Context(
        "Help (this screen)",
        (
            Command("escape", "close", "Close help", id="help-close"),
            Command("1", "show_tab('keys')", "Keys", id="help-keys", show=False),
            Command("2", "show_tab('glossary')", "Glossary", id="help-glossary", show=False),
            Command("3", "show_tab('model')", "How the model works", id="help-model", show=False),
            Command("4", "show_tab('play')", "How to play", id="help-play", show=False),
            Command("left", "step_tab(-1)", "Previous tab", id="help-previous", show=False),
            Command("right", "step_tab(1)", "Next tab", id="help-next", show=False),
        ),
    ),
    "load": Context(
        "Load",
        (
            Command("enter", "load", "Load", id="load", priority=True),
            Command("v", "replay", "Replay", id="replay"),
            Command("escape", "back", "Back", id="back"),
        ),
    ),
    "message": Context(
        "Messages", (Command("escape,enter", "close", "Close", show=False), *BUTTON_MOVES)
    ),
    "replay": Context(
        "Replay",
        (
            # Priority: the scrolling pane would take the arrows (and hide them from the
            # footer) otherwise.
            Command("left", "step(-1)", "Previous quarter", id="previous-quarter", priority=True),
            Command("right", "step(1)", "Next quarter", id="next-quarter", priority=True),
            Command("escape", "back", "Back", id="back-from-replay"),
        ),
    ),
    "rewind": Context("Rewind", (Command("escape", "cancel", "Cancel", id="cancel-rewind"),)),
    "save-as": Context("Save as", (Command("escape", "cancel", "Cancel", id="cancel-save"),)),
    "join": Context(
        "Joining a group session",
        (
            Command("enter", "join", "Join", id="join"),
            # Shown once in the footer, as ctrl+q everywhere.
            Command("escape", "quit", "Quit", id="join-quit", show=False),
        ),
    ),
    "facilitator": Context(
        "Facilitator's console",
        (
            Command("o", "open_round", "Open the round", id="open-round", footer="Open"),
            Command("x", "close_round", "Close the round", id="close-round", footer="Close"),
            Command("p", "pause", "Pause or resume", id="pause", footer="Pause"),
            Command("b", "broadcast", "Broadcast a message", id="broadcast", footer="Send"),
            Command("v", "reveal", "Reveal or hide the true figures", id="reveal", footer="Reveal"),
            Command("f", "projector", "Projector mode", id="projector", footer="Projector"),
            Command("e", "rename_team", "Rename the team", id="rename-team", show=False),
            Command("delete", "remove_team", "Remove the team", id="remove-team", show=False),
            Command("k", "reset_pin", "Reset the team's PIN", id="reset-pin", show=False),
            Command("a", "allow_takeover", "Allow a second client", id="takeover", show=False),
            # One per tab of game.screens.facilitator.console.TABS, in its order.
            Command("1", "show_tab('teams')", "Teams tab", id="tab-teams", show=False),
            Command("2", "show_tab('leaderboard')", "Leaderboard tab", id="tab-board", show=False),
            Command("3", "show_tab('charts')", "Charts tab", id="tab-charts", show=False),
            Command("4", "show_tab('adoption')", "Adoption tab", id="tab-adoption", show=False),
            Command("5", "show_tab('debrief')", "Class debrief tab", id="tab-debrief", show=False),
            Command("6", "show_tab('log')", "Log tab", id="tab-log", show=False),
        ),
    ),
    "prompt": Context(
        "Typing an answer", (Command("escape", "cancel", "Cancel", id="cancel-prompt"),)
    ),
    "confirm": Context(
        "Yes / no questions",
        (
            Command("y", "answer(True)", "Yes", show=False),
            Command("n,escape", "answer(False)", "No", show=False),
            *BUTTON_MOVES,
        ),
    ),
}


def bindings(context: str) -> list[Binding]:
    """The key bindings of a context, for a screen's (or the app's) ``BINDINGS``."""
    return [command.binding() for command in CONTEXTS[context].commands]


def help_bindings(context: str) -> list[Binding]:
    """The bindings help lists under a context: its commands, not its movement keys."""
    return [
        command.binding(full=True) for command in CONTEXTS[context].commands if not command.movement
    ]


def palette_commands(context: str | None) -> list[tuple[Command, bool]]:
    """The commands the palette offers on a screen of ``context``: its own, then the
    ones available everywhere, each action once. Each comes with True when it runs on
    the screen (False: on the app)."""
    offered: list[tuple[Command, bool]] = []
    seen: set[str] = set()
    sources = [(context, True), ("everywhere", False)] if context else [("everywhere", False)]
    for name, on_screen in sources:
        for command in CONTEXTS[name].commands:
            # "app.quit_game" on a screen and "quit_game" everywhere are one command.
            action = command.action.removeprefix("app.")
            if not command.description or command.movement or action in seen:
                continue
            seen.add(action)
            offered.append((command, on_screen))
    return offered
