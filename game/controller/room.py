"""A team's game in a group session: ``RoomGameController``.

The second implementation of ``GameController`` (``game.controller.interface``). The
team's decisions go to the shared room (``engine.rooms``); the quarter is played only
when the facilitator closes the round, with whatever the room recorded for the team
(its final submission, else its last draft, else the defaults). So ``submit_quarter``
hands the plan in and answers much later: a poll of the room (every second, cheap
with SQLite's WAL) notices the close, plays the recorded decisions on the team's own
copy of the game (the same replay the room makes) and posts ``QuarterPlayed``.

Nothing here is kept on this machine: killing the app and joining again with the
code, the team's name and its PIN rebuilds the game from the room's log.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from engine.catalog import ScenarioEntry
from engine.errors import GoingDarkError
from engine.narrative import QuarterReport
from engine.progress import Progress
from engine.rooms import Decision, PinRefused, Room, RoomError, RoomEvent, RoomInfo
from engine.saves import saves_dir
from engine.session import GameSession
from game.controller.interface import Capabilities
from game.controller.room_seat import TeamSeat, ask_new_pin, pin_changed_words
from game.controller.room_words import closed_rounds, defaulted_words, early_end_words
from game.messages import QuarterFailed, QuarterPlayed, QuarterSubmitted, RoomChanged

ROOM_WORKER = "room-quarter"  # the worker group of a closed round being played here
# How often the room is read. Every reading is also a heartbeat: the room frees a
# silent team's seat after a few seconds (engine.rooms.records.SEAT_FREE_AFTER), so a
# screen that crashed is replaced at once, while one that polls keeps its seat.
POLL_SECONDS = 1.0
NO_DRAFT: tuple[tuple[str, ...], tuple[tuple[str, str], ...]] = ((), ())


def play_recorded(session: GameSession, decision: Decision):
    """Play the quarter ``decision`` holds on ``session`` (the room's own replay of it)."""
    return session.play(decision.interventions, decision.answers)


def rebuild(room: Room, team: str) -> GameSession:
    """The team's own copy of its game, replayed from the room's log of closed rounds
    (the room's cached game is shared and must not be played on)."""
    session = GameSession(room.scenario(), seed=room.info().seed, player=team)
    for decision in sorted(room.decisions(team), key=lambda d: d.quarter):
        play_recorded(session, decision)
    return session


class RoomGameController:
    """A team's game, played in lock-step with the other teams of a room."""

    capabilities = Capabilities(
        can_save_as=False,
        can_rewind=False,
        can_load=False,
        names_player=False,
        can_play_again=False,
        has_main_menu=False,
    )

    def __init__(
        self,
        app: App,
        room: Room,
        seat: TeamSeat,
        *,
        data_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.app = app
        self.room = room
        self.seat = seat
        self.clock = clock
        self.progress = Progress.load(data_dir)  # the theme; a room game earns no stars
        self.saves_folder = saves_dir(None)
        self.info: RoomInfo = room.info()
        self.submitted: Decision | None = None  # this round's final submission, if any
        # The plan last kept as a draft; an empty plan is never kept (a team with no
        # plan gets the defaults at the close anyway).
        self.last_draft: tuple[tuple[str, ...], tuple[tuple[str, str], ...]] = NO_DRAFT
        self.last_event = 0  # the room's events shown so far
        self._session: GameSession | None = None
        self._reply_to: MessagePump | None = None
        self._playing = False  # a closed round is being played in a worker
        # The report of a round that closed while no dashboard was open (the team was
        # still reading the briefing): shown as soon as the dashboard opens.
        self.unseen_report: QuarterReport | None = None
        self.ended_shown = False  # the early end of the session was shown
        self.asking_pin = False  # the new PIN is being asked for
        self.refused = False  # the room refused this client: it follows no more
        self.pin_declined = False  # asked once while drafting; asked again at submission
        self._draft_source: Callable[[], tuple[list[str], dict[str, str]] | None] | None = None

    # --- the interface ---------------------------------------------------------------------
    @property
    def session(self) -> GameSession | None:
        """The team's game, or None before it is rebuilt."""
        return self._session

    @property
    def forecasts_enabled(self) -> bool:
        """Forecasts follow the room's setting (and the scenario's)."""
        session = self._session
        return self.info.forecasts and (session is None or session.scenario.meta.forecasts)

    @property
    def busy(self) -> bool:
        """True while a closed round is being played on this machine."""
        return self._playing

    def start(self, entry: ScenarioEntry, seed: int | None, player: str = "") -> None:
        """The briefing's Begin: the team's game is the room's (its scenario, seed and
        team name), so show it as it stands."""
        self.show_game()

    def show_game(self) -> None:
        """The team's dashboard, with this round's submission back on it (a rejoin), or
        its debrief once every quarter is played."""
        from game.screens.dashboard import Dashboard

        session = self._session
        assert session is not None
        if session.is_over:
            self.finish()
            return
        if self.ended_early():
            self.finish_early()
            return
        dashboard = Dashboard(session)
        submitted = self.submitted
        if submitted is not None:
            dashboard.planned = list(submitted.interventions)
            dashboard.choices = dict(submitted.answers)
        self.app.switch_to_fresh(dashboard)
        if submitted is not None:
            dashboard.post_message(QuarterSubmitted(self.waiting_words()))
        if self.unseen_report is not None:
            dashboard.post_message(QuarterPlayed(self.unseen_report))
            self.unseen_report = None

    def resume(self) -> GameSession:
        """Rebuild the team's game from the room (joining, or rejoining after a crash)
        and pick up this round's submission, so the team continues where it was."""
        self._session = rebuild(self.room, self.seat.team)
        self.info = self.room.info()
        self.last_event = max((e.id for e in self.room.events()), default=0)
        self.submitted = self.final_submission()
        return self._session

    def final_submission(self) -> Decision | None:
        """The team's final submission for the round being decided, if it made one."""
        if self.info.state not in ("open", "paused"):
            return None
        return self.room.submission(self.seat.team, self.info.quarter)

    def submit_quarter(
        self, interventions: Sequence[str], choices: Mapping[str, str], reply_to: MessagePump
    ) -> None:
        """Hand the plan in as this round's final submission (replacing an earlier one);
        ``reply_to`` hears ``QuarterSubmitted`` now and ``QuarterPlayed`` at the close."""
        session = self._session
        assert session is not None
        try:
            self.submitted = self.room.submit(
                self.seat.team,
                self.seat.pin,
                session.quarter + 1,
                list(interventions),
                dict(choices),
            )
        except PinRefused:
            self.ask_for_pin(
                lambda: self.submit_quarter(interventions, choices, reply_to),
                lambda: reply_to.post_message(QuarterFailed(pin_changed_words(self.seat))),
            )
            return
        except RoomError as exc:
            reply_to.post_message(QuarterFailed(str(exc)))
            return
        self._reply_to = reply_to
        reply_to.post_message(QuarterSubmitted(self.waiting_words()))

    def ask_for_pin(self, then: Callable[[], None], cancelled: Callable[[], None]) -> None:
        """The room refused this team's PIN: ask for the new one (once at a time), then
        go on with ``then``, or ``cancelled`` when the team steps back."""
        if self.asking_pin:
            return
        self.asking_pin = True

        def answered(seat: TeamSeat | None) -> None:
            self.asking_pin = False
            if seat is None:
                cancelled()
                return
            self.seat = seat
            then()

        ask_new_pin(self.app, self.room, self.seat, answered)

    def waiting_words(self) -> str:
        """What the team reads while its submission waits for the close."""
        quarter = self._session.quarter + 1 if self._session else self.info.quarter
        return (
            f"Submitted — waiting for the facilitator to close quarter {quarter} "
            "(you can still change your plan)."
        )

    def finish(self) -> None:
        """The last round is closed: show the team's debrief."""
        from game.screens.debrief import DebriefScreen

        assert self._session is not None and self._session.is_over
        self._session.recorded = True  # a room's game enters no high-score table
        self.app.switch_to_fresh(DebriefScreen(self._session))

    def ended_early(self) -> bool:
        """Whether the facilitator ended the session (``goingdark session close``) before
        its last quarter, and this team's game has played every quarter that was closed."""
        session = self._session
        return (
            self.info.state == "finished"
            and session is not None
            and not session.is_over
            and session.quarter == closed_rounds(self.info)
        )

    def finish_early(self) -> None:
        """The session was ended early: show the debrief of the quarters played, saying
        so (or, with none played, a message), instead of waiting for rounds to come."""
        from game.screens.confirm import MessageScreen
        from game.screens.debrief import DebriefScreen

        session = self._session
        assert session is not None
        self.ended_shown = True
        session.recorded = True  # a room's game enters no high-score table
        if session.quarter == 0:
            self.app.push_screen(
                MessageScreen(
                    "Session over",
                    "The facilitator ended the session before any quarter was played.",
                )
            )
            return
        self.app.switch_to_fresh(DebriefScreen(session, note=early_end_words(self.info)))

    def leave(self, then: Callable[[], None]) -> None:
        """Everything is in the room already: say goodbye to it and go."""
        try:
            self.room.disconnect(self.seat.team, self.seat.client)
        except RoomError as exc:
            self.app.notify(str(exc), severity="warning")
        then()

    def forget(self) -> None:
        """No game until the team joins again."""
        self._session = None

    def save_as(self) -> None:
        """Not offered: the room keeps the game."""
        self.app.notify("In a group session the game is kept by the session, not saved.")

    def rewind(self) -> None:
        """Not offered: every team plays the same quarters in step."""
        self.app.notify("A group session cannot be rewound: every team plays in step.")

    def continue_last(self) -> None:
        """Not offered: rejoin with the code, name and PIN instead."""
        self.save_as()

    def load(self, path: Path) -> None:
        """Not offered (see ``continue_last``)."""
        self.save_as()

    def replay(self, path: Path) -> None:
        """Not offered (see ``continue_last``)."""
        self.save_as()

    def save_progress(self) -> bool:
        """Keep the theme the team picked; a failure is reported, never fatal."""
        try:
            self.progress.save()
        except OSError as exc:
            self.app.notify(f"Your settings could not be saved: {exc}", severity="error")
            return False
        return True

    # --- following the room ------------------------------------------------------------------
    def follow_drafts(self, source: Callable[[], tuple[list[str], dict[str, str]] | None]) -> None:
        """Read the plan being made from ``source`` at every poll and keep it in the room
        as the team's draft (used at the close if the team never submits)."""
        self._draft_source = source

    def poll(self) -> None:
        """Read the room: heartbeat, the draft, new events, and a round that closed. A
        refusal (another screen took the team over, the team was removed) ends the
        following and is reported as ``RoomChanged`` with its reason, once: a reading
        already under way when the app stopped its timer must not report a second,
        different refusal (a removed team's next heartbeat finds no team)."""
        if self.refused:
            return
        try:
            self.follow()
        except RoomError as exc:
            self.refused = True
            self.app.post_message(RoomChanged(self.info, [], refusal=str(exc)))

    def follow(self) -> None:
        """One reading of the room (see ``poll``)."""
        events = self.room.events(self.last_event)  # first: a rename changes the seat
        if events:
            self.last_event = events[-1].id
            self.follow_seat_changes(events)
        now = self.clock()
        self.room.heartbeat(self.seat.team, self.seat.client)
        # A round past its deadline closes even while no console runs (whoever notices
        # first closes it, once).
        self.room.close_if_due(now)
        self.info = self.room.info()
        self.app.post_message(RoomChanged(self.info, events))
        session = self._session
        if session is None or self._playing:
            return
        if self.ended_early() and not self.ended_shown and not self.report_open():
            self.finish_early()
        elif closed_rounds(self.info) > session.quarter:
            self.play_closed_round(session)
        elif self.info.state == "open" and self.submitted is None:
            self.store_draft(session)

    def follow_seat_changes(self, events: Sequence[RoomEvent]) -> None:
        """Carry on under the new name when the facilitator renamed this team (the room
        logs the old name and the new one); RoomError with the room's words when the
        facilitator removed it."""
        for event in events:
            if event.kind == "removed" and event.team == self.seat.team:
                raise RoomError(event.text)
            if event.kind == "renamed" and event.old_team == self.seat.team and event.team:
                self.seat = replace(self.seat, team=event.team)
                if self._session is not None:
                    self._session.player = event.team

    def store_draft(self, session: GameSession) -> None:
        """Keep the plan on screen as the team's draft, when it changed (a one-second
        debounce: the poll's pace)."""
        drafted = self._draft_source() if self._draft_source else None
        if drafted is None:
            return
        interventions, answers = drafted
        key = (tuple(interventions), tuple(sorted(answers.items())))
        if key == self.last_draft:
            return
        self.last_draft = key
        try:
            self.room.submit(
                self.seat.team,
                self.seat.pin,
                session.quarter + 1,
                interventions,
                answers,
                draft=True,
            )
        except PinRefused:
            # The facilitator reset the PIN: ask for it, then keep the draft at a poll.
            self.last_draft = NO_DRAFT
            if not self.pin_declined:
                self.ask_for_pin(lambda: None, self.decline_pin)
        except RoomError:
            # A plan not yet valid (over budget, say) stays on screen; the picker says
            # why. The last valid draft is kept in the room meanwhile.
            return

    def decline_pin(self) -> None:
        """The team stepped back from the PIN question while drafting: drafts stop
        until it submits (which asks again)."""
        self.pin_declined = True

    def play_closed_round(self, session: GameSession) -> None:
        """The facilitator closed the round: play what the room recorded for the team."""
        quarter = session.quarter + 1
        recorded = [d for d in self.room.decisions(self.seat.team) if d.quarter == quarter]
        if not recorded:
            return  # the close is being written; the next poll sees it
        decision = recorded[-1]
        self._playing = True
        self.app.run_worker(
            lambda: (decision, play_recorded(session, decision)),
            name="play closed round",
            group=ROOM_WORKER,
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The closed round was played here: tell the screen that asked, or the
        dashboard of a team that never submitted."""
        if event.worker.group != ROOM_WORKER or not event.worker.is_finished:
            return
        self._playing = False
        reply_to = self._reply_to or self.dashboard()
        self._reply_to, self.submitted, self.last_draft = None, None, NO_DRAFT
        if event.state == WorkerState.SUCCESS:
            decision, report = event.worker.result
            if decision.source != "team":
                words = defaulted_words(decision, self._session)
                self.app.notify(words, severity="warning", timeout=15)
            if reply_to is not None:
                self.back_to(reply_to)
                reply_to.post_message(QuarterPlayed(report))
            else:
                self.unseen_report = report
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            text = (
                str(error)
                if isinstance(error, GoingDarkError)
                else f"Something went wrong while playing the quarter: {error!r}"
            )
            if reply_to is not None:
                reply_to.post_message(QuarterFailed(text))

    def report_open(self) -> bool:
        """Whether a quarter's report is on screen (the early end waits for it to close)."""
        from game.screens.report import QuarterReportScreen

        return any(isinstance(screen, QuarterReportScreen) for screen in self.app.screen_stack)

    def dashboard(self) -> MessagePump | None:
        """The dashboard in the app's screens, if one is open."""
        from game.screens.dashboard import Dashboard

        for screen in self.app.screen_stack:
            if isinstance(screen, Dashboard):
                return screen
        return None

    def back_to(self, screen: MessagePump) -> None:
        """Close the dialogs above ``screen`` (a picker or dilemma of a quarter that is
        no longer coming), so the report opens over the dashboard."""
        while self.app.screen is not screen and len(self.app.screen_stack) > 2:
            if screen not in self.app.screen_stack:
                return
            self.app.pop_screen()
