"""A sub-table written before the array item it belongs to is reported at its own line,
in plain words, instead of TOML's "Cannot overwrite a value" at the item after it."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ScenarioError
from engine.scenario.loader import parse_scenario

MINIMAL = (Path(__file__).resolve().parent / "data" / "minimal.toml").read_text(encoding="utf-8")
EVENT = '[[events]]\nid = "storm"\ntitle = "A storm"\ntext = "A storm."\nquarter = 3\n'
CHOICE = '[[events.choices]]\nid = "close"\nlabel = "Close"\n'


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text, Path("s.toml"))
    return [str(problem) for problem in error.value.problems]


def test_a_choice_before_its_event() -> None:
    text = MINIMAL + "\n" + CHOICE + "\n" + EVENT
    line = len(MINIMAL.splitlines()) + 2
    assert problems(text) == [
        f"s.toml:{line}: [[events.choices]] comes before any [[events]]: it belongs to the "
        "[[events]] item above it, so move it below the [[events]] it is part of"
    ]


def test_a_choice_after_its_event_loads() -> None:
    scenario = parse_scenario(MINIMAL + "\n" + EVENT + "\n" + CHOICE)
    assert [choice.id for choice in scenario.events[0].choices] == ["close"]


def test_other_clashes_keep_tomls_own_words() -> None:
    text = MINIMAL + '\n[meta.extra]\n[meta]\nid = "again"\n'
    [problem] = problems(text)
    assert "[[" not in problem and "Cannot" in problem
