"""``goingdark calibrate``: fit a segment's baseline churn to a cohort's survivor counts,
plainly (the sBG), from yearly counts, or inside its scenario with the drivers included.

The parser's part is light; the engine is imported only when the command runs, so
``goingdark --help`` stays instant.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_calibrate_command(commands, positive: Callable[[str], int], seed: Callable) -> None:
    """The ``calibrate`` command's arguments."""
    calibrate = commands.add_parser(
        "calibrate",
        help="fit a segment's churn to a cohort's survivor counts",
        description="Fit the shifted-beta-geometric churn model to survivor counts "
        "(customers at the start, then still there after each quarter, or each year with "
        "--period year). With --scenario, fit the segment's baseline inside the scenario, "
        "so that baseline and drivers of churn together follow the counts.",
    )
    calibrate.add_argument(
        "counts",
        nargs="+",
        metavar="COUNT",
        help="the cohort's size, then how many of it were still there after each period",
    )
    calibrate.add_argument("--json", action="store_true", help="print JSON")
    calibrate.add_argument(
        "--period",
        choices=("quarter", "year"),
        default="quarter",
        help="what one count's period is: quarter (the default) or year (compared with the"
        " quarterly model at year ends)",
    )
    calibrate.add_argument(
        "--scenario",
        metavar="SCENARIO",
        help="a scenario file or id: fit inside it, its drivers of churn included (by simulation)",
    )
    calibrate.add_argument(
        "--segment", metavar="ID", help="the segment to fit (needed if it has several)"
    )
    calibrate.add_argument("--seed", type=seed, help="random seed (default: the scenario's)")
    calibrate.add_argument(
        "--runs",
        type=positive,
        help="runs per round of simulation (default: enough for about 40,000 of the"
        " segment's customers in all, 2 to 64 runs)",
    )


def run_calibrate(args: argparse.Namespace) -> int:
    """Fit the counts (plain, yearly, or inside a scenario) and print the report."""
    import json

    from engine.errors import CalibrationError

    if args.segment is not None and args.scenario is None:
        raise CalibrationError("--segment needs --scenario")
    if args.scenario is None and args.period == "quarter":
        from engine.calibrate import fit_sbg, render_report

        fit = fit_sbg(args.counts)
        print(json.dumps(fit.to_dict(), indent=1) if args.json else render_report(fit))
        return 0
    from engine.calibrate_scenario import fit_cohort, render_cohort_report
    from engine.scenario.loader import load_scenario

    scenario = None if args.scenario is None else load_scenario(args.scenario)
    cohort = fit_cohort(args.counts, args.period, scenario, args.segment, args.seed, args.runs)
    print(json.dumps(cohort.to_dict(), indent=1) if args.json else render_cohort_report(cohort))
    return 0
