"""``goingdark join``: the game as one team of a group session.

The same screens as the single-player game (briefing, dashboard, picker, dilemmas,
reports, debrief) with a ``RoomGameController`` behind them: decisions go to the
room and quarters are played when the facilitator closes each round. The join screen
stands where the main menu stands in the single-player game, so leaving the game
goes back to it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.timer import Timer

from engine.catalog import ScenarioEntry
from engine.rooms import Room, RoomError, RoomInfo
from game.app import GoingDarkApp
from game.controller.room import POLL_SECONDS, RoomGameController, TeamSeat
from game.messages import RoomChanged
from game.screens.confirm import ConfirmScreen, MessageScreen
from game.screens.join import JoinScreen
from game.widgets.room_bar import RoomBar

# Commands of the single-player game a room does not offer: hidden from the footer.
NOT_IN_A_ROOM = frozenset({"save_as", "rewind", "continue_game"})


class TeamApp(GoingDarkApp):
    """Join a room, then play its quarters in step with the other teams."""

    def __init__(
        self,
        code: str = "",
        *,
        team: str = "",
        pin: str = "",
        folder: Path | None = None,
        data_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
        client: str | None = None,
        allow_changed: bool = False,
    ):
        super().__init__(data_dir=data_dir)
        self.allow_changed = allow_changed  # join a room whose scenario file changed
        self.join_fields = (code, team, pin)
        self.rooms_folder = folder
        self.data_dir = data_dir
        self.clock = clock
        self.client = client or uuid.uuid4().hex  # tells this terminal from another
        self.room_info: RoomInfo | None = None
        self.poll_timer: Timer | None = None  # reads the room every second once joined

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # instead of the single-player game's main menu
        self.apply_saved_theme()
        code, team, pin = self.join_fields
        self.push_screen(JoinScreen(code, team, pin))
        self.check_size()

    # --- joining ----------------------------------------------------------------------------
    def join_room(self, code: str, team: str, pin: str) -> str | None:
        """Join (or rejoin) ``code`` as ``team``; the problem in words, or None."""
        try:
            room = Room.open(code, folder=self.rooms_folder, allow_changed=self.allow_changed)
            joined = room.join(team, pin, client=self.client)
        except RoomError as exc:
            return str(exc)
        self.stop_polling()  # joined before (the briefing's Back leads here): start afresh
        seat = TeamSeat(joined.name, pin, self.client)  # the name as the room spells it
        controller = RoomGameController(self, room, seat, data_dir=self.data_dir, clock=self.clock)
        self.controller = controller
        # Rebuilding the team's game replays its quarters: only once the model is ready.
        self.when_model_ready(lambda: self.take_seat(room, controller, joined.name))
        return None

    def take_seat(self, room: Room, controller: RoomGameController, name: str) -> None:
        """Rebuild the team's game and show it, then follow the room."""
        session = controller.resume()
        controller.follow_drafts(self.plan_on_screen)
        self.last_player = name
        self.room_info = controller.info
        self.poll_timer = self.set_interval(POLL_SECONDS, controller.poll)
        if session.quarter == 0 and controller.submitted is None:
            from game.screens.briefing import BriefingScreen

            entry = ScenarioEntry(path=room.path, builtin=False, scenario=session.scenario)
            self.push_screen(BriefingScreen(entry, seed=session.seed))
        else:
            controller.show_game()
        self.show_round()

    def plan_on_screen(self) -> tuple[list[str], dict[str, str]] | None:
        """The plan the team is making: the picker's ticks while it is open, else the
        dashboard's plan; None before the dashboard is up."""
        from game.screens.interventions import InterventionPicker

        controller = self.controller
        dashboard = controller.dashboard() if isinstance(controller, RoomGameController) else None
        if dashboard is None:
            return None
        top = self.screen
        # The picker's ticks once its cards are up (it may have been pushed just now).
        picking = isinstance(top, InterventionPicker) and bool(top.query("#cards"))
        planned = top.chosen() if picking else dashboard.planned
        return list(planned), dict(dashboard.choices)

    # --- following the room -----------------------------------------------------------------
    def on_room_changed(self, message: RoomChanged) -> None:
        self.room_info = message.info
        if message.refusal:
            self.stop_following(message.refusal)
            return
        for event in message.events:
            if event.kind == "broadcast":
                self.notify(event.text, title="From the facilitator", timeout=30)
        self.show_round()

    def stop_polling(self) -> None:
        """No more readings of the room by this app (until it joins again)."""
        if self.poll_timer is not None:
            self.poll_timer.stop()
            self.poll_timer = None

    def stop_following(self, reason: str) -> None:
        """This client may no longer play the team (``reason`` says why): say so, then
        close; the team's decisions stay in the room."""
        self.stop_polling()
        self.push_screen(
            MessageScreen("You can no longer play in this session", reason),
            lambda _: self.exit(0),
        )

    def show_round(self) -> None:
        """Keep the round's bar on the screen that is up (each screen gets its own)."""
        info = self.room_info
        screen = self.screen
        if info is None or not screen.is_attached:
            return  # not joined yet, or the screen is going
        bars = screen.query(RoomBar)
        if bars:
            bar = bars.first()
        else:
            bar = RoomBar()
            screen.mount(bar)
        bar.show_round(info, self.clock(), screen.size)

    # --- leaving ----------------------------------------------------------------------------
    def action_quit_to_menu(self) -> None:
        """In a room, leaving the game means closing it (rejoin later to carry on)."""
        self.action_quit_game()

    def leave_game_asking(self, title: str, yes: str, then) -> None:
        """Leave the room's game, asking first while it is under way."""
        controller = self.controller
        session = controller.session
        if (
            not isinstance(controller, RoomGameController)
            or session is None
            or session.is_over
            or controller.info.state == "finished"  # ended early: nothing to carry on
        ):
            controller.leave(then)
            return
        code = controller.room.code
        self.push_screen(
            ConfirmScreen(
                title,
                f"Your team's decisions are kept in the session. To carry on, run "
                f"goingdark join {code} and type the same team name and PIN.",
                yes=yes,
                no="Keep playing",
            ),
            lambda confirmed: controller.leave(then) if confirmed else None,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NOT_IN_A_ROOM and isinstance(self.controller, RoomGameController):
            return False  # not offered in a room: hidden from the footer
        return super().check_action(action, parameters)
