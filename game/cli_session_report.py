"""``goingdark session report CODE --html FILE [--csv FILE]``: the class debrief as files.

Added to STORE's ``session`` subcommands (:func:`game.cli_session.add_session_commands`
returns them). The HTML is one self-contained file to open, project or print; the CSV
option writes two tidy files, FILE (every figure) and FILE's ``-decisions`` twin (every
decision), described in :mod:`engine.rooms.report_csv`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from game.cli_session import open_room, subcommand
from game.console import print_wrapped

__all__ = ["add_report_command", "write_report"]


def add_report_command(group) -> None:
    """Register ``session report`` on the ``session`` subcommands."""
    report = subcommand(
        group,
        "report",
        "write the class debrief: one HTML file, and CSV files of figures and decisions",
        "Write the class debrief of a session: every team's score, grade and stars, every "
        "team's true and reported curves, decisions side by side, what separated the top "
        "teams from the bottom ones (each checked with a same-seed what-if) and the "
        "scenario's lessons as discussion prompts. The HTML is one file with nothing to "
        "download, ready to print. --csv FILE also writes FILE (team,quarter,metric,value: "
        "every figure) and FILE-decisions.csv (team,quarter,kind,id,label,source: every "
        "decision).",
        write_report,
    )
    report.add_argument(
        "--html", type=Path, required=True, metavar="FILE", help="the HTML file to write"
    )
    report.add_argument("--csv", type=Path, metavar="FILE", help="the figures CSV to write")
    report.add_argument(
        "--sessions",
        type=Path,
        metavar="DIR",
        help="the sessions folder (default: $GOINGDARK_HOME/sessions, else your user data folder)",
    )
    report.add_argument(
        "--allow-changed-scenario",
        action="store_true",
        help="report even though the scenario file changed since the session was made",
    )


def _check_folder(path: Path) -> None:
    from engine.rooms import RoomError

    if not path.parent.is_dir():
        raise RoomError(f"Cannot write {path}: there is no folder {path.parent}.")
    if path.is_dir():
        raise RoomError(f"Cannot write {path}: it is a folder.")


def write_report(args: argparse.Namespace) -> int:
    """Write the report files of ``args.code``; the exit code."""
    from engine.files import write_atomic
    from engine.rooms.class_debrief import room_debrief
    from engine.rooms.report_csv import decisions_path, write_csv
    from engine.rooms.report_html import html_report

    targets = [args.html] + ([args.csv, decisions_path(args.csv)] if args.csv else [])
    for path in targets:
        _check_folder(path)
    room = open_room(args)
    try:
        info = room.info()
        debrief = room_debrief(room)
    finally:
        room.close()
    write_atomic(args.html, html_report(debrief, room_name=info.name, code=info.code))
    teams = len(debrief.results)
    about = (
        f"{teams} team{'s' if teams != 1 else ''}, quarter {debrief.quarter} of {debrief.quarters}"
    )
    print_wrapped(f"wrote {args.html}: the class debrief of session {info.code} ({about})")
    if args.csv:
        figures, decisions = write_csv(debrief, args.csv)
        print_wrapped(f"wrote {figures}: every figure (team,quarter,metric,value)")
        print_wrapped(f"wrote {decisions}: every decision (team,quarter,kind,id,label,source)")
    return 0
