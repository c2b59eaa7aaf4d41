"""Messages changed after playing a new case as its author would: each one's exact text."""

from __future__ import annotations

from game.widgets.whatif_panel import INTRO


def test_the_what_if_intro_says_only_the_score_sign_means_helped():
    # "dark share -7.7 pts" is a decision that helped: the sign of a metric's
    # difference says nothing by itself, the score's does.
    assert INTRO == (
        "Your game replayed with one decision changed, the same seed and everything else"
        " identical. Each number is your game minus the changed one: positive points of"
        " score mean your decision helped. Largest effect on the final score first."
    )
