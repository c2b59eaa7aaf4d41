"""The ``goingdark`` command: the game by default, plus headless tools.

Exit codes: 0 success, 1 a user error (bad scenario, policy, counts...), 2 bad usage,
130 interrupted. Heavy imports live inside the commands so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from game.cli_balance import add_balance_command, run_balance
from game.cli_calibrate import add_calibrate_command, run_calibrate
from game.cli_rooms import ROOM_COMMANDS, add_room_commands
from game.cli_serve import add_serve_command, run_serve
from game.cli_session import add_session_commands, run_session
from game.cli_session_report import add_report_command
from game.cli_whatif import add_whatif_commands
from game.console import example_saves, print_wrapped, shown_path, terminal_width

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# How a command's SCENARIO argument is found (engine.scenario.loader.find_scenario).
SCENARIO_HELP = "a scenario file, or the id of a built-in one or of one in your scenarios folder"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2^63 - 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="goingdark",
        description="Going Dark: a training game about why customers quietly leave.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser(
        "play",
        help="open the game, straight at a scenario's briefing if one is given",
        description="Open the game. With SCENARIO (a file or an id) go straight to its briefing.",
    )
    play.add_argument("scenario", metavar="SCENARIO", nargs="?", help=SCENARIO_HELP)
    play.add_argument("--seed", type=_seed, help="random seed (default: the scenario's)")
    play.add_argument(
        "--unlock-all",
        action="store_true",
        help="open every scenario of the campaign (for facilitators)",
    )
    play.add_argument(
        "--scenarios",
        type=Path,
        nargs="*",
        default=[],
        metavar="FILE",
        help="more scenario files to list in the browser",
    )
    play.add_argument(
        "--saves",
        type=Path,
        metavar="DIR",
        help="where saved games live (default: $GOINGDARK_SAVES, or the saves folder of "
        "your user data folder)",
    )
    play.add_argument(
        "--no-forecasts",
        action="store_true",
        help="no forecast in the intervention picker (for exam-style sessions)",
    )

    run = commands.add_parser(
        "run",
        help="simulate a scenario headless and print the quarter table",
        description="Simulate a scenario without the game and print what happens.",
    )
    run.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    run.add_argument("--seed", type=_seed, help="random seed (default: the scenario's)")
    run.add_argument(
        "--runs", type=_positive, default=1, help="independent runs to simulate (default 1)"
    )
    run.add_argument(
        "--quarters", type=_positive, help="quarters to simulate (default: the scenario's length)"
    )
    run.add_argument(
        "--policy",
        type=Path,
        metavar="FILE",
        help="TOML file of decisions per quarter (a save's decision log)",
    )
    run.add_argument(
        "--json", action="store_true", help="print one JSON object with percentiles over the runs"
    )
    run.add_argument(
        "--wide",
        action="store_true",
        help="show every column of the table, however wide (default: fit the terminal)",
    )
    run.add_argument(
        "--segments",
        action="store_true",
        help="also print a table per customer segment (--json always has them)",
    )
    run.add_argument(
        "--strict",
        action="store_true",
        help="a plan decision that could not be carried out is an error (exit 1)",
    )

    check = commands.add_parser(
        "check",
        help="validate scenario files and list every problem",
        description="Validate scenario files. Prints every problem as PATH:LINE: key: message, "
        "and what is valid but almost certainly not meant as PATH:LINE: key: warning: message "
        "(exit 0 unless --strict).",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or ids")
    check.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 1 if any)"
    )

    commands.add_parser(
        "schema",
        help="print the JSON Schema of the scenario format",
        description="Print the JSON Schema editors use to check scenarios.",
    )

    new = commands.add_parser(
        "new",
        help="write a new, commented scenario file",
        description="Write SLUG.toml: a valid, commented scenario to start from.",
    )
    new.add_argument("slug", metavar="SLUG", help="id of the new scenario (file SLUG.toml)")
    new.add_argument(
        "--from",
        dest="source",
        metavar="ID",
        help="copy a built-in scenario instead of the blank template",
    )
    new.add_argument(
        "--dir",
        type=Path,
        default=Path("."),
        help="folder to write into (default: the current folder)",
    )
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    replay = commands.add_parser(
        "replay",
        help="rebuild a saved game from its decision log and print the quarter table",
        description="Rebuild a saved game from its scenario, seed and decision log and print "
        "its quarter table. With --verify, check the rebuilt figures against those the save "
        "recorded and exit 1, listing every difference, if they differ.",
    )
    replay.add_argument(
        "save", metavar="SAVE", help="a save file, or the name of a save in the saves folder"
    )
    replay.add_argument(
        "--verify",
        action="store_true",
        help="check the replay against the figures recorded in the save",
    )
    replay.add_argument(
        "--wide",
        action="store_true",
        help="show every column of the table, however wide (default: fit the terminal)",
    )
    replay.add_argument(
        "--allow-changed-scenario",
        action="store_true",
        help="replay even though the scenario file changed since the save (may differ)",
    )
    replay.add_argument(
        "--scenario",
        type=Path,
        metavar="FILE",
        help="the scenario file to replay on, instead of the one the save names",
    )
    replay.add_argument(
        "--saves", type=Path, metavar="DIR", help="the saves folder to find SAVE by name in"
    )

    saves = commands.add_parser(
        "saves",
        help="list the saved games, newest first",
        description="List the saves in the saves folder (--saves DIR, else $GOINGDARK_SAVES, "
        "else the user's data folder), newest first, damaged ones with their problem.",
    )
    saves.add_argument("--saves", type=Path, metavar="DIR", help="the saves folder to list")

    add_whatif_commands(commands, _positive)
    add_balance_command(commands, _positive, _seed)
    add_serve_command(commands)
    add_report_command(add_session_commands(commands, _seed, _positive))
    add_room_commands(commands)
    add_calibrate_command(commands, _positive, _seed)
    return parser


def _play(args: argparse.Namespace) -> int:
    from game.app import GoingDarkApp

    extra = list(args.scenarios)
    start = args.scenario
    if start is not None:
        # Only here: the loader brings pydantic, which plain `goingdark` reads after
        # the main menu's first frame.
        from engine.errors import ScenarioError
        from engine.scenario.loader import find_scenario, is_builtin

        try:
            found = find_scenario(start)
        except ScenarioError:
            found = None  # the game says that no such scenario was found
        if found is not None and not is_builtin(found):
            extra.append(found)  # a file given, or one of the user's: list it
    app = GoingDarkApp(
        scenario_paths=extra,
        start=start,
        seed=args.seed,
        unlock_all=args.unlock_all,
        saves=args.saves,
        forecasts=not args.no_forecasts,
    )
    from engine import processes

    # The what-ifs' worker processes start when a game begins; multiprocessing's
    # resource tracker must start now, before the app captures the stderr it is handed.
    processes.prepare_for_app()
    return app.run() or EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from game.cli_authoring import run_scenario

    return EXIT_OK if run_scenario(args) else EXIT_USER_ERROR


def _check(args: argparse.Namespace) -> int:
    from game.cli_authoring import check_scenarios

    return EXIT_OK if check_scenarios(args) else EXIT_USER_ERROR


def _schema(args: argparse.Namespace) -> int:
    from engine.scenario.authoring import schema_json

    print(schema_json(), end="")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from engine.scenario.authoring import write_new_scenario

    written = write_new_scenario(args.slug, args.dir, source=args.source, force=args.force)
    print(f"wrote {written.path}; check it with: goingdark check {written.path}")
    if written.schema_written is not None:
        about = (
            f"{written.schema_written} {written.schema_path.name} beside it: the scenario "
            "format, which editors read through the file's #:schema line to complete and "
            "check keys"
        )
        print_wrapped(about)
    return EXIT_OK


def _save_path(name: str, folder: Path | None) -> Path:
    """SAVE as given when it names a file, else the save of that name in the folder."""
    from engine.saves import saves_dir, slot_file_name

    given = Path(name)
    if given.exists() or "/" in name or os.sep in name:
        return given
    in_folder = saves_dir(folder) / name
    if in_folder.exists():
        return in_folder
    by_slot = saves_dir(folder) / slot_file_name(name)
    return by_slot if by_slot.exists() else given


def _replay(args: argparse.Namespace) -> int:
    from engine.report import quarter_table
    from engine.saves import (
        SaveError,
        read_save,
        restore,
        scenario_changed,
        session_results,
        verify,
    )

    path = _save_path(args.save, args.saves)
    save = read_save(path, check_scenario=args.scenario is None)
    changed = scenario_changed(save, args.scenario)
    session = restore(save, args.scenario, allow_changed=args.allow_changed_scenario)
    if changed:
        print(
            f"goingdark replay: warning: the scenario '{save.scenario_id}' has changed since "
            "this game was saved; the replay may differ",
            file=sys.stderr,
        )
    who = f", {save.player}" if save.player else ""
    width = terminal_width()
    about = (
        f'Saved game "{save.slot}"{who}: quarter {save.quarter} of {save.quarters}, '
        f"saved {save.updated} by Going Dark {save.game_version}"
        + (f" (save format {save.format}, read by migration)" if save.migrated else "")
    )
    print_wrapped(about, width)
    print()
    print(quarter_table(session.scenario, session_results(session), width, wide=args.wide))
    if args.verify:
        differences = verify(save, session)
        if differences:
            raise SaveError(
                "\n".join(f"replay differs from the save: {line}" for line in differences)
            )
        print()
        matched = "1 quarter matches" if save.quarter == 1 else f"{save.quarter} quarters match"
        print(f"verified: {matched}")
    return EXIT_OK


def _debrief(args: argparse.Namespace) -> int:
    from game.cli_whatif import print_debrief

    print_debrief(args, _save_path(args.save, args.saves))
    return EXIT_OK


def _whatif(args: argparse.Namespace) -> int:
    from game.cli_whatif import print_whatif

    print_whatif(args, _save_path(args.save, args.saves))
    return EXIT_OK


def _saves(args: argparse.Namespace) -> int:
    from engine.saves import list_saves, saves_dir

    folder = saves_dir(args.saves)
    summaries = list_saves(folder)
    if not summaries:
        print(f"no saves in {folder}")
        examples = example_saves()
        if examples:
            shown = [shown_path(path) for path in examples]
            print("This copy of Going Dark has example games:")
            for path in shown:
                print(f"  {path}")
            print_wrapped(f"Replay one with: goingdark replay {shown[0]}")
            print("To load one in the game (l in the main menu), copy it into the saves folder:")
            print(f"  {folder}")
        return EXIT_OK
    for summary in summaries:
        if summary.problem is not None and summary.quarter is None:
            print(f"{summary.path.name}: cannot be loaded")
        else:
            score = "" if summary.score is None else f", score {summary.score:.0f}"
            who = f", {summary.player}" if summary.player else ""
            print_wrapped(
                f'{summary.path.name}: "{summary.slot}"{who}, '
                f"{summary.title or summary.scenario_id}, quarter {summary.quarter} of "
                f"{summary.quarters}{score}, {summary.updated}"
            )
        for note in (summary.problem, summary.warning):
            if note is not None:
                for line in note.splitlines():
                    print(f"    {line}")
    return EXIT_OK


def _error_lines(exc: Exception) -> list[str]:
    """The lines of a user error: one per problem, without a placeholder for a missing path."""
    from engine.errors import ScenarioError

    if isinstance(exc, ScenarioError):
        return [
            str(problem) if problem.path is not None else problem.message
            for problem in exc.problems
        ]
    return str(exc).splitlines()


COMMANDS = {
    "play": _play,
    "run": _run,
    "check": _check,
    "schema": _schema,
    "new": _new,
    "replay": _replay,
    "saves": _saves,
    "debrief": _debrief,
    "whatif": _whatif,
    "calibrate": run_calibrate,
    "balance": run_balance,
    "serve": run_serve,
    "session": run_session,
    **ROOM_COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``goingdark`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play"])
    from engine.errors import GoingDarkError

    try:
        return COMMANDS[args.command](args)
    except GoingDarkError as exc:
        for line in _error_lines(exc):
            print(f"goingdark {args.command}: {line}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("goingdark: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (head, less) went away: not an error. Silence the final flush.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
