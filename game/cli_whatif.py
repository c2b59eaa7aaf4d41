"""``goingdark debrief`` and ``goingdark whatif``: a saved game's what-ifs, headless.

Imported only when one of these commands runs, so ``goingdark --help`` stays instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.debrief import debrief
from engine.debrief.printed import debrief_table, debrief_text
from engine.saves import read_save, restore
from engine.session import GameSession
from engine.whatif import alternatives, exact_effects, ranked, with_spreads
from engine.whatif_plans import Alternative
from engine.whatif_words import (
    WIDTH,
    answer_named,
    comparison_table,
    drop_named,
    effect_table,
    spread_sentence,
)


def restored(path: Path) -> GameSession:
    """The saved game at ``path``, replayed from its decision log."""
    return restore(read_save(path))


def print_debrief(args: argparse.Namespace, path: Path) -> None:
    """Print the debrief of the save at ``path``, what-ifs ranked with their ranges."""
    session = restored(path)
    report = debrief(session)
    effects = ranked(
        with_spreads(session, exact_effects(session, alternatives(session)), args.runs)
    )
    if args.json:
        print(json.dumps(debrief_table(report, effects), indent=1))
    else:
        print(debrief_text(report, effects))


def chosen_alternative(args: argparse.Namespace, session: GameSession) -> Alternative:
    if args.drop is not None:
        return drop_named(session, *args.drop)
    if args.answer is not None:
        return answer_named(session, *args.answer)
    nothing = [alt for alt in alternatives(session) if alt.kind == "nothing"]
    if not nothing:
        from engine.errors import PolicyError

        raise PolicyError("the game decided nothing: doing nothing changes nothing")
    return nothing[0]


def print_whatif(args: argparse.Namespace, path: Path) -> None:
    """Print the saved game beside the same game with one decision changed."""
    session = restored(path)
    alternative = chosen_alternative(args, session)
    [effect] = with_spreads(session, exact_effects(session, [alternative]), args.runs)
    if args.json:
        print(json.dumps(effect_table(effect), indent=1))
        return
    import textwrap

    print("\n".join(textwrap.wrap(f"What if: {alternative.label}", WIDTH)))
    if alternative.note:
        print("\n".join(textwrap.wrap(alternative.note, WIDTH)))
    print(f"Same seed ({session.seed}), quarters 1 to {session.quarter}.")
    print()
    print(comparison_table(session, effect))
    print()
    print("\n".join(textwrap.wrap(spread_sentence(effect), WIDTH)))
    sys.stdout.flush()
