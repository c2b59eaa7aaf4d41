"""Group-session benchmark: closing a round and refreshing the leaderboard for 30 teams,
against a reference measured in the same run.

A session of fine-on-paper (8 quarters) with 30 teams, each submitting a plan of its
own every quarter. Timed: closing the round (the facilitator's console, its games
kept), the same by a console just restarted (no games kept), a restarted console
closing the last round when 24 of 30 teams did not submit (their pending dilemmas
noted in the file, as the console's leaderboard leaves them; and, for comparison,
with nothing noted, so every defaulted game is replayed), a team's process
rebuilding its game after the close (one new quarter), the leaderboard refresh
right after a close (every team's new quarter played on its kept game) and a refresh
with nothing new. The reference is one plain quarter of one game, so the ratios say
what the session machinery costs beyond the model.

    python benchmarks/rooms.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.rooms import Room  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.session import GameSession  # noqa: E402

SCENARIO = "fine-on-paper"
TEAMS = 30
CLOSE_TARGET = 1.0  # issue 11: close a round for 30 teams
REFRESH_TARGET = 0.1  # issue 11: a leaderboard refresh for 30 teams
PLANS = ([], ["thank-you"], ["check-in-calls"], ["thank-you", "check-in-calls"])


def one_plain_quarter() -> float:
    """Seconds of one quarter of one game: a whole game's time over its quarters, the
    median of a few games (quarters late in a game cost more than early ones)."""
    scenario = load_scenario(SCENARIO)
    GameSession(scenario).play()  # warm up
    times = []
    for _ in range(7):
        start = time.perf_counter()
        game = GameSession(scenario)
        for _ in range(scenario.meta.quarters):
            game.play()
        times.append((time.perf_counter() - start) / scenario.meta.quarters)
    return statistics.median(times)


def many_defaulted_restarted_closes() -> tuple[float, float]:
    """Seconds to close the last round of a session where 24 of 30 teams did not submit,
    by a console restarted just before: as the game runs it (the console's leaderboard
    refreshed after every close, which notes each team's pending dilemmas), and with
    nothing noted (every defaulted team's game replayed)."""
    times = []
    for refreshed in (True, False):
        folder = Path(tempfile.mkdtemp(prefix="rooms-benchmark-"))
        room = Room.create(SCENARIO, folder=folder)
        names = [f"Team {number:02d}" for number in range(1, TEAMS + 1)]
        for name in names:
            room.join(name, "1234", client=name)
        quarters = room.info().quarters
        for quarter in range(1, quarters + 1):
            room.open_round()
            if quarter == quarters:
                break
            for name in names:
                room.submit(name, "1234", quarter, [], {})
            room.close_round()
            if refreshed:
                room.standings()
        for name in names[:6]:
            room.submit(name, "1234", quarters, [], {})
        restarted = Room.open(room.code, folder=folder)
        times.append(timed(restarted.close_round))
        restarted.close()
    return times[0], times[1]


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="rooms-benchmark-"))
    room = Room.create(SCENARIO, folder=folder)
    names = [f"Team {number:02d}" for number in range(1, TEAMS + 1)]
    for name in names:
        room.join(name, "1234", client=name)
    # A team's own process: its Room object, its game kept from the quarter before.
    team_side = Room.open(room.code, folder=folder)
    team_side.game(names[0])  # its scenario read and game started when it joined
    closes, refreshes_new, refreshes_same, cold_closes, team_sees = [], [], [], [], []
    quarters = room.info().quarters
    for quarter in range(1, quarters + 1):
        room.open_round()
        for number, name in enumerate(names):
            plan = PLANS[(number + quarter) % len(PLANS)]
            game = room.game(name)
            affordable = plan if game.cost_of(plan) <= game.budget else []
            # Every fifth team never submits: it is defaulted at the close.
            if number % 5:
                room.submit(name, "1234", quarter, affordable, {})
        if quarter % 2:
            closes.append(timed(room.close_round))
        else:
            restarted = Room.open(room.code, folder=folder)
            cold_closes.append(timed(restarted.close_round))
            restarted.close()
        team_sees.append(timed(lambda: team_side.game(names[0])))
        refreshes_new.append(timed(room.standings))
        refreshes_same.append(timed(room.standings))
    many_noted, many_replayed = many_defaulted_restarted_closes()
    reference = one_plain_quarter()

    def line(label: str, times: list[float], target: float | None) -> None:
        worst = max(times)
        goal = f"  (target {target * 1000:.0f} ms)" if target else ""
        print(
            f"  {label:<34} median {statistics.median(times) * 1000:7.1f} ms, worst "
            f"{worst * 1000:7.1f} ms = {worst / reference:6.1f} plain quarters{goal}"
        )

    print(f"{SCENARIO}: {TEAMS} teams x {quarters} quarters, 1 team in 5 defaulted each round")
    print(f"  reference: one plain quarter of one game {reference * 1000:.1f} ms")
    line("close a round (console's games kept)", closes, CLOSE_TARGET)
    line("close a round (console restarted)", cold_closes, CLOSE_TARGET)
    line("close, 24 defaulted, restarted", [many_noted], CLOSE_TARGET)
    line("the same with nothing noted", [many_replayed], None)
    line("a team's game after the close", team_sees, None)
    line("leaderboard just after a close", refreshes_new, None)
    line("leaderboard refresh, nothing new", refreshes_same, REFRESH_TARGET)
    print(
        f"  after a close the leaderboard plays {TEAMS} new quarters: "
        f"median {statistics.median(refreshes_new) / (TEAMS * reference):.2f} x the time of "
        f"{TEAMS} plain quarters"
    )
    slowest = team_sees.index(max(team_sees)) + 1
    print(
        "  a team's screen shows the new quarter its poll interval (about 1 s) plus "
        f"{statistics.median(team_sees) * 1000:.0f} ms after the close (worst "
        f"{max(team_sees) * 1000:.0f} ms, after round {slowest}; target 1 s)"
    )


if __name__ == "__main__":
    main()
