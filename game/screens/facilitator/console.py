"""The facilitator's console: the room's teams, round, leaderboard, charts and debrief.

Everything shown is read from the room (``engine.rooms.Room``) once a second, and
every action is one call on the room: the console keeps no state of its own, so it
may be closed and started again at any time without disturbing the round. It also
closes a round whose deadline has passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from engine.presentation import METRIC_PRESENTATION
from engine.rooms import Room, RoomError, RoomEvent, RoomInfo, Standing, TeamInfo
from engine.rooms.class_debrief import room_debrief
from game.commands import bindings
from game.screens.confirm import ConfirmScreen
from game.screens.facilitator.class_debrief import class_debrief_content
from game.screens.facilitator.projector import ProjectorView
from game.screens.facilitator.results import RoomResults, read_results
from game.screens.facilitator.tables import (
    adoption_legend,
    adoption_rows,
    board_header,
    board_rows,
    roster_rows,
)
from game.screens.facilitator.team_charts import TEAM_CHART_METRICS
from game.screens.prompt import PromptScreen
from game.widgets.metric_chart import MetricChart
from game.widgets.room_bar import round_words

# The keys that act on the round in progress.
ROUND_ACTIONS = frozenset({"open_round", "close_round", "pause"})

# (pane id, tab label), in the order of the number keys (game.commands "facilitator").
TABS = (
    ("teams", "Teams"),
    ("leaderboard", "Leaderboard"),
    ("charts", "Charts"),
    ("adoption", "Adoption"),
    ("debrief", "Class debrief"),
    ("log", "Log"),
)
REFRESH_SECONDS = 1.0


def submitted_words(teams: list[TeamInfo]) -> str:
    """How many teams have handed in this round: ``2 of 3 submitted``."""
    done = sum(team.status == "submitted" for team in teams)
    return f"{done} of {len(teams)} submitted"


def log_line(event: RoomEvent) -> str:
    """One event as the Log tab shows it: a broadcast is the facilitator's own words,
    so it says it was sent, not just what it said."""
    if event.kind == "broadcast":
        return f"Sent to every team: {event.text}"
    return event.text


def closed_words(quarter: int, defaulted: list[str]) -> str:
    """What closing a round did, from the names the room defaulted."""
    if not defaulted:
        return f"Quarter {quarter} closed: every team had submitted."
    teams = "team" if len(defaulted) == 1 else "teams"
    return f"Quarter {quarter} closed: {len(defaulted)} {teams} defaulted ({', '.join(defaulted)})."


class FacilitatorConsole(Screen):
    """One room, watched and run from here."""

    CSS_PATH = "../../styles/facilitator.tcss"
    COMMAND_CONTEXT = "facilitator"
    BINDINGS = bindings(COMMAND_CONTEXT)

    def __init__(self, room: Room, *, clock: Callable[[], float] = time.time):
        super().__init__()
        self.room = room
        self.clock = clock
        self.info: RoomInfo = room.info()
        self.teams: list[TeamInfo] = []
        self.standings: list[Standing] = []
        self.last_event = 0  # the room's events already in the log
        self.log_lines: list[str] = []
        self.debrief_of = -1  # the last event the class debrief includes

    def compose(self) -> ComposeResult:
        yield Static(id="console-title")
        with TabbedContent(id="console-tabs"):
            with TabPane(TABS[0][1], id="teams"):
                yield DataTable(id="roster", cursor_type="row", zebra_stripes=True)
                yield Static(id="roster-note")
            with TabPane(TABS[1][1], id="leaderboard"):
                yield Static(id="reveal-note")
                yield DataTable(id="board", cursor_type="row", zebra_stripes=True)
            with TabPane(TABS[2][1], id="charts"), VerticalScroll(id="team-charts"):
                currency = self.room.scenario().company.currency
                for metric in TEAM_CHART_METRICS:
                    yield MetricChart(
                        quarters=self.info.quarters,
                        currency=currency,
                        reveal=True,
                        id=f"chart-{metric}",
                        classes="team-chart",
                    )
            with TabPane(TABS[3][1], id="adoption"), VerticalScroll():
                yield DataTable(id="adoption-grid", cursor_type="none")
                yield Static(id="adoption-legend")
            with TabPane(TABS[4][1], id="debrief"), VerticalScroll(classes="pane"):
                yield Static(id="class-debrief")
            with TabPane(TABS[5][1], id="log"), VerticalScroll(classes="pane"):
                yield Static(id="room-log")
        yield ProjectorView(id="projector")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#roster", DataTable).add_columns("Team", "Status", "Last seen", "Played")
        for metric in TEAM_CHART_METRICS:
            chart = self.query_one(f"#chart-{metric}", MetricChart)
            chart.border_title = f"{METRIC_PRESENTATION[metric].chart_label}, team by team"
        self.refresh_room(full=True)
        self.query_one("#roster", DataTable).focus()  # the arrows pick a team at once
        self.set_interval(REFRESH_SECONDS, self.refresh_room)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once the session is over, its rounds can no longer be opened, closed or
        paused: those keys leave the footer."""
        return not (action in ROUND_ACTIONS and self.info.state == "finished")

    # --- reading the room --------------------------------------------------------------------
    def refresh_room(self, full: bool = False) -> None:
        """Read the room again: close a round that is due, then show what changed (the
        leaderboard, charts and grid only when the room logged something new)."""
        now = self.clock()
        if self.room.close_if_due(now):
            self.notify(f"Quarter {self.info.quarter} closed at its deadline.")
        self.info = self.room.info()
        self.teams = self.room.teams()
        events = self.room.events(self.last_event)
        if events:
            self.last_event = events[-1].id
            self.log_lines.extend(log_line(event) for event in events)
        self.show_title(now)
        self.show_roster(now)
        if events or full:
            self.refresh_bindings()  # the round's keys follow its state
            self.show_results()
        self.query_one(ProjectorView).show(
            self.info, now, self.standings, submitted_words(self.teams)
        )

    def show_title(self, now: float) -> None:
        info = self.info
        parts = [f"Session {info.code}", info.name or info.scenario_title, round_words(info, now)]
        if info.state in ("open", "paused"):
            parts.append(submitted_words(self.teams))
        self.query_one("#console-title", Static).update("  ·  ".join(parts))

    def show_roster(self, now: float) -> None:
        table = self.query_one("#roster", DataTable)
        rows = roster_rows(self.teams, now)
        selected = self.selected_team()
        table.clear()
        for row in rows:
            table.add_row(*row, key=row[0])
        if selected in {row[0] for row in rows}:
            table.move_cursor(row=table.get_row_index(selected))
        note = self.query_one("#roster-note", Static)
        note.display = not rows
        note.update(f"No team has joined yet. Teams join with:  goingdark join {self.room.code}")

    def show_results(self) -> None:
        """Bring the leaderboard, charts, adoption grid, class debrief and log up to date
        (the results are read in a worker: a close makes the leaderboard replay)."""
        self.query_one("#room-log", Static).update("\n".join(self.log_lines) or "Nothing yet.")
        self.debrief_of = -1  # the class debrief is out of date
        self.show_class_debrief()
        self.load_results()

    @work(thread=True, exclusive=True, group="room-results", exit_on_error=False)
    def load_results(self) -> None:
        """Read the room's results, then show them on the app's thread."""
        results = read_results(self.room)
        self.app.call_from_thread(self.show_loaded, results)

    def show_loaded(self, results: RoomResults) -> None:
        """Show results read by ``load_results``."""
        info, scenario = results.info, results.scenario
        self.standings = results.standings
        board = self.query_one("#board", DataTable)
        board.clear(columns=True)
        board.add_columns(*board_header(self.standings))
        for row in board_rows(self.standings, scenario.company.currency):
            board.add_row(*row)
        self.query_one("#reveal-note", Static).update(
            "True figures shown (v hides them)."
            if info.reveal
            else "The teams' figures, as they see them. v reveals the true ones."
        )
        for metric, chart in results.charts.items():
            shown = self.query_one(f"#chart-{metric}", MetricChart)
            shown.reveal = info.reveal
            shown.chart = chart
        grid = self.query_one("#adoption-grid", DataTable)
        grid.clear(columns=True)
        grid.add_columns("Team", *(f"Q{q}" for q in range(1, info.quarters + 1)))
        for row in adoption_rows(results.teams, results.decisions, info.quarters, scenario):
            grid.add_row(*row)
        self.query_one("#adoption-legend", Static).update(adoption_legend(scenario))
        self.query_one(ProjectorView).show(
            self.info, self.clock(), self.standings, submitted_words(self.teams)
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The console's readings run in workers that do not stop the app on an error:
        # say what went wrong; the next reading tries again.
        if event.state == WorkerState.ERROR:
            self.notify(f"The room could not be read: {event.worker.error}", severity="error")

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.show_class_debrief()

    def show_class_debrief(self) -> None:
        """Work out the class debrief (it replays what-ifs: a worker) when its tab is
        up and the room changed since it was last worked out."""
        if self.query_one(TabbedContent).active != "debrief" or self.debrief_of == self.last_event:
            return
        self.debrief_of = self.last_event
        self.query_one("#class-debrief", Static).update("Working out the class debrief…")
        self.build_class_debrief()

    @work(thread=True, exclusive=True, group="class-debrief", exit_on_error=False)
    def build_class_debrief(self) -> None:
        """The class debrief of the room's teams (in a thread: it replays what-ifs)."""
        content = class_debrief_content(room_debrief(self.room))
        self.app.call_from_thread(self.query_one("#class-debrief", Static).update, content)

    def selected_team(self) -> str | None:
        """The team under the roster's cursor, if any."""
        table = self.query_one("#roster", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    # --- acting on the room ------------------------------------------------------------------
    def attempt(self, action: Callable[[], object], done: str = "") -> None:
        """Run one room call; say ``done``, or the room's reason when it refused."""
        try:
            action()
        except RoomError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        if done:
            self.notify(done)
        self.refresh_room(full=True)

    def action_open_round(self) -> None:
        self.attempt(self.room.open_round, f"Quarter {self.info.quarter} is open.")

    def action_close_round(self) -> None:
        quarter = self.info.quarter
        try:
            defaulted = self.room.close_round()
        except RoomError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.notify(closed_words(quarter, defaulted))
        self.refresh_room(full=True)

    def action_pause(self) -> None:
        if self.info.state == "paused":
            self.attempt(self.room.resume, "The round goes on.")
        else:
            self.attempt(self.room.pause, "The round is paused: submissions wait.")

    def action_broadcast(self) -> None:
        def send(text: str | None) -> None:
            if text:
                self.attempt(lambda: self.room.broadcast(text), "Sent to every team.")

        self.app.push_screen(PromptScreen("Broadcast", "A message for every team's screen:"), send)

    def action_reveal(self) -> None:
        reveal = not self.info.reveal
        self.attempt(
            lambda: self.room.set_reveal(reveal),
            "True figures revealed." if reveal else "True figures hidden again.",
        )

    def action_projector(self) -> None:
        self.toggle_class("-projector")

    def team_or_say(self) -> str | None:
        """The selected team, or None after saying that there is none."""
        team = self.selected_team()
        if team is None:
            self.notify("No team has joined yet.", severity="warning")
        return team

    def action_rename_team(self) -> None:
        old = self.team_or_say()
        if old is None:
            return

        def rename(new: str | None) -> None:
            if new and new != old:
                self.attempt(lambda: self.room.rename_team(old, new), f"{old} is now {new}.")

        self.app.push_screen(
            PromptScreen("Rename a team", f"A new name for {old}:", old, max_length=40), rename
        )

    def action_remove_team(self) -> None:
        team = self.team_or_say()
        if team is None:
            return

        def remove(yes: bool | None) -> None:
            if yes:
                self.attempt(lambda: self.room.remove_team(team), f"{team} was removed.")

        self.app.push_screen(
            ConfirmScreen(
                "Remove a team",
                f"Remove {team} from the session? Its decisions stay in the log.",
                yes="Remove",
                no="Keep",
            ),
            remove,
        )

    def action_reset_pin(self) -> None:
        team = self.team_or_say()
        if team is None:
            return

        def reset(pin: str | None) -> None:
            if pin:
                self.attempt(lambda: self.room.reset_pin(team, pin), f"{team}'s PIN was changed.")

        self.app.push_screen(
            PromptScreen("Reset a PIN", f"The new PIN for {team}:", password=True, max_length=12),
            reset,
        )

    def action_allow_takeover(self) -> None:
        team = self.team_or_say()
        if team is not None:
            self.attempt(
                lambda: self.room.allow_takeover(team),
                f"{team} may now join from another terminal.",
            )

    def action_show_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
