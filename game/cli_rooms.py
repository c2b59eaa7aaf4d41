"""``goingdark join`` and ``goingdark facilitate``: the two apps of a group session.

The parser's part is light; the room store and Textual are imported only when a
command runs, so ``goingdark --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_USER_ERROR = 0, 1
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
    facilitate = commands.add_parser(
        "facilitate",
        help="open the facilitator's console of a group session",
        description="Run a group session: see the teams, open and close rounds, broadcast "
        "messages, show the leaderboard and the class debrief.",
    )
    facilitate.add_argument("code", metavar="CODE", help="the session's code")
    facilitate.add_argument("--sessions", type=Path, metavar="DIR", help=SESSIONS_HELP)
    facilitate.add_argument(
        "--allow-changed",
        action="store_true",
        help="open a session whose scenario file changed since it was created",
    )


def join(args: argparse.Namespace) -> int:
    """``goingdark join``: the team's app (it asks for what was not given)."""
    from game.team_app import TeamApp

    app = TeamApp(args.code, team=args.team, folder=args.sessions)
    return app.run() or EXIT_OK


def facilitate(args: argparse.Namespace) -> int:
    """``goingdark facilitate``: the console of one room, once it opens."""
    from engine.rooms import Room, RoomError
    from game.facilitator_app import FacilitatorApp

    try:
        room = Room.open(args.code, folder=args.sessions, allow_changed=args.allow_changed)
    except RoomError as exc:
        print(f"goingdark facilitate: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    return FacilitatorApp(room).run() or EXIT_OK


ROOM_COMMANDS = {"join": join, "facilitate": facilitate}
