"""Conditions on recorded metrics, shared by events, goals, achievements and lessons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from engine.scenario.schema import Condition


def holds(
    condition: Condition, history: Mapping[str, Sequence[np.ndarray]], upto: int | None = None
) -> np.ndarray:
    """Per run, whether ``condition`` held over its last ``for_quarters`` recorded quarters
    (up to and including quarter ``upto``; the latest by default)."""
    series = history[condition.metric]
    last = len(series) - 1 if upto is None else upto
    first = last - condition.for_quarters + 1
    runs = series[0].shape[0]
    if first < 0 or last >= len(series):
        return np.zeros(runs, dtype=bool)
    result = np.ones(runs, dtype=bool)
    for quarter in range(first, last + 1):
        value = series[quarter]
        if condition.measure == "change":
            value = value - series[0]
        if condition.at_least is not None:
            result &= value >= condition.at_least
        else:
            result &= value <= condition.at_most
    return result
