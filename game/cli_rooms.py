"""``goingdark join`` and ``goingdark facilitate``: the two apps of a group session.

The parser's part is light; the room store and Textual are imported only when a
command runs, so ``goingdark --help`` stays instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK = 0
CHANGED_HELP = "open a session whose scenario file changed since it was made"
SESSIONS_HELP = (
    "where group sessions live (default: $GOINGDARK_HOME/sessions, or the sessions folder "
    "of your user data folder)"
)


def add_room_commands(commands) -> None:
    """The two apps of a group session: a team's game and the facilitator's console."""
    join = commands.add_parser(
        "join",
        help="play as a team of a group session",
        description="Join a group session with the code your facilitator gave you, as a "
        "team (asked for its name and PIN), and play its quarters in step with the other "
        "teams. Rejoin the same way, with the same name and PIN, to carry on.",
    )
    join.add_argument("code", metavar="CODE", nargs="?", default="", help="the session's code")
    join.add_argument("--team", metavar="NAME", default="", help="your team's name")
    join.add_argument("--sessions", type=Path, metavar="DIR", help=SESSIONS_HELP)
    join.add_argument("--allow-changed-scenario", action="store_true", help=CHANGED_HELP)
    facilitate = commands.add_parser(
        "facilitate",
        help="open the facilitator's console of a group session",
        description="Run a group session: see the teams, open and close rounds, broadcast "
        "messages, show the leaderboard and the class debrief.",
    )
    facilitate.add_argument("code", metavar="CODE", help="the session's code")
    facilitate.add_argument("--sessions", type=Path, metavar="DIR", help=SESSIONS_HELP)
    facilitate.add_argument("--allow-changed-scenario", action="store_true", help=CHANGED_HELP)


def join(args: argparse.Namespace) -> int:
    """``goingdark join``: the team's app (it asks for what was not given)."""
    from game.team_app import TeamApp

    app = TeamApp(
        args.code,
        team=args.team,
        folder=args.sessions,
        allow_changed=args.allow_changed_scenario,
    )
    from engine import processes

    processes.start()  # the debrief's what-ifs (before the app captures stderr)
    return app.run() or EXIT_OK


def facilitate(args: argparse.Namespace) -> int:
    """``goingdark facilitate``: the console of one room, once it opens (a room that
    cannot be opened is a user error, printed by ``main``)."""
    from game.cli_session import open_room
    from game.facilitator_app import FacilitatorApp

    return FacilitatorApp(open_room(args)).run() or EXIT_OK


ROOM_COMMANDS = {"join": join, "facilitate": facilitate}
