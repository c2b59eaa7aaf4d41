"""``goingdark balance``: whether a scenario plays well, measured over many plans.

The parser's part is light; the engine is imported only when the command runs, so
``goingdark --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

BAR_WIDTH = 30


def add_balance_command(commands, positive: Callable[[str], int], seed: Callable) -> None:
    """The ``balance`` command's arguments."""
    balance = commands.add_parser(
        "balance",
        help="measure a scenario's plans and warn where it plays badly",
        description="Play many plans of a scenario with the same random numbers (doing "
        "nothing, each intervention alone and every quarter, the reference plans and their "
        "variations, every dilemma answer, and the best and worst plans a random search "
        "finds) and warn about what makes it play badly.",
    )
    balance.add_argument("scenario", metavar="SCENARIO", help="a scenario file or id")
    balance.add_argument("--runs", type=positive, default=64, help="runs per plan (default 64)")
    balance.add_argument(
        "--search",
        type=int,
        default=24,
        metavar="N",
        help="random budget-feasible plans the search tries (default 24; 0: no search)",
    )
    balance.add_argument("--seed", type=seed, help="random seed (default: the scenario's)")
    balance.add_argument("--json", action="store_true", help="print the report as JSON")
    balance.add_argument(
        "--html", type=Path, metavar="FILE", help="also write the report as one HTML file"
    )


class ProgressBar:
    """A one-line bar on a terminal (nothing when the stream is not one)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar for ``done`` of ``total`` plans measured."""
        if not self.shown:
            return
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        end = "\n" if done >= total else ""
        print(f"\r[{bar}] {done}/{total} plans", end=end, file=self.stream, flush=True)


def run_balance(args: argparse.Namespace) -> int:
    """Measure and print the balance report; write the HTML file if asked."""
    import json

    from engine.balance.html import render_html
    from engine.balance.report import balance_report
    from engine.balance.text import render_text, report_data
    from engine.errors import ParameterError
    from engine.scenario.loader import load_scenario

    if args.search < 0:
        raise ParameterError(f"--search must be 0 or more, got {args.search}")
    scenario = load_scenario(args.scenario)
    seed = scenario.meta.seed if args.seed is None else args.seed
    report = balance_report(
        scenario, seed, runs=args.runs, search=args.search, progress=ProgressBar(sys.stderr)
    )
    if args.html is not None:
        args.html.write_text(render_html(report), encoding="utf-8")
    if args.json:
        print(json.dumps(report_data(report), indent=1))
    else:
        print(render_text(report), end="")
        if args.html is not None:
            print(f"\nwrote {args.html}")
    return 0
