"""Shared fixtures: scenarios built from the minimal test scenario with changes applied."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest

from engine.scenario.schema import Scenario
from engine.world import World

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal.toml"


def minimal_table() -> dict:
    return tomllib.loads(MINIMAL.read_text(encoding="utf-8"))


def merge(base: dict, changes: dict) -> dict:
    """``base`` with ``changes`` merged in (tables recursively, anything else replaced)."""
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def make_world(**changes) -> World:
    """A World of the minimal scenario with top-level tables changed (merged)."""
    return World.from_scenario(Scenario.model_validate(merge(minimal_table(), changes)))


@pytest.fixture
def minimal_world() -> World:
    return make_world()
