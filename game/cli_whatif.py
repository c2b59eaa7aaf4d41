"""``goingdark debrief`` and ``goingdark whatif``: a saved game's what-ifs, headless.

The parser's part is light; the engine is imported only when a command runs, so
``goingdark --help`` stays instant.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.session import GameSession
    from engine.whatif_plans import Alternative


def drop_spec(text: str) -> tuple[int, str]:
    """``--drop QUARTER:INTERVENTION`` as (quarter, intervention id)."""
    quarter, colon, name = text.partition(":")
    if not colon or not quarter.strip().isdigit() or not name.strip():
        raise argparse.ArgumentTypeError(
            f"expected QUARTER:INTERVENTION, e.g. 3:sales-blitz, got '{text}'"
        )
    return int(quarter), name.strip()


def answer_spec(text: str) -> tuple[int, str, str]:
    """``--answer QUARTER:EVENT=CHOICE`` as (quarter, event id, choice id)."""
    quarter, colon, rest = text.partition(":")
    event, equals, choice = rest.partition("=")
    if not (colon and equals) or not quarter.strip().isdigit() or not event or not choice:
        raise argparse.ArgumentTypeError(
            f"expected QUARTER:EVENT=CHOICE, e.g. 2:push-q2=hold, got '{text}'"
        )
    return int(quarter), event.strip(), choice.strip()


def add_whatif_commands(commands, positive: Callable[[str], int]) -> None:
    """The what-if tools for facilitators: ``debrief`` and ``whatif``."""
    debrief = commands.add_parser(
        "debrief",
        help="print a saved game's debrief, what-ifs included",
        description="Print the whole debrief of a saved game: the appraisal, the turning "
        "points, and what each decision did, measured by replaying the game with it changed "
        "and the same seed, with the range over many runs of other luck.",
    )
    whatif = commands.add_parser(
        "whatif",
        help="replay a saved game with one decision changed, beside the original",
        description="Replay a saved game with one decision changed and the same seed, and "
        "print it beside the original with the range over many runs of other luck.",
    )
    for command in (debrief, whatif):
        command.add_argument(
            "save", metavar="SAVE", help="a save file, or the name of a save in the saves folder"
        )
        command.add_argument(
            "--runs",
            type=positive,
            default=200,
            help="runs of other luck for the ranges (default 200)",
        )
        command.add_argument("--json", action="store_true", help="print one JSON object")
        command.add_argument(
            "--saves", type=Path, metavar="DIR", help="the saves folder to find SAVE by name in"
        )
    change = whatif.add_mutually_exclusive_group(required=True)
    change.add_argument(
        "--drop",
        type=drop_spec,
        metavar="QUARTER:INTERVENTION",
        help="leave out an intervention adopted in that quarter",
    )
    change.add_argument(
        "--answer",
        type=answer_spec,
        metavar="QUARTER:EVENT=CHOICE",
        help="answer that quarter's dilemma with another choice",
    )
    change.add_argument("--nothing", action="store_true", help="decide nothing all game")


def restored(path: Path) -> GameSession:
    """The saved game at ``path``, replayed from its decision log."""
    from engine.saves import read_save, restore

    return restore(read_save(path))


def print_debrief(args: argparse.Namespace, path: Path) -> None:
    """Print the debrief of the save at ``path``, what-ifs ranked with their ranges."""
    from engine import processes

    processes.start()  # the spreads' workers get ready while the model loads
    from engine.debrief import debrief
    from engine.debrief.printed import debrief_table, debrief_text
    from engine.whatif import alternatives, measured_effects, ranked

    session = restored(path)
    report = debrief(session)
    effects = ranked(measured_effects(session, alternatives(session), args.runs))
    if args.json:
        print(json.dumps(debrief_table(report, effects), indent=1))
    else:
        print(debrief_text(report, effects))


def chosen_alternative(args: argparse.Namespace, session: GameSession) -> Alternative:
    """The alternative the command line names (--drop, --answer or --nothing)."""
    from engine.errors import PolicyError
    from engine.whatif import alternatives
    from engine.whatif_words import answer_named, drop_named

    if args.drop is not None:
        return drop_named(session, *args.drop)
    if args.answer is not None:
        return answer_named(session, *args.answer)
    nothing = [alt for alt in alternatives(session) if alt.kind == "nothing"]
    if not nothing:
        raise PolicyError("the game decided nothing: doing nothing changes nothing")
    return nothing[0]


def print_whatif(args: argparse.Namespace, path: Path) -> None:
    """Print the saved game beside the same game with one decision changed."""
    from engine import processes

    processes.start()  # the spreads' workers get ready while the model loads
    from engine.whatif import exact_effects, with_spreads
    from engine.whatif_words import WIDTH, comparison_table, effect_table, spread_sentence

    session = restored(path)
    alternative = chosen_alternative(args, session)
    [effect] = with_spreads(session, exact_effects(session, [alternative]), args.runs)
    if args.json:
        print(json.dumps(effect_table(effect), indent=1))
        return
    print("\n".join(textwrap.wrap(f"What if: {alternative.label}", WIDTH)))
    if alternative.note:
        print("\n".join(textwrap.wrap(alternative.note, WIDTH)))
    print(f"Same seed ({session.seed}), quarters 1 to {session.quarter}.")
    print()
    print(comparison_table(session, effect))
    print()
    print("\n".join(textwrap.wrap(spread_sentence(effect), WIDTH)))
    sys.stdout.flush()
