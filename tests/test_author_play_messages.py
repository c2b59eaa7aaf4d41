"""Messages changed after playing a new case as its author would: each one's exact text."""

from __future__ import annotations

import argparse

from engine.calibrate_scenario import CUSTOMER_RUNS, MAX_RUNS, default_runs
from game.cli import build_parser
from game.widgets.whatif_panel import INTRO


def test_the_what_if_intro_says_only_the_score_sign_means_helped():
    # "dark share -7.7 pts" is a decision that helped: the sign of a metric's
    # difference says nothing by itself, the score's does.
    assert INTRO == (
        "Your game replayed with one decision changed, the same seed and everything else"
        " identical. Each number is your game minus the changed one: positive points of"
        " score mean your decision helped. Largest effect on the final score first."
    )


def command_helps(command: str) -> dict[str, str | None]:
    """Each argument's help text in ``goingdark COMMAND --help``, by destination."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {action.dest: action.help for action in commands.choices[command]._actions}


def test_calibrate_help_says_what_counts_are_and_the_defaults():
    helps = command_helps("calibrate")
    assert helps["counts"] == (
        "the cohort's size, then how many of it were still there after each period"
    )
    assert helps["period"] == (
        "what one count's period is: quarter (the default) or year (compared with the"
        " quarterly model at year ends)"
    )
    assert helps["scenario"] == (
        "a scenario file or id: fit inside it, its drivers of churn included (by simulation)"
    )
    # The default the help states is the engine's.
    assert helps["runs"] == (
        f"runs per round of simulation (default: enough for about {CUSTOMER_RUNS:,} of the"
        f" segment's customers in all, 2 to {MAX_RUNS} runs)"
    )
    assert (default_runs(10), default_runs(1_000), default_runs(10**6)) == (MAX_RUNS, 40, 2)


def test_run_and_play_find_ids_in_the_scenarios_folder_too():
    expected = "a scenario file, or the id of a built-in one or of one in your scenarios folder"
    assert command_helps("run")["scenario"] == expected
    assert command_helps("play")["scenario"] == expected
