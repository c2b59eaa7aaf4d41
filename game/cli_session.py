"""``goingdark session ...``: group sessions without a screen, for facilitators' scripts,
demo teams and tests.

``add_session_commands`` builds the ``session`` parser and returns its subcommands, so
other modules can add theirs (``session report``); each subcommand names its handler
with ``set_defaults(session_handler=...)``. The engine is imported only when a command
runs, so ``goingdark --help`` stays instant.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from game.console import print_wrapped

if TYPE_CHECKING:
    from engine.rooms import Room

EXAMPLE_CODE = "K7MP2Q"


def whole_minutes(text: str) -> int:
    """``--deadline MINUTES``: a whole number of minutes, at least 1."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected whole minutes, at least 1, got '{text}'")
    return int(text)


def on_off(text: str) -> bool:
    """``on`` or ``off``."""
    if text.lower() not in ("on", "off"):
        raise argparse.ArgumentTypeError(f"expected on or off, got '{text}'")
    return text.lower() == "on"


def answer(text: str) -> tuple[str, str]:
    """``--answer EVENT=CHOICE`` as (event id, choice id)."""
    event, equals, choice = text.partition("=")
    if not equals or not event.strip() or not choice.strip():
        raise argparse.ArgumentTypeError(
            f"expected EVENT=CHOICE, e.g. fairbank-order=accept, got '{text}'"
        )
    return event.strip(), choice.strip()


def id_list(text: str) -> list[str]:
    """``--interventions a,b`` as ids (empty for ``''``)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def subcommand(group, name: str, summary: str, description: str, handler, *, code: bool = True):
    """One ``session`` subcommand: its parser, with the CODE argument unless ``code`` is
    false, and its handler."""
    parser = group.add_parser(name, help=summary, description=description)
    if code:
        parser.add_argument("code", metavar="CODE", help="the session's join code")
    parser.set_defaults(session_handler=handler)
    return parser


def add_session_commands(commands, seed_type, positive):
    """The ``session`` command and its subcommands; returns the subcommands' parser
    group so others can be added."""
    session = commands.add_parser(
        "session",
        help="run a group session (teams in lock-step) without a screen",
        description="Group sessions: teams play one scenario with one seed, a quarter per "
        "round; the facilitator opens and closes each round. Sessions live in "
        "--sessions DIR, else $GOINGDARK_HOME/sessions, else your user data folder.",
    )
    group = session.add_subparsers(dest="session_command", metavar="SUBCOMMAND", required=True)

    new = subcommand(
        group,
        "new",
        "create a session and print its join code",
        "Create a session of SCENARIO and print its six-character join code and "
        "how teams join. Every team plays the same seed, so they differ only by their "
        "decisions. The first round waits until you open it (session advance).",
        _new,
        code=False,
    )
    new.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="a scenario file, or the id of a built-in one or of one in your scenarios folder",
    )
    new.add_argument("--seed", type=seed_type, help="random seed (default: the scenario's)")
    new.add_argument("--name", default="", help="a title for the session, e.g. 'Tuesday cohort'")
    new.add_argument(
        "--deadline",
        type=whole_minutes,
        metavar="MINUTES",
        help="close each round by itself this many minutes after it opens (default: by hand)",
    )
    new.add_argument(
        "--forecasts",
        type=on_off,
        default=True,
        metavar="on|off",
        help="whether teams see the picker's forecast (default: on)",
    )

    submit = subcommand(
        group,
        "submit",
        "submit a team's decisions for the open quarter",
        "Submit a team's plan for the open quarter, checked against the team's "
        "own game (known, available and affordable interventions; answers to this quarter's "
        "dilemmas). A team may submit again until the round closes; the last submission "
        "counts. A team that has not joined yet is registered with the PIN given.",
        _submit,
    )
    submit.add_argument("--team", required=True, metavar="NAME", help="the team's name")
    submit.add_argument("--pin", required=True, help="the team's PIN (4 to 12 letters or digits)")
    submit.add_argument(
        "--quarter", required=True, type=positive, metavar="Q", help="the quarter being decided"
    )
    submit.add_argument(
        "--interventions",
        type=id_list,
        default=[],
        metavar="A,B",
        help="intervention ids to adopt, comma-separated, in order of priority",
    )
    submit.add_argument(
        "--answer",
        type=answer,
        action="append",
        default=[],
        metavar="EVENT=CHOICE",
        help="the choice taken in a dilemma of this quarter (repeat for several)",
    )
    submit.add_argument(
        "--draft",
        action="store_true",
        help="store a draft instead: played only if the team submits nothing by the close",
    )

    advance = subcommand(
        group,
        "advance",
        "open the next round, or close the open one and open the next",
        "One step of the session: a waiting round opens; an open or paused round "
        "closes (teams that did not submit get their last draft, or no interventions and "
        "each dilemma's default answer) and the next opens, unless that was the last quarter.",
        _advance,
    )

    status = subcommand(
        group,
        "status",
        "print a session's round, teams and leaderboard",
        "Print where a session stands: the round and its countdown, each team's "
        "status and quarters played, and the leaderboard (score so far by the scenario's "
        "rules). A round whose deadline has passed is closed first.",
        _status,
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")

    listing = subcommand(
        group,
        "list",
        "list the sessions in the sessions folder, newest first",
        "List the sessions in the sessions folder, newest first, with files that cannot be "
        "read and why.",
        _list,
        code=False,
    )

    close = subcommand(
        group,
        "close",
        "end a session: close its open round and take no more decisions",
        "End a session early or for good: an open round is closed as by hand, then no more "
        "rounds open and submissions are refused.",
        _close,
    )
    for command in (new, submit, advance, status, listing, close):
        command.add_argument(
            "--sessions",
            type=Path,
            metavar="DIR",
            help="the sessions folder (default: $GOINGDARK_HOME/sessions, else your user "
            "data folder)",
        )
    for command in (submit, advance, status, close):
        command.add_argument(
            "--allow-changed-scenario",
            action="store_true",
            help="go on even though the scenario file changed since the session was made "
            "(games may not replay the same)",
        )
    return group


def run_session(args: argparse.Namespace) -> int:
    """Run the chosen ``session`` subcommand; its exit code."""
    return args.session_handler(args)


def open_room(args: argparse.Namespace) -> Room:
    """The session named on the command line."""
    from engine.rooms import Room

    return Room.open(args.code, folder=args.sessions, allow_changed=args.allow_changed_scenario)


def _new(args: argparse.Namespace) -> int:
    from engine.rooms import Room

    room = Room.create(
        args.scenario,
        seed=args.seed,
        name=args.name,
        deadline_minutes=args.deadline,
        forecasts=args.forecasts,
        folder=args.sessions,
    )
    info = room.info()
    title = f" '{info.name}'" if info.name else ""
    print(f"Session {info.code}{title} created.")
    print_wrapped(
        f"{info.scenario_title}: {info.quarters} quarters, seed {info.seed}, "
        f"{_deadline_words(info.deadline_minutes)}, forecasts {'on' if info.forecasts else 'off'}."
    )
    print(f"Teams join with:  goingdark join {info.code}")
    print(f"Run it with:      goingdark facilitate {info.code}")
    print(f"Without a screen: goingdark session advance {info.code}")
    room.close()
    return 0


def _submit(args: argparse.Namespace) -> int:
    room = open_room(args)
    try:
        room.close_if_due()
        decision = room.submit(
            args.team,
            args.pin,
            args.quarter,
            args.interventions,
            dict(args.answer),
            draft=args.draft,
            register=True,
        )
        scenario = room.scenario()
    finally:
        room.close()
    adopted = ", ".join(scenario.intervention(name).name for name in decision.interventions)
    answers = ", ".join(f"{event}={choice}" for event, choice in decision.answers.items())
    what = "a draft" if args.draft else "its plan"
    print_wrapped(
        f"Team {decision.team} submitted {what} for quarter {decision.quarter} of session "
        f"{room.code}: {adopted or 'no interventions'}"
        + (f"; answers: {answers}." if answers else ".")
    )
    return 0


def _advance(args: argparse.Namespace) -> int:
    return _act_and_print_log(args, "advance")


def _close(args: argparse.Namespace) -> int:
    return _act_and_print_log(args, "end")


def _act_and_print_log(args: argparse.Namespace, action: str) -> int:
    """Do a facilitator's action on the session and print the log lines it wrote."""
    room = open_room(args)
    try:
        last = max((event.id for event in room.events()), default=0)
        getattr(room, action)()
        for event in room.events(last):
            print_wrapped(event.text)
    finally:
        room.close()
    return 0


def _status(args: argparse.Namespace) -> int:
    room = open_room(args)
    try:
        room.close_if_due()
        info, teams, standings = room.info(), room.teams(), room.standings()
    finally:
        room.close()
    if args.json:
        session = {**asdict(info), "path": str(info.path)}
        print(
            json.dumps(
                {
                    "session": session,
                    "teams": [asdict(team) for team in teams],
                    "standings": [asdict(row) for row in standings],
                },
                indent=1,
            )
        )
        return 0
    title = f" '{info.name}'" if info.name else ""
    print_wrapped(f"Session {info.code}{title}: {info.scenario_title}, seed {info.seed}.")
    print_wrapped(_round_words(info))
    if not teams:
        print(f"No teams yet: they join with goingdark join {info.code}")
        return 0
    width = max(len("Team"), *(len(team.name) for team in teams))
    ranks = {row.team: row for row in standings}
    print(f"{'Team':<{width}}  {'Status':<9}  Played  Rank  Score  Stars")
    for team in teams:
        row = ranks[team.name]
        stars = "*" * row.stars or "-"
        print(
            f"{team.name:<{width}}  {team.status:<9}  {team.played:>6}  {row.rank:>4}  "
            f"{row.score:>5.1f}  {stars}"
        )
    return 0


def _list(args: argparse.Namespace) -> int:
    from engine.rooms import rooms_folder, scan_rooms

    folder = rooms_folder(args.sessions)
    infos, problems = scan_rooms(args.sessions)
    if not infos and not problems:
        print(f"No sessions in {folder}.")
        print("Make one with: goingdark session new SCENARIO")
    for info in infos:
        title = f" '{info.name}'" if info.name else ""
        print_wrapped(f"{info.code}{title}: {info.scenario_title}. {_round_words(info)}")
    for problem in problems:
        print_wrapped(problem)
    return 0


def _deadline_words(minutes: int | None) -> str:
    if minutes is None:
        return "rounds closed by hand"
    return f"rounds close after {minutes} minute{'s' if minutes != 1 else ''}"


def _round_words(info) -> str:
    """Where the round stands, in words."""
    if info.state == "finished":
        return f"Finished after {info.quarter - 1} of {info.quarters} quarters."
    state = {
        "waiting": "waiting to be opened",
        "open": "open",
        "paused": "paused",
    }[info.state]
    left = ""
    if info.remaining is not None:
        minutes, seconds = divmod(int(info.remaining), 60)
        left = f", {minutes}:{seconds:02d} left"
    return f"Round {info.quarter} of {info.quarters}: {state}{left}."
