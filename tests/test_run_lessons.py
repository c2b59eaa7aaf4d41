"""`goingdark run` says how often each debrief lesson applies, judging lessons that
depend on a dilemma answer by the answers each run actually gave."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.policy import load_policy
from engine.scenario.loader import parse_scenario
from engine.simulate import simulate
from engine.world import World
from game.cli import main
from tests.test_run_skips import SCENARIO

LESSONS = """
[[lessons]]
id = "stayed-open"
title = "You stayed open"
text = "You kept the doors open in the storm."
chose = ["storm.open"]

[[lessons]]
id = "never-closed"
title = "You never closed"
text = "You never closed for a day."
never_chose = ["storm.close"]
"""
TEXT = SCENARIO + LESSONS


def test_answers_are_read_from_the_run(tmp_path: Path) -> None:
    world = World.from_scenario(parse_scenario(TEXT))
    plan = tmp_path / "plan.toml"
    plan.write_text('[[decisions]]\nquarter = 3\nchoices = { storm = "open" }\n', encoding="utf-8")
    answered = simulate(world, 7, runs=3, policy=load_policy(plan))
    answers = answered.answers(world.scenario)
    assert answers["storm.open"].all() and not answers["storm.close"].any()
    assert answered.outcome_summary(world.scenario)["lessons"] == {
        "stayed-open": 1.0,
        "never-closed": 1.0,
    }
    # Without a plan the dilemma takes its first choice, and the lessons say so.
    default = simulate(world, 7, runs=3)
    assert default.answers(world.scenario)["storm.close"].all()
    assert default.outcome_summary(world.scenario)["lessons"] == {
        "stayed-open": 0.0,
        "never-closed": 0.0,
    }
    # Before the dilemma comes up no answer has been given.
    early = simulate(world, 7, runs=3, quarters=2)
    assert not np.any(list(early.answers(world.scenario).values()))


def test_run_prints_each_lesson(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    Path("s.toml").write_text(TEXT, encoding="utf-8")
    main(["run", "s.toml"])
    out = capsys.readouterr().out
    assert out.endswith(
        "Lesson stayed-open: does not apply.\nLesson never-closed: does not apply.\n"
    )
    main(["run", "s.toml", "--runs", "2"])
    out = capsys.readouterr().out
    assert out.endswith(
        "Lesson stayed-open: applies in no run.\nLesson never-closed: applies in no run.\n"
    )
