"""``goingdark serve``: the game in a browser tab, through textual-serve.

textual-serve runs one command per browser connection and relays its terminal over a
websocket. Here that command is the game itself (``goingdark play``, or ``goingdark join
CODE`` for a group session), started with ``GOINGDARK_CONFINE=1`` so that whoever is at
the browser cannot make it read files outside the game's own folders
(:mod:`engine.confine`). The page and everything it loads (script, styles, fonts) come
from this server: it works in a room with no internet.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys
from pathlib import Path

from engine.confine import CONFINE_VARIABLE
from engine.errors import GoingDarkError

__all__ = [
    "LOCAL_HOSTS",
    "add_serve_command",
    "is_local",
    "not_encrypted_warning",
    "port_number",
    "run_serve",
    "served_command",
]

LOCAL_HOSTS = ("localhost",)


def is_local(host: str) -> bool:
    """Whether only this machine can reach ``host`` (a loopback address or localhost)."""
    if host.lower() in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def not_encrypted_warning(host: str, port: int) -> str:
    """What the facilitator is told when other machines can reach the game."""
    return (
        f"goingdark serve: warning: http://{host}:{port} can be reached from other "
        "machines and the connection is not encrypted: anyone on the network can watch "
        "it, and the join code and the teams' PINs are the only protection. Serve only "
        "on a network you trust."
    )


def served_command(session: str | None, sessions: Path | None) -> str:
    """The shell command textual-serve runs for each browser: the game, or a team's
    seat in group session ``session``."""
    arguments = [sys.executable, "-m", "game"]
    if session is None:
        arguments.append("play")
    else:
        arguments += ["join", session]
        if sessions is not None:
            arguments += ["--sessions", str(sessions.expanduser().resolve())]
    return shlex.join(arguments)


def port_number(text: str) -> int:
    """A TCP port from the command line: a whole number from 1 to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 1 and 65535, got {value}")
    return value


def add_serve_command(commands) -> None:
    """Register ``goingdark serve`` on the CLI's subcommands."""
    serve = commands.add_parser(
        "serve",
        help="serve the game to web browsers (one game per browser tab)",
        description="Serve the game to web browsers: each tab that opens the address gets "
        "its own game. Binds this machine only by default; with --host 0.0.0.0 the "
        "machines of your network can connect (not encrypted). With --session CODE, each "
        "tab joins that group session as a team.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=port_number, default=8000, help="port to listen on (default 8000)"
    )
    serve.add_argument("--session", metavar="CODE", help="a group session every tab joins")
    serve.add_argument("--sessions", type=Path, metavar="DIR", help="where the group sessions live")


def run_serve(args: argparse.Namespace) -> int:
    """Serve the game until interrupted (Ctrl+C); returns the exit code."""
    from game.serve_page import GamePageServer

    code = args.session
    if code is not None:
        from engine.rooms import Room

        room = Room.open(code, folder=args.sessions)  # a RoomError names what is wrong
        code = room.code
        room.close()
    if not is_local(args.host):
        print(not_encrypted_warning(args.host, args.port), file=sys.stderr)
    # The game processes inherit this environment: each is confined (engine.confine).
    os.environ[CONFINE_VARIABLE] = "1"
    server = GamePageServer(
        served_command(code, args.sessions),
        host=args.host,
        port=args.port,
        title="Going Dark" if code is None else f"Going Dark: session {code}",
    )
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        why = os.strerror(exc.errno) if exc.errno else str(exc)
        raise GoingDarkError(
            f"cannot listen on {args.host}:{args.port}: {why} (another server on that port? "
            "choose one with --port)"
        ) from None
    return 0
