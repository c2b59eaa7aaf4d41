"""``goingdark run`` and ``goingdark check``: the authoring commands' work and output.

Kept apart from :mod:`game.cli` (the parser and the dispatch) so that module stays
small. Each function reads the parsed arguments, prints, and returns whether the
command succeeded; heavy imports live inside them so ``goingdark --help`` is instant.
"""

from __future__ import annotations

import argparse
import sys

from game.console import terminal_width


def run_scenario(args: argparse.Namespace) -> bool:
    """Simulate a scenario (and a plan) and print the table or the JSON. Every plan
    decision not carried out is printed to stderr as a warning; with ``--strict`` as an
    error, and then nothing else is printed and the command fails."""
    import json

    from engine.plan_check import plan_skips, require_runnable
    from engine.policy import Policy, load_policy
    from engine.report import quarter_table
    from engine.scenario.loader import load_scenario
    from engine.segment_report import segment_tables
    from engine.simulate import simulate
    from engine.world import World

    scenario = load_scenario(args.scenario)
    world = World.from_scenario(scenario)
    policy = Policy()
    if args.policy:
        policy = load_policy(args.policy)
        require_runnable(policy, world)
    seed = scenario.meta.seed if args.seed is None else args.seed
    results = simulate(
        world,
        seed,
        runs=args.runs,
        quarters=args.quarters,
        policy=policy,
        segments=args.json or args.segments,
    )
    skips = plan_skips(policy, world, results)
    for skip in skips:
        print(skip.text("error" if args.strict else "warning"), file=sys.stderr)
    if skips and args.strict:
        return False
    if args.json:
        print(json.dumps(results.summary(), indent=1))
    else:
        width = terminal_width()
        print(quarter_table(scenario, results, width, wide=args.wide))
        if args.segments:
            print(segment_tables(scenario, results, width, wide=args.wide))
    return True


def check_scenarios(args: argparse.Namespace) -> bool:
    """Check each scenario named: its problems, else its warnings (errors with
    ``--strict``) and ``NAME: ok``. Succeeds when no scenario has a problem (or, with
    ``--strict``, a warning)."""
    from engine.errors import Problem, ScenarioError
    from engine.scenario.lint import scenario_warnings
    from engine.scenario.loader import find_scenario, parse_scenario, read_scenario_text
    from game.name_fit import name_warnings

    failed = 0
    severity = "error" if args.strict else "warning"
    for name in args.paths:
        try:
            path = find_scenario(name)
            text = read_scenario_text(path)
            scenario = parse_scenario(text, path)
        except ScenarioError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem if problem.path is not None else f"{name}: {problem.message}")
            continue
        warnings = scenario_warnings(scenario, text, path) + name_warnings(scenario, text, path)
        for warning in sorted(warnings, key=lambda w: (w.line is None, w.line or 0, w.key)):
            print(
                Problem(warning.path, warning.line, warning.key, f"{severity}: {warning.message}")
            )
        if not warnings:
            print(f"{name}: ok")
        elif args.strict:
            failed += 1
        else:
            count = "1 warning" if len(warnings) == 1 else f"{len(warnings)} warnings"
            print(f"{name}: ok, {count}")
    return not failed
